import Foundation
import HeraldCore
import HeraldTestSupport
import XCTest

/// Broken configs, one per rule, through the real binary: `herald check-config` and `herald run` both exit 78 with
/// `FILE:LINE:COLUMN: FIELD: MESSAGE`, and a running daemon given any of them on SIGHUP keeps its old config.
final class ConfigFailureTests: XCTestCase {
    private struct BrokenConfig {
        var name: String
        /// The whole file; `LISTING` stands for a working listing URL.
        var text: String
        /// `FIELD: MESSAGE` (or a piece of it) that must be printed.
        var expected: String
        /// The line the problem is reported on (nil: the whole file), and for syntax errors the column.
        var line: Int?
        var column: Int? = nil
    }

    private static func table(folder: String) -> [BrokenConfig] {
        func config(_ top: String = "", source: String = "") -> String {
            """
            {
              "database": "herald.db",\(top.isEmpty ? "" : "\n  " + top + ",")
              "sources": [
                {"name": "a", "listing": "LISTING", "interval": "1h"\(source.isEmpty ? "" : ",\n   " + source)}
              ]
            }
            """
        }
        return [
            BrokenConfig(
                name: "bad JSON",
                text:
                    "{\n  \"database\": \"herald.db\",\n  \"sources\": [\n    {\"name\": \"a\" \"listing\": \"LISTING\"}\n  ]\n}\n",
                expected: "invalid JSON: unexpected '\"', expected ',' or '}'", line: 4, column: 18),
            BrokenConfig(
                name: "a comma with nothing before it", text: "{\n  \"sources\": [\n    ,\n  ]\n}\n",
                expected: "invalid JSON: unexpected ',', expected a value", line: 3, column: 5),
            BrokenConfig(
                name: "unknown key", text: config(source: "\"intervall\": \"5m\""),
                expected: "sources[0].intervall: unknown key (did you mean \"interval\"?)", line: 5),
            BrokenConfig(
                name: "unknown top-level key", text: config("\"concurency\": 4"),
                expected: "concurency: unknown key (did you mean \"concurrency\"?)", line: 3),
            BrokenConfig(
                name: "wrong type", text: config("\"concurrency\": \"4\""),
                expected: "concurrency: expected a whole number, got \"4\"", line: 3),
            BrokenConfig(
                name: "wrong type (bool)", text: config("\"respectRobotsTxt\": \"yes\""),
                expected: "respectRobotsTxt: expected true or false, got \"yes\"", line: 3),
            BrokenConfig(
                name: "out of range", text: config("\"maxBodyBytes\": 10"),
                expected: "maxBodyBytes: 10 is out of range", line: 3),
            BrokenConfig(
                name: "bad duration", text: config(source: "\"jitter\": \"5 minutes\""),
                expected: "sources[0].jitter: \"5 minutes\" is not a duration", line: 5),
            BrokenConfig(
                name: "duration without a unit", text: config("\"timeouts\": {\"total\": 60}"),
                expected: "timeouts.total: expected a duration string", line: 3),
            BrokenConfig(
                name: "jitter not below the interval", text: config(source: "\"jitter\": \"2h\""),
                expected: "sources[0].jitter: 2h must be smaller than the interval (1h)", line: 5),
            BrokenConfig(
                name: "bad regex", text: config(source: "\"linkPattern\": \"([\""),
                expected: "sources[0].linkPattern: \"([\" is not a valid regular expression", line: 5),
            BrokenConfig(
                name: "bad XPath",
                text: config(
                    "\"profiles\": {\"p\": {\"title\": \"//h1\", \"body\": \"//div[\"}}", source: "\"profile\": \"p\""),
                expected: "profiles.p.body: \"//div[\" is not valid XPath", line: 3),
            BrokenConfig(
                name: "unknown profile", text: config(source: "\"profile\": \"nope\""),
                expected: "sources[0].profile: \"nope\" is not a profile", line: 5),
            BrokenConfig(
                name: "duplicate source name",
                text:
                    "{\n  \"sources\": [\n    {\"name\": \"a\", \"listing\": \"LISTING\"},\n    {\"name\": \"a\", \"listing\": \"LISTING\"}\n  ]\n}\n",
                expected: "sources[1].name: \"a\" is already the name of sources[0]", line: 4),
            BrokenConfig(
                name: "bad source name",
                text: config().replacingOccurrences(of: "\"name\": \"a\"", with: "\"name\": \"A b\""),
                expected: "sources[0].name: \"A b\" must be lowercase letters", line: 4),
            BrokenConfig(
                name: "ftp listing",
                text: config().replacingOccurrences(of: "LISTING", with: "ftp://example.com/news/"),
                expected: "sources[0].listing: \"ftp://example.com/news/\": unsupported scheme \"ftp\"", line: 4),
            BrokenConfig(
                name: "file listing", text: config().replacingOccurrences(of: "LISTING", with: "file:///etc/passwd"),
                expected: "sources[0].listing: \"file:///etc/passwd\": unsupported scheme \"file\"", line: 4),
            BrokenConfig(
                name: "mirror to a non-http origin",
                text: config("\"mirrors\": {\"https://www.rfi.fr\": \"gopher://127.0.0.1\"}"),
                expected: "mirrors[\"https://www.rfi.fr\"]: \"gopher://127.0.0.1\" is not an http(s) origin", line: 3),
            BrokenConfig(
                name: "missing database folder",
                text: config().replacingOccurrences(of: "herald.db", with: "nowhere/herald.db"),
                expected: "database: the folder \(folder)/nowhere does not exist", line: 2),
            BrokenConfig(
                name: "socket path too long",
                text: config("\"statusSocket\": \"\(String(repeating: "s", count: 120)).sock\""),
                expected: "statusSocket: \"\(folder)/\(String(repeating: "s", count: 120)).sock\" is", line: 3),
            BrokenConfig(
                name: "empty sources (found by fuzzing)", text: "{\"database\": \"herald.db\",\n \"sources\": []}",
                expected: "sources: the list is empty", line: 2),
            BrokenConfig(
                name: "no sources", text: "{\"database\": \"herald.db\"}",
                expected: "sources: missing: list at least one source", line: nil),
        ]
    }

