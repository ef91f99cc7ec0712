import Foundation
import HeraldCore
import HeraldParse
import HeraldTestSupport
import XCTest

/// SIGKILL during a crawl, again and again, then count what is left: exactly one row per article, each whole, no
/// duplicate, a sound file, and a timetable that resumes where it was.
///
/// CI size: 120 articles, 6 kills per test. `scripts/crash-test` runs 500 articles and 20 kills through the same code
/// (`HERALD_CRASH_ARTICLES`, `HERALD_CRASH_KILLS`; `HERALD_CRASH_SEED` replays a run).
final class CrashSafetyTests: XCTestCase {
    private static let environment = ProcessInfo.processInfo.environment
    private static let articleCount = environment["HERALD_CRASH_ARTICLES"].flatMap(Int.init) ?? 120
    private static let killCount = environment["HERALD_CRASH_KILLS"].flatMap(Int.init) ?? 6
    /// Fetch slots (`concurrency`): at most this many articles are in hand when the process dies.
    private static let concurrency = 4

    func testSIGKILLAtRandomMomentsLosesNothingAndDuplicatesNothing() throws {
        try crashAndCount(withReader: false)
    }

    func testSIGKILLWhileASQLiteReaderHoldsAReadTransactionThroughout() throws {
        try crashAndCount(withReader: true)
    }

