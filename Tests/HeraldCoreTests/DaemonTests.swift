import Foundation
import HeraldCore
import HeraldStatus
import HeraldTestSupport
import XCTest

/// `herald run` as operators run it: the real binary, a fixture site on loopback, a temp folder for the database and
/// the socket, a NOTIFY_SOCKET bound by the test. Every wait is on a condition with a deadline.
final class DaemonTests: XCTestCase {
    private var site: FixtureSite!
    private var server: FixtureServer!
    private var folder: TemporaryDirectory!

    override func setUpWithError() throws {
        site = try FixtureSite.standard()
        server = try FixtureServer(root: site.root)
        folder = try TemporaryDirectory("herald-daemon")
    }

    override func tearDown() {
        server.stop()
        folder.remove()
    }

    private var socketPath: String { folder.path("herald.sock") }
    private var configPath: String { folder.path("config.json") }

    private func writeConfig(_ sources: [(name: String, path: String, interval: String)], extra: String = "") throws {
        let list = sources.map { source in
            """
            {"name": "\(source.name)", "listing": "\(server.url(source.path))", "kind": "html", "profile": "rfi",
             "interval": "\(source.interval)", "jitter": "0s", "maxPages": 2}
            """
        }.joined(separator: ",\n")
        try """
        {
          "database": "herald.db",
          "statusSocket": "herald.sock",
          "perHost": { "concurrency": 4, "delay": "0s" },
          "retries": 0,
          \(extra.isEmpty ? "" : extra + ",")
          "sources": [\(list)]
        }
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    private func status() -> [String: Any]? {
        guard let reply = try? StatusClient.request(socket: socketPath, method: "GET", path: "/status"),
            reply.status == 200
        else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
    }

    private func source(_ name: String) -> [String: Any]? {
        (status()?["sources"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    private func passes(_ name: String) -> Int {
        (try? SQLiteShell.query(
            folder.path("herald.db"),
            "SELECT count(*) FROM crawl_runs WHERE source = '\(name)' AND outcome != 'running'"
        )
        .first.flatMap { Int($0) }) ?? 0
    }

    private func start(environment: [String: String] = [:]) throws -> DaemonProcess {
        let daemon = try DaemonProcess(config: configPath, folder: folder.url, environment: environment)
        XCTAssertTrue(waitUntil(timeout: 20) { status() != nil }, "the daemon never answered:\n\(daemon.log)")
        return daemon
    }

    func testReadyArrivesOnTheNotifySocketAndStatusAdvancesAsPassesRun() throws {
        try writeConfig([("home", "/cn/", "2s"), ("china", "/cn/%E4%B8%AD%E5%9B%BD/", "2s")])
        let notify = try NotifyListener(path: folder.path("notify.sock"))
        defer { notify.close() }
        let daemon = try start(environment: ["NOTIFY_SOCKET": notify.path])
        XCTAssertTrue(notify.waitFor("READY=1", timeout: 20), "no READY=1: \(notify.messages)")

        let root = try XCTUnwrap(status())
        XCTAssertEqual(root["pid"] as? Int, Int(daemon.pid))
        XCTAssertEqual((root["sources"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, ["home", "china"])
        // Both sources run, then run again on their 2 s timetable.
        XCTAssertTrue(waitUntil(timeout: 60) { passes("home") >= 2 && passes("china") >= 2 }, daemon.log)
        let home = try XCTUnwrap(source("home"))
        XCTAssertEqual((home["last_run"] as? [String: Any])?["outcome"] as? String, "ok")
        XCTAssertNotNil(home["next_run_at"] as? String)
        let stored = try SQLiteShell.query(folder.path("herald.db"), "SELECT count(*) FROM articles").first
        XCTAssertGreaterThan(Int(stored ?? "") ?? 0, 30)
        XCTAssertEqual((status()?["article_count"] as? Int).map(String.init), stored)
        XCTAssertTrue(notify.messages.contains { $0.contains("STATUS=") })

        // The daemon's answer and the CLI's reading are one type: decode, render, decode again, nothing lost.
        let body = try StatusClient.request(socket: socketPath, method: "GET", path: "/status").body
        let document = try StatusDocument.decode(body)
        XCTAssertEqual(document.sources.map(\.name), ["home", "china"])
        XCTAssertEqual(document.pid, Int(daemon.pid))
        XCTAssertEqual(document.sources.first?.lastRun?.outcome, "ok")
        XCTAssertEqual(try StatusDocument.decode(document.json.rendered(pretty: true)), document)

        let metrics = try StatusClient.request(socket: socketPath, method: "GET", path: "/metrics")
        XCTAssertTrue(metrics.body.contains("herald_passes_total{source=\"home\",outcome=\"ok\"}"), metrics.body)
        XCTAssertTrue(metrics.body.contains("herald_fetch_duration_seconds_bucket"), metrics.body)

        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 15), 0, daemon.log)
        XCTAssertTrue(notify.waitFor("STOPPING=1", timeout: 5))
        XCTAssertFalse(FileManager.default.fileExists(atPath: socketPath), "the socket file is removed on exit")
        XCTAssertEqual(try SQLiteShell.query(folder.path("herald.db"), "PRAGMA integrity_check"), ["ok"])
        XCTAssertEqual(
            try SQLiteShell.query(
                folder.path("herald.db"),
                "SELECT count(*) FROM crawl_runs WHERE outcome = 'running'"), ["0"])
    }

    func testTheWatchdogIsPingedAtHalfItsInterval() throws {
        try writeConfig([("home", "/cn/", "1h")])
        let notify = try NotifyListener(path: folder.path("notify.sock"))
        defer { notify.close() }
        let daemon = try start(environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000"])
        XCTAssertTrue(
            waitUntil(timeout: 20) { notify.messages.filter { $0 == "WATCHDOG=1" }.count >= 3 },
            "\(notify.messages)")
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 15), 0)
    }

    func testTriggerRunsASourceAtOnce() throws {
        try writeConfig([("home", "/cn/", "1h")])
        let daemon = try start()
        XCTAssertTrue(waitUntil(timeout: 30) { passes("home") == 1 }, daemon.log)
        let result = try HeraldBinary.run(["trigger", "home", "--socket", socketPath])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(waitUntil(timeout: 30) { passes("home") == 2 }, "the trigger did not run a pass:\n\(daemon.log)")
        let unknown = try StatusClient.request(socket: socketPath, method: "POST", path: "/sources/nope/crawl")
        XCTAssertEqual(unknown.status, 404)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 15), 0)
    }

    /// The socket's clients answer in sentences with the exit statuses of the README's table, never raw HTTP.
    func testClientCommandsAnswerInSentencesWithTheDocumentedExitStatuses() throws {
        try writeConfig([("home", "/cn/", "1h")])
        let daemon = try start()
        XCTAssertTrue(waitUntil(timeout: 30) { passes("home") == 1 }, daemon.log)

        let unknown = try HeraldBinary.run(["trigger", "nosuch", "--socket", socketPath])
        XCTAssertEqual(unknown.status, 64, unknown.stderr)
        XCTAssertEqual(unknown.stderr, "herald: no source named \"nosuch\"\n")

        try "{ \"sources\": [ { \"name\": \"x\" } ], \"typo\": 1 }".write(
            toFile: configPath, atomically: true,
            encoding: .utf8)
        let rejected = try HeraldBinary.run(["reload", "--socket", socketPath])
        XCTAssertEqual(rejected.status, 78, "a rejected reload exits as check-config does: \(rejected.stderr)")
        XCTAssertTrue(
            rejected.stderr.hasPrefix("herald: the daemon rejected the config and keeps running the one it has:\n"),
            rejected.stderr)
        XCTAssertTrue(rejected.stderr.contains("typo"), rejected.stderr)
        XCTAssertFalse(
            rejected.stderr.contains("422") || rejected.stderr.contains("{"), "no raw HTTP: \(rejected.stderr)")
        try writeConfig([("home", "/cn/", "1h")])

        for command in ["articles", "search"] {
            let arguments = command == "search" ? ["search", "美国"] : ["articles"]
            let result = try HeraldBinary.run(arguments + ["--source", "nosuch", "--config", configPath])
            XCTAssertEqual(result.status, 64, "\(command): \(result.stdout)\(result.stderr)")
            XCTAssertTrue(result.stderr.contains("no source named \"nosuch\" (sources: home)"), result.stderr)
            let known = try HeraldBinary.run(arguments + ["--source", "home", "--config", configPath])
            XCTAssertEqual(known.status, 0, "\(command): \(known.stderr)")
        }
        let id = try XCTUnwrap(try SQLiteShell.query(folder.path("herald.db"), "SELECT min(id) FROM articles").first)
        let shown = try HeraldBinary.run(["show", id, "--json", "--config", configPath])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((object["id"] as? Int).map(String.init), id)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 15), 0)
    }

    /// Lowering keepDays deletes stored articles: check-config previews it, and a reload that would delete many
    /// is refused until confirmed, with the count per source. Nothing is deleted by the refused reload.
    func testAReloadThatWouldPruneManyArticlesAsksForConfirmation() throws {
        try writeConfig([("home", "/cn/", "1h")])
        let daemon = try start()
        XCTAssertTrue(waitUntil(timeout: 30) { passes("home") == 1 }, daemon.log)
        let stored =
            Int(try SQLiteShell.query(folder.path("herald.db"), "SELECT count(*) FROM articles").first ?? "") ?? 0
        XCTAssertGreaterThanOrEqual(stored, 20, "the check needs a database past the threshold")
        try writeConfig([("home", "/cn/", "1h")])
        let withKeepDays = try String(contentsOfFile: configPath, encoding: .utf8)
            .replacingOccurrences(of: "\"maxPages\": 2}", with: "\"maxPages\": 2, \"keepDays\": 30}")
        XCTAssertNotEqual(withKeepDays, try String(contentsOfFile: configPath, encoding: .utf8))
        try withKeepDays.write(toFile: configPath, atomically: true, encoding: .utf8)

        let check = try HeraldBinary.run(["check-config", "--config", configPath])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stdout.contains("home: keepDays 30 would delete \(stored) stored articles"), check.stdout)

        let refused = try HeraldBinary.run(["reload", "--config", configPath])
        XCTAssertEqual(refused.status, 64, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("this reload would delete \(stored) stored articles"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("herald reload --confirm"), refused.stderr)
        XCTAssertNil(source("home")?["keep_days"] as? Int, "the refused reload changed nothing")

        let confirmed = try HeraldBinary.run(["reload", "--confirm", "--config", configPath])
        XCTAssertEqual(confirmed.status, 0, confirmed.stderr)
        XCTAssertEqual(source("home")?["keep_days"] as? Int, 30)
        let again = try HeraldBinary.run(["reload", "--config", configPath])
        XCTAssertEqual(again.status, 0, "an unchanged keepDays asks nothing: \(again.stderr)")
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 15), 0)
    }

    func testAFailingSourceBacksOffAndRecoversWhileOthersKeepTheirTimetable() throws {
        server.route("/broken/", .status(503))
        try writeConfig([("home", "/cn/", "1s"), ("broken", "/broken/", "1s")])
        let daemon = try start()
        XCTAssertTrue(
            waitUntil(timeout: 30) { (source("broken")?["consecutive_failures"] as? Int ?? 0) >= 2 }, daemon.log)
        let broken = try XCTUnwrap(source("broken"))
        XCTAssertEqual(broken["state"] as? String, "backoff")
        XCTAssertTrue((broken["last_error"] as? String ?? "").contains("HTTP 503"), "\(broken)")
        let homePasses = passes("home")
        XCTAssertTrue(waitUntil(timeout: 20) { passes("home") >= homePasses + 2 }, "home kept its 1 s timetable")

        server.route("/broken/", .html("<html><body><p>healed</p></body></html>"))
        XCTAssertTrue(
            waitUntil(timeout: 60) { source("broken")?["consecutive_failures"] as? Int == 0 },
            "the source recovers once the server heals:\n\(daemon.log)")
        XCTAssertEqual(source("broken")?["state"] as? String, "idle")
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 15), 0)
    }

    func testSIGHUPAppliesAGoodConfigAndKeepsTheOldOneWhenTheNewIsBroken() throws {
        try writeConfig([("home", "/cn/", "1h")])
        let daemon = try start()
        try writeConfig([("home", "/cn/", "1h"), ("china", "/cn/%E4%B8%AD%E5%9B%BD/", "1h")])
        daemon.signal(SIGHUP)
        // The scheduler shows the new source a moment before the reload's outcome is recorded: wait for both.
        XCTAssertTrue(
            waitUntil(timeout: 20) {
                source("china") != nil && (status()?["last_reload"] as? [String: Any]) != nil
            }, "the new source appears:\n\(daemon.log)")
        XCTAssertEqual((status()?["last_reload"] as? [String: Any])?["outcome"] as? String, "ok")

        // A source renamed away leaves source_health; its passes stay in crawl_runs.
        let health = {
            try SQLiteShell.query(self.folder.path("herald.db"), "SELECT source FROM source_health ORDER BY source")
        }
        XCTAssertEqual(try health(), ["china", "home"])
        try writeConfig([("home", "/cn/", "1h"), ("china-renamed", "/cn/%E4%B8%AD%E5%9B%BD/", "1h")])
        daemon.signal(SIGHUP)
        XCTAssertTrue(
            waitUntil(timeout: 20) { (try? health()) == ["china-renamed", "home"] },
            "\((try? health()) ?? [])\n\(daemon.log)")
        XCTAssertNil(source("china"))

        try "{ \"sources\": [ { \"name\": \"x\" } ], \"typo\": 1 }".write(
            toFile: configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        XCTAssertTrue(
            waitUntil(timeout: 20) {
                (status()?["last_reload"] as? [String: Any])?["outcome"] as? String == "failed"
            }, daemon.log)
        let reload = try XCTUnwrap(status()?["last_reload"] as? [String: Any])
        XCTAssertTrue((reload["errors"] as? [String] ?? []).contains { $0.contains("typo") }, "\(reload)")
        XCTAssertNotNil(source("china-renamed"), "the running config stays")
        XCTAssertTrue(daemon.log.contains("reload rejected"))
        let table = try HeraldBinary.run(["status", "--socket", socketPath])
        XCTAssertTrue(table.stdout.contains("last reload FAILED"), table.stdout)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 15), 0)
    }

    /// `systemctl stop` during a fetch from a server that accepts and never answers: the daemon gives the pass its
    /// 3 s grace, aborts the transfer and exits 0, long before the fetch's own timeouts (10 minutes here) and well
    /// within the unit's `TimeoutStopSec=15s`. The interrupted pass is recorded, the database stays whole.
    func testAStopDuringAFetchFromASilentServerEndsWithinTheGrace() throws {
        server.route("/silent/", .html("<html><body><p>never sent</p></body></html>").stalling())
        try writeConfig(
            [("home", "/cn/", "1h"), ("silent", "/silent/", "1h")],
            extra: #""timeouts": {"connect": "10m", "total": "10m", "lowSpeed": "10m"}"#)
        let daemon = try start()
        XCTAssertTrue(waitUntil(timeout: 30) { passes("home") == 1 }, daemon.log)
        XCTAssertTrue(
            server.waitForRequests(1, path: "/silent/", timeout: 30), "the silent listing was never asked for")
        XCTAssertEqual(source("silent")?["state"] as? String, "running", "the pass is stuck on the silent server")

        let stoppedAt = Date()
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 14), 0, "no clean exit within TimeoutStopSec:\n\(daemon.log)")
        let took = Date().timeIntervalSince(stoppedAt)
        XCTAssertGreaterThanOrEqual(took, 2.5, "the running pass was given its grace first")
        XCTAssertTrue(daemon.log.contains("aborting in-flight fetches to stop"), daemon.log)
        let db = folder.path("herald.db")
        XCTAssertEqual(
            try SQLiteShell.query(db, "SELECT outcome FROM crawl_runs WHERE source = 'silent'"),
            ["interrupted"])
        XCTAssertEqual(try SQLiteShell.query(db, "SELECT count(*) FROM crawl_runs WHERE outcome = 'running'"), ["0"])
        XCTAssertEqual(try SQLiteShell.query(db, "PRAGMA integrity_check"), ["ok"])
        XCTAssertGreaterThan(
            Int(try SQLiteShell.query(db, "SELECT count(*) FROM articles").first ?? "") ?? 0, 30,
            "what the other source stored is kept")
    }

    /// One dead server is that source's failure, not a network outage: it is counted, backs off, and makes the
    /// daemon unhealthy for monitoring once it has failed three passes in a row. The healthy source stays healthy.
    func testADeadServerCountsAgainstItsSourceAndMonitoringSeesIt() throws {
        let closedPort = try FixtureServer()
        let deadURL = closedPort.url("/")
        closedPort.stop()  // nothing listens on that port any more: connection refused
        try writeConfig([("home", "/cn/", "1h")])
        var config = try String(contentsOfFile: configPath, encoding: .utf8)
        config = config.replacingOccurrences(
            of: "\"sources\": [",
            with: """
                "sources": [{"name": "dead", "listing": "\(deadURL)", "kind": "html", "interval": "1s", "jitter": "0s"},
                """)
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let daemon = try start()
        XCTAssertTrue(waitUntil(timeout: 30) { passes("home") == 1 }, daemon.log)
        let healthy = try HeraldBinary.run(["status", "--check", "--socket", socketPath])
        XCTAssertEqual(healthy.status, 0, healthy.stdout + healthy.stderr)
        XCTAssertTrue(healthy.stdout.hasPrefix("ok: 2 sources"), healthy.stdout)

        XCTAssertTrue(
            waitUntil(timeout: 60) { (source("dead")?["consecutive_failures"] as? Int ?? 0) >= 3 },
            "the dead server's failures are counted:\n\(daemon.log)")
        let dead = try XCTUnwrap(source("dead"))
        XCTAssertEqual(dead["state"] as? String, "backoff")
        XCTAssertEqual(dead["health"] as? String, "failing")
        let lastError = dead["last_error"] as? String ?? ""
        XCTAssertTrue(lastError.contains("refused the connection"), lastError)
        XCTAssertFalse(lastError.contains("not counted"), "a dead server is not a network outage: \(lastError)")
        XCTAssertNotNil(dead["last_attempt_at"] as? String)
        XCTAssertEqual(source("home")?["health"] as? String, "ok")

        let health = try StatusClient.request(socket: socketPath, method: "GET", path: "/healthz")
        XCTAssertEqual(health.status, 503, health.body)
        let check = try HeraldBinary.run(["status", "--check", "--socket", socketPath])
        XCTAssertEqual(check.status, 2, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.hasPrefix("dead: "), check.stdout)
        XCTAssertTrue(check.stdout.contains("passes in a row failed"), check.stdout)
        XCTAssertFalse(check.stdout.contains("home"), "only the failing source is named: \(check.stdout)")
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 15), 0)
    }

    func testARestartResumesThePersistedTimetable() throws {
        try writeConfig([("home", "/cn/", "1h")])
        var daemon = try start()
        XCTAssertTrue(waitUntil(timeout: 30) { passes("home") == 1 }, daemon.log)
        let next = try XCTUnwrap(source("home")?["next_run_at"] as? String)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 15), 0)

        daemon = try start()
        // The socket answers a moment before the scheduler has loaded the timetable: wait for it (with a deadline).
        XCTAssertTrue(waitUntil(timeout: 20) { source("home")?["next_run_at"] as? String != nil }, daemon.log)
        XCTAssertEqual(source("home")?["next_run_at"] as? String, next, "the timetable survives a restart")
        XCTAssertEqual(passes("home"), 1, "nothing is refetched at start-up")
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 15), 0)
    }

    func testStatusSaysWhenTheDaemonIsNotRunning() throws {
        try writeConfig([("home", "/cn/", "1h")])
        let stopped = try HeraldBinary.run(["status", "--config", configPath])
        XCTAssertEqual(stopped.status, 3)
        XCTAssertTrue(stopped.stderr.contains("herald is not running"), stopped.stderr)

        let daemon = try start()
        let running = try HeraldBinary.run(["status", "--config", configPath])
        XCTAssertEqual(running.status, 0, running.stderr)
        XCTAssertTrue(running.stdout.contains("SOURCE"), running.stdout)
        XCTAssertTrue(running.stdout.contains("home"), running.stdout)
        let json = try HeraldBinary.run(["status", "--config", configPath, "--json"])
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 15), 0)
    }

    /// Two writers on one database: the second daemon (another socket) and a one-shot `crawl` refuse, naming the
    /// first daemon's pid and socket; previews and readers still run; the first daemon's passes are untouched.
    func testASecondWriterOnTheSameDatabaseRefusesAndNamesTheFirst() throws {
        try writeConfig([("home", "/cn/", "1h")])
        let first = try start()
        XCTAssertTrue(waitUntil(timeout: 30) { passes("home") == 1 }, first.log)
        let otherConfig = folder.path("other.json")
        try String(contentsOfFile: configPath, encoding: .utf8)
            .replacingOccurrences(of: "\"statusSocket\": \"herald.sock\"", with: "\"statusSocket\": \"other.sock\"")
            .write(toFile: otherConfig, atomically: true, encoding: .utf8)

        let second = try DaemonProcess(config: otherConfig, folder: folder.url)
        XCTAssertEqual(second.waitForExit(timeout: 20), 75, second.log)
        XCTAssertTrue(second.log.contains("pid \(first.pid)") && second.log.contains(socketPath), second.log)
        let crawl = try HeraldBinary.run(["crawl", "--config", configPath])
        XCTAssertEqual(crawl.status, 75, crawl.stderr)
        XCTAssertTrue(
            crawl.stderr.contains("another herald is writing") && crawl.stderr.contains("pid \(first.pid)"),
            crawl.stderr)
        XCTAssertEqual(
            try HeraldBinary.run(["prune", "--dry-run", "--config", configPath]).status, 0,
            "a preview writes nothing and runs beside the daemon")
        XCTAssertEqual(try HeraldBinary.run(["articles", "--config", configPath]).status, 0, "readers are unaffected")
        XCTAssertEqual(
            try SQLiteShell.query(
                folder.path("herald.db"),
                "SELECT count(*) FROM crawl_runs WHERE outcome = 'interrupted'"), ["0"],
            "the refused writers marked none of the first daemon's passes interrupted")
        first.signal(SIGTERM)
        XCTAssertEqual(first.waitForExit(timeout: 15), 0)
        XCTAssertEqual(
            try HeraldBinary.run(["prune", "--config", configPath]).status, 0, "the lock goes with its holder")
    }

    func testAStaleSocketFileIsReplacedAndALiveOneIsRefused() throws {
        try writeConfig([("home", "/cn/", "1h")])
        let first = try start()
        first.kill9()
        XCTAssertTrue(FileManager.default.fileExists(atPath: socketPath), "SIGKILL leaves the socket file behind")
        let second = try start()  // replaces the stale file (and takes the writer lock the killed one held)
        // Another database, the same socket: the socket, not the writer lock, is what refuses this one.
        let otherConfig = folder.path("other.json")
        try String(contentsOfFile: configPath, encoding: .utf8)
            .replacingOccurrences(of: "\"database\": \"herald.db\"", with: "\"database\": \"other.db\"")
            .write(toFile: otherConfig, atomically: true, encoding: .utf8)
        let third = try DaemonProcess(config: otherConfig, folder: folder.url)
        XCTAssertEqual(third.waitForExit(timeout: 20), 69, "a second daemon on a live socket refuses to start")
        XCTAssertTrue(third.log.contains("already listening"), third.log)
        second.signal(SIGTERM)
        XCTAssertEqual(second.waitForExit(timeout: 15), 0)
    }
}