    private var server: FixtureServer!
    private var harness: DaemonHarness!

    override func setUpWithError() throws {
        server = try FixtureServer()
        server.route("/news/", .html("<html><body><a href=\"/news/2024/01/01/a-b-c\">a</a></body></html>"))
        harness = try DaemonHarness("herald-config")
    }

    override func tearDown() {
        server.stop()
        harness = nil
    }

    private func write(_ broken: BrokenConfig) throws {
        try broken.text.replacingOccurrences(of: "LISTING", with: server.url("/news/"))
            .write(toFile: harness.configPath, atomically: true, encoding: .utf8)
    }

    private func location(_ broken: BrokenConfig) -> String {
        guard let line = broken.line else { return "\(harness.configPath): " }
        return "\(harness.configPath):\(line):" + (broken.column.map { "\($0): " } ?? "")
    }

    func testEveryBrokenConfigExits78NamingTheFieldFromCheckConfigAndRun() throws {
        for broken in Self.table(folder: harness.folder.url.path) {
            try write(broken)
            for command in ["check-config", "run"] {
                let result = try HeraldBinary.run([command, "--config", harness.configPath])
                XCTAssertEqual(result.status, 78, "\(broken.name), herald \(command): \(result.stderr)")
                let lines = result.stderr.split(separator: "\n").map(String.init)
                XCTAssertTrue(
                    lines.contains { $0.hasPrefix(location(broken)) && $0.contains(broken.expected) },
                    "\(broken.name), herald \(command): expected \(location(broken))…\(broken.expected) in:\n\(result.stderr)"
                )
            }
            XCTAssertFalse(
                FileManager.default.fileExists(atPath: harness.socketPath), "\(broken.name): run left a socket")
            XCTAssertFalse(
                FileManager.default.fileExists(atPath: harness.databasePath), "\(broken.name): run made a database")
        }
    }

    /// The database folder exists but this user may not write it. Root writes anywhere, so as root the binary runs
    /// as `nobody` (setpriv), the way the hardened service runs as `herald`.
    func testAnUnwritableDatabaseFolderExits78() throws {
        let readOnly = harness.folder.url.appendingPathComponent("read-only")
        try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: readOnly.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: readOnly.path) }
        try """
        {"database": "read-only/herald.db", "sources": [{"name": "a", "listing": "\(server.url("/news/"))"}]}
        """.write(toFile: harness.configPath, atomically: true, encoding: .utf8)
        for command in ["check-config", "run"] {
            var program = HeraldBinary.url.path
            var arguments = [command, "--config", harness.configPath]
            if getuid() == 0 {
                arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", program] + arguments
                program = "/usr/bin/setpriv"
            }
            let result = try Command.run(program, arguments)
            XCTAssertEqual(result.status, 78, "herald \(command): \(result.stderr)")
            XCTAssertTrue(
                result.stderr.contains(
                    "\(harness.configPath):1:2: database: the folder \(readOnly.path) is not writable"),
                "herald \(command): \(result.stderr)")
        }
    }

    func testSIGHUPWithEachBrokenConfigKeepsTheRunningOne() throws {
        let good = BrokenConfig(
            name: "good",
            text: """
                {"database": "herald.db", "statusSocket": "herald.sock", "retries": 0,
                 "sources": [{"name": "a", "listing": "LISTING", "interval": "1h"}]}
                """, expected: "", line: nil)
        try write(good)
        let daemon = try harness.start()
        defer { if daemon.process.isRunning { daemon.kill9() } }
        XCTAssertTrue(waitUntil(timeout: 30) { harness.passes("a") == 1 }, daemon.log)

        func lastReload() -> [String: Any]? { harness.status()?["last_reload"] as? [String: Any] }
        for broken in Self.table(folder: harness.folder.url.path) {
            try write(broken)
            daemon.signal(SIGHUP)
            XCTAssertTrue(
                waitUntil(timeout: 20) {
                    (lastReload()?["errors"] as? [String] ?? []).contains { $0.contains(broken.expected) }
                },
                "\(broken.name): reload never reported \(broken.expected): \(lastReload() ?? [:])\n\(daemon.log.suffix(2000))"
            )
            XCTAssertEqual(lastReload()?["outcome"] as? String, "failed", broken.name)
            XCTAssertEqual(harness.sources().keys.sorted(), ["a"], "\(broken.name): the running config stays")
            XCTAssertTrue(daemon.process.isRunning, broken.name)
        }
        // The socket's reload says the same, with 422.
        let reply = try harness.request("POST", "/reload")
        XCTAssertEqual(reply.status, 422, reply.body)
        XCTAssertTrue(reply.body.contains("sources: missing"), reply.body)

        // A good file is applied again, and the source still crawls.
        try write(good)
        daemon.signal(SIGHUP)
        XCTAssertTrue(waitUntil(timeout: 20) { lastReload()?["outcome"] as? String == "ok" }, daemon.log)
        XCTAssertEqual(try harness.request("POST", "/sources/a/crawl").status, 202)
        XCTAssertTrue(waitUntil(timeout: 30) { harness.passes("a") == 2 }, daemon.log)
        XCTAssertTrue(daemon.log.contains("reload rejected, keeping the running configuration"))
        harness.stop(daemon)
    }
}