    private func crashAndCount(withReader: Bool) throws {
        let seed =
            Self.environment["HERALD_CRASH_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max))
        var random = SplitMix64(seed: seed)
        let articles = Self.articleCount
        let kills = Self.killCount
        let context = "seed \(seed) (replay with HERALD_CRASH_SEED=\(seed))"

        let site = try FixtureSite.cached(arguments: ["--articles", "\(articles)", "--huge-mb", "0"])
        let expected = try site.expectedArticles()
        XCTAssertEqual(expected.count, articles)
        let server = try FixtureServer(root: site.root)
        defer { server.stop() }
        let harness = try DaemonHarness("herald-crash")
        // The RSS feed lists every article on one page; an hour's interval means one pass does the whole crawl.
        try harness.writeConfig(
            sources: [
                DaemonHarness.source(
                    "rss", "https://www.rfi.fr/cn/rss/index.xml", kind: "rss", interval: "1h",
                    extra: "\"maxArticlesPerPass\": 100000")
            ],
            extra: ["concurrency": "\(Self.concurrency)", "mirrors": "{\"https://www.rfi.fr\": \"\(server.baseURL)\"}"])
        func stored() -> Int { harness.int("SELECT count(*) FROM articles") }

        // Kill moments: right after exec (start-up, migrations, WAL recovery), right after the socket answers
        // (before or at the start of the pass), and the rest when the article count reaches a random threshold
        // (mid-pass: fetches in flight, parses, commits).
        var thresholds = Set<Int>()
        while thresholds.count < max(0, kills - 2) {
            thresholds.insert(Int.random(in: 1...(articles - 2 * Self.concurrency), using: &random))
        }
        var moments: [KillMoment] = thresholds.sorted().map { .whenStored($0) }
        if kills >= 1 { moments.insert(.atExec, at: Int.random(in: 0...moments.count, using: &random)) }
        if kills >= 2 { moments.insert(.whenAnswering, at: Int.random(in: 0...moments.count, using: &random)) }

        var daemon = try harness.start()
        var reader: SQLiteSession?
        var snapshot: [String] = []
        if withReader {
            let session = try SQLiteSession(database: harness.databasePath)
            snapshot = try session.run("BEGIN; SELECT count(*), coalesce(max(id), 0) FROM articles;")
            XCTAssertEqual(snapshot.count, 1, "\(snapshot)")
            reader = session
        }
        defer { reader?.close() }

        var killed = 0
        for moment in moments {
            switch moment {
            case .atExec:
                break
            case .whenAnswering:
                XCTAssertTrue(waitUntil(timeout: 30) { harness.status() != nil }, "\(context)\n\(daemon.log)")
            case let .whenStored(threshold):
                // At least one article stored by this life of the daemon, so the kill lands mid-pass; and some left
                // for the next one (a pass that completes before its kill makes the later kills start-up kills).
                let target = min(max(threshold, stored() + 1), articles - 2 * Self.concurrency)
                XCTAssertTrue(
                    waitUntil(timeout: 60, pollEvery: 0.005) { stored() >= target || !daemon.process.isRunning },
                    "never reached \(target) articles; \(context)\n\(daemon.log.suffix(2000))")
            }
            XCTAssertTrue(
                daemon.process.isRunning, "the daemon died on its own; \(context)\n\(daemon.log.suffix(2000))")
            daemon.kill9()
            killed += 1
            if let reader {
                // The reader's snapshot is untouched by the daemon's writes and its deaths.
                XCTAssertEqual(
                    try reader.run("SELECT count(*), coalesce(max(id), 0) FROM articles;"), snapshot, context)
            }
            daemon = try DaemonProcess(config: harness.configPath, folder: harness.folder.url)
        }
        defer { if daemon.process.isRunning { daemon.kill9() } }

        // The last daemon finishes the crawl (or a killed one finished it just before its kill: a pass is done once its
        // end is recorded).
        func nextRun() -> String? {
            harness.rows("SELECT next_run_at FROM sources WHERE name = 'rss'").first?.first ?? nil
        }
        XCTAssertTrue(
            waitUntil(timeout: 120, pollEvery: 0.1) {
                stored() == articles && harness.passes("rss", outcome: "ok") >= 1
                    && (nextRun().flatMap(DaemonHarness.date)?.timeIntervalSinceNow ?? 0) > 3000  // an interval away
            }, "the crawl did not complete after \(killed) kills; \(context)\n\(daemon.log.suffix(3000))")
        let interrupted = harness.passes("rss", outcome: "interrupted")
        let scheduled = try XCTUnwrap(nextRun())
        harness.stop(daemon)

        if let reader {
            XCTAssertEqual(
                try reader.run("SELECT count(*), coalesce(max(id), 0) FROM articles;"), snapshot,
                "the snapshot held through \(killed) kills; \(context)")
            XCTAssertEqual(try reader.run("COMMIT; SELECT count(*) FROM articles;"), ["\(articles)"], context)
        }

        // Exactly one row per article, each whole.
        let database = harness.databasePath
        XCTAssertEqual(try SQLiteShell.query(database, "PRAGMA integrity_check"), ["ok"], context)
        XCTAssertEqual(try SQLiteShell.query(database, "PRAGMA foreign_key_check"), [], context)
        XCTAssertEqual(
            try SQLiteShell.query(
                database,
                "INSERT INTO articles_fts(articles_fts) VALUES('integrity-check'); SELECT 'fts ok'"),
            ["fts ok"], "the full-text index matches the articles; \(context)")
        XCTAssertEqual(
            try SQLiteShell.query(
                database,
                """
                SELECT count(*), count(DISTINCT url), count(DISTINCT canonical_url), count(DISTINCT content_id) FROM articles
                """), ["\(articles)|\(articles)|\(articles)|\(articles)"], context)
        XCTAssertEqual(
            try SQLiteShell.query(
                database,
                """
                SELECT count(*) FROM article_revisions r JOIN articles a ON a.id = r.article_id
                WHERE r.revision = 1 AND a.revision = 1 AND r.content_hash = a.content_hash AND r.body_html = a.body_html
                """), ["\(articles)"], "one whole first revision per article; \(context)")
        XCTAssertEqual(
            try SQLiteShell.query(database, "SELECT count(*) FROM article_revisions"), ["\(articles)"], context)
        XCTAssertEqual(try SQLiteShell.query(database, "SELECT count(*) FROM articles_fts"), ["\(articles)"], context)
        XCTAssertEqual(try SQLiteShell.query(database, "SELECT count(*) FROM fetch_failures"), ["0"], context)
        XCTAssertEqual(
            try SQLiteShell.query(
                database, "SELECT count(*) FROM crawl_runs WHERE outcome NOT IN ('ok', 'interrupted')"),
            ["0"], "no pass left running, none failed; \(context)")
        let rows = harness.rows("SELECT url, title, body_text, content_hash FROM articles", columns: 4)
        let byURL = Dictionary(uniqueKeysWithValues: rows.map { ($0[0] ?? "", $0) })
        for (id, record) in expected {
            guard let row = byURL[record["url"] as? String ?? ""] else {
                XCTFail("\(id) missing; \(context)")
                continue
            }
            XCTAssertEqual(row[1], record["title"] as? String, id)
            XCTAssertEqual(
                row[2].map { SHA256.hex(Array($0.utf8)) }, record["body_text_sha256"] as? String,
                "\(id): the stored body is the whole body")
            XCTAssertEqual(row[3]?.count, 64, id)
        }

        // Nothing stored was fetched again: each kill cost at most the articles in hand (one per fetch slot).
        let articleRequests = server.requests.filter {
            $0.path.hasSuffix("/") && $0.path.range(of: #"/\d{8}-"#, options: .regularExpression) != nil
        }
        XCTAssertLessThanOrEqual(
            articleRequests.count, articles + killed * Self.concurrency,
            "pages refetched after restarts; \(context)")

        // The timetable resumes from the database: the next pass stays an hour away, nothing is fetched at start.
        let requestsBefore = server.requestCount()
        let passesBefore = harness.passes("rss")
        daemon = try harness.start()
        XCTAssertEqual(harness.source("rss")?["next_run_at"] as? String, scheduled, context)
        XCTAssertEqual(harness.passes("rss"), passesBefore, context)
        harness.stop(daemon)
        XCTAssertEqual(server.requestCount(), requestsBefore, "a restart fetched something; \(context)")

        print(
            "crash-safety: reader=\(withReader) articles=\(articles) kills=\(killed) interrupted_passes=\(interrupted) "
                + "article_requests=\(articleRequests.count) rows_checked=\(rows.count) \(context)")
    }
}

private enum KillMoment {
    /// Straight after exec: start-up, migrations, WAL recovery.
    case atExec
    /// Once the status socket answers: the pass is about to start, or starting.
    case whenAnswering
    /// Once this many articles are stored: mid-pass.
    case whenStored(Int)
}

/// A seedable generator (SplitMix64), so a failing run can be replayed exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
