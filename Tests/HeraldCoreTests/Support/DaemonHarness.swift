import Foundation
import HeraldCore
import HeraldStatus
import HeraldStore
import HeraldTestSupport
import XCTest

/// A temp folder holding a config, a `herald run` child started on it, and the two ways an operator looks at it: the
/// status socket (`GET /status`) and the database. Every wait is on a condition with a deadline.
final class DaemonHarness {
    let folder: TemporaryDirectory

    init(_ prefix: String) throws {
        folder = try TemporaryDirectory(prefix)
    }

    deinit { folder.remove() }

    var configPath: String { folder.path("config.json") }
    var socketPath: String { folder.path("herald.sock") }
    var databasePath: String { folder.path("herald.db") }

    // MARK: Config

    /// A source object for `writeConfig`.
    static func source(
        _ name: String, _ listing: String, kind: String = "html", profile: String = "rfi",
        interval: String = "1s", extra: String = ""
    ) -> String {
        """
        {"name": "\(name)", "listing": "\(listing)", "kind": "\(kind)", "profile": "\(profile)",
         "interval": "\(interval)", "jitter": "0s"\(extra.isEmpty ? "" : ", " + extra)}
        """
    }

    /// Writes config.json: the database and socket in the folder, no retries, no per-host delay, plus `extra`
    /// top-level members (which override these defaults when they name the same key).
    func writeConfig(sources: [String], extra: [String: String] = [:]) throws {
        var members: [String: String] = [
            "\"database\"": "\"herald.db\"",
            "\"statusSocket\"": "\"herald.sock\"",
            "\"perHost\"": "{\"concurrency\": 4, \"delay\": \"0s\"}",
            "\"retries\"": "0",
        ]
        for (key, value) in extra { members["\"\(key)\""] = value }
        let body = members.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }.joined(separator: ",\n")
        try "{\n\(body),\n  \"sources\": [\n\(sources.joined(separator: ",\n"))\n  ]\n}\n"
            .write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    // MARK: The daemon

    /// Starts `herald run` and waits until its status socket answers.
    func start(
        environment: [String: String] = [:], file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> DaemonProcess {
        let daemon = try DaemonProcess(config: configPath, folder: folder.url, environment: environment)
        XCTAssertTrue(
            waitUntil(timeout: 30) { status() != nil || !daemon.process.isRunning },
            "the daemon never answered:\n\(daemon.log)", file: file, line: line)
        XCTAssertTrue(daemon.process.isRunning, "the daemon exited:\n\(daemon.log)", file: file, line: line)
        return daemon
    }

    /// SIGTERM, then asserts a clean exit within `timeout`.
    func stop(_ daemon: DaemonProcess, timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line) {
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: timeout), 0, daemon.log, file: file, line: line)
    }

    // MARK: The status socket

    func status() -> [String: Any]? {
        guard let reply = try? StatusClient.request(socket: socketPath, method: "GET", path: "/status"),
            reply.status == 200
        else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
    }

    func sources() -> [String: [String: Any]] {
        let list = status()?["sources"] as? [[String: Any]] ?? []
        return Dictionary(
            list.compactMap { entry in (entry["name"] as? String).map { ($0, entry) } },
            uniquingKeysWith: { first, _ in first })
    }

    func source(_ name: String) -> [String: Any]? { sources()[name] }

    func request(_ method: String, _ path: String) throws -> StatusClient.Reply {
        try StatusClient.request(socket: socketPath, method: method, path: path)
    }

    // MARK: The database (read-only, as any reader would)

    /// The first `columns` columns of every row, as text.
    func rows(_ sql: String, columns: Int = 1) -> [[String?]] {
        guard let db = try? SQLiteConnection(path: databasePath, mode: .readOnly) else { return [] }
        return (try? db.query(sql) { row in (0..<Int32(columns)).map { row.text($0) } }) ?? []
    }

    func int(_ sql: String) -> Int {
        rows(sql).first?.first.flatMap { $0.flatMap(Int.init) } ?? 0
    }

    /// Finished passes of `source` (any outcome, or one outcome).
    func passes(_ source: String, outcome: String? = nil) -> Int {
        int(
            "SELECT count(*) FROM crawl_runs WHERE source = '\(source)' AND outcome "
                + (outcome.map { "= '\($0)'" } ?? "!= 'running'"))
    }

    /// The longest wait, in seconds, between the end of one pass of `source` and the start of its next one
    /// (crawl_runs keeps both times, to the second).
    func longestGapBetweenPasses(_ source: String) -> Double {
        let times = rows(
            """
            SELECT started_at, finished_at FROM crawl_runs WHERE source = '\(source)' AND finished_at IS NOT NULL
            ORDER BY id
            """, columns: 2
        ).compactMap { row -> (Date, Date)? in
            guard let start = row[0].flatMap(Self.date), let end = row[1].flatMap(Self.date) else { return nil }
            return (start, end)
        }
        return zip(times, times.dropFirst()).map { $1.0.timeIntervalSince($0.1) }.max() ?? 0
    }

    static func date(_ text: String) -> Date? {
        ISO8601DateFormatter().date(from: text)
    }

    /// Open file descriptors of a process, from /proc.
    static func descriptorCount(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }
}
