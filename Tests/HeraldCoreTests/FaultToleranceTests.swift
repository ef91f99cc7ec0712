import Foundation
import HeraldCore
import HeraldTestSupport
import XCTest

/// The bad days, recreated against the real daemon (`herald run`): one healthy source, and one source per fault, each
/// on its own loopback address (127.0.0.N), so to the daemon they are different sites, as in production.
///
/// For each fault: the daemon stays up and answers its socket, `GET /status` names the fault for that source, the
/// healthy source keeps its timetable, nothing partial reaches the database, and the source recovers once the server
/// heals. HTTP-level behaviour of each fault is pinned in HeraldFetchTests; this is the operator's view of it.
final class FaultToleranceTests: XCTestCase {
    /// Long enough that a healthy source blocked behind a stalled one would show it: its passes, 1 s apart, would be
    /// `lowSpeed` apart instead.
    private static let lowSpeed = 10.0
    /// How late the healthy source's next pass may start (interval 1 s, no jitter, no per-host delay) on a loaded
    /// two-core machine. Well under `lowSpeed`.
    private static let healthyGapLimit = 6.0

    private var site: FixtureSite!
    private var servers: [FixtureServer] = []

    override func setUpWithError() throws {
        site = try FixtureSite.standard()
    }

    override func tearDown() {
        for server in servers { server.stop() }
        servers = []
    }

    private func server(_ address: String, root: Bool = true) throws -> FixtureServer {
        let server = try FixtureServer(root: root ? site.root : nil, address: address)
        servers.append(server)
        return server
    }

    private func fixtureBytes(_ path: String) throws -> [UInt8] {
        [UInt8](try site.data(path))
    }

    // MARK: - Listing faults

    private struct ListingFault {
        var name: String
        var response: FixtureServer.Response
        /// Every piece must appear in the source's `last_error`.
        var expected: [String]
    }

    private static func listingFaults() -> [ListingFault] {
        let page = FixtureServer.Response.html(
            "<html><body>" + String(repeating: "<p>news</p>", count: 4000) + "</body></html>")
        let tooLarge = FixtureServer.Response.bytes(
            [UInt8](repeating: UInt8(ascii: "x"), count: 5 << 20),
            contentType: "text/html")
        return [
            ListingFault(name: "http-500", response: .status(500), expected: ["HTTP 500"]),
            ListingFault(name: "http-502", response: .status(502), expected: ["HTTP 502"]),
            ListingFault(name: "http-503", response: .status(503), expected: ["HTTP 503"]),
            ListingFault(
                name: "http-429", response: .status(429, headers: [("Retry-After", "30")]),
                expected: ["HTTP 429 (Retry-After 30s)"]),
            ListingFault(name: "http-404", response: .status(404), expected: ["HTTP 404"]),
            ListingFault(name: "http-410", response: .status(410), expected: ["HTTP 410"]),
            ListingFault(
                name: "reset", response: page.resettingMidBody(),
                expected: ["transfer failed (Recv failure: Connection reset"]),
            ListingFault(name: "stall", response: page.stalling(), expected: ["no answer in time"]),
            ListingFault(name: "trickle", response: page.trickling(every: 1), expected: ["no answer in time"]),
            ListingFault(
                name: "truncated", response: page.truncated(missing: 1000),
                expected: ["transfer failed (transfer closed with"]),
            ListingFault(
                name: "corrupt-gzip", response: page.corruptGzipped(),
                expected: ["transfer failed (Error while processing content unencoding"]),
            ListingFault(name: "redirect-loop", response: .redirect(to: "/list/"), expected: ["more than 5 redirects"]),
            ListingFault(
                name: "redirect-file", response: .redirect(to: "file:///etc/passwd"),
                expected: ["unsupported scheme \"file\""]),
            ListingFault(
                name: "redirect-ftp", response: .redirect(to: "ftp://127.0.0.1/pub/list"),
                expected: ["unsupported scheme \"ftp\""]),
            ListingFault(name: "too-large", response: tooLarge, expected: ["larger than maxBodyBytes"]),
            ListingFault(
                name: "gzip-bomb", response: .gzipBomb(count: 64 << 20), expected: ["larger than maxBodyBytes"]),
        ]
    }

    func testEveryListingFaultIsReportedAndHealsWhileAHealthySourceKeepsItsTimetable() throws {
        let faults = Self.listingFaults()
        let healthy = try server("127.0.0.1")
        // The healed listing: the 中国 section's first page (6 articles, linked path-absolute, so fetched from the
        // same server).
        let section = try fixtureBytes("cn/中国/index.html")
        var faulty: [String: FixtureServer] = [:]
        for (index, fault) in faults.enumerated() {
            let server = try server("127.0.0.\(index + 2)")
            server.route("/list/", fault.response)
            faulty[fault.name] = server
        }
        let harness = try DaemonHarness("herald-faults")
        try harness.writeConfig(
            sources: [DaemonHarness.source("healthy", healthy.url("/cn/"))]
                + faults.map { DaemonHarness.source("f-\($0.name)", faulty[$0.name]!.url("/list/")) },
            extra: [
                "concurrency": "32", "maxBodyBytes": "\(4 << 20)",
                "timeouts": "{\"connect\": \"5s\", \"total\": \"60s\", \"lowSpeed\": \"\(Int(Self.lowSpeed))s\"}",
            ])
        let daemon = try harness.start()
        defer { if daemon.process.isRunning { daemon.kill9() } }

        // Each fault, as soon as status reports it, is checked and healed.
        var pending = Set(faults.map(\.name))
        let reported = waitUntil(timeout: 90, pollEvery: 0.1) {
            let sources = harness.sources()
            XCTAssertFalse(sources.isEmpty, "the status socket stopped answering:\n\(daemon.log)")
            for fault in faults where pending.contains(fault.name) {
                guard let source = sources["f-\(fault.name)"], let run = source["last_run"] as? [String: Any],
                    run["outcome"] as? String == "failed"
                else { continue }
                let error = source["last_error"] as? String ?? ""
                for piece in fault.expected {
                    XCTAssertTrue(error.contains(piece), "\(fault.name): last_error \(error) lacks \(piece)")
                }
                XCTAssertEqual(source["state"] as? String, "backoff", "\(fault.name): \(source)")
                XCTAssertGreaterThanOrEqual(source["consecutive_failures"] as? Int ?? 0, 1, fault.name)
                XCTAssertEqual((run["errors"] as? [String])?.first, error, fault.name)
                if fault.name == "http-429" {
                    // The server's Retry-After outweighs the 1 s interval's backoff.
                    let finished = (run["finished_at"] as? String).flatMap(DaemonHarness.date)
                    let next = (source["next_run_at"] as? String).flatMap(DaemonHarness.date)
                    XCTAssertGreaterThanOrEqual(
                        next.flatMap { n in finished.map { n.timeIntervalSince($0) } } ?? 0, 29,
                        "next run honours Retry-After: \(source)")
                }
                faulty[fault.name]!.route("/list/", .bytes(section, contentType: "text/html"))
                pending.remove(fault.name)
                if fault.name == "http-429" {
                    // Waiting out 30 s is the scheduler's job; the operator can run it now.
                    XCTAssertEqual(try? harness.request("POST", "/sources/f-http-429/crawl").status, 202)
                }
            }
            return pending.isEmpty || !daemon.process.isRunning
        }
        XCTAssertTrue(reported, "faults never reported: \(pending.sorted())\n\(harness.sources())")
        XCTAssertTrue(daemon.process.isRunning, daemon.log)

        // Every source recovers: idle, no failures, the section's six articles stored, once each.
        let recovered = waitUntil(timeout: 90, pollEvery: 0.2) {
            let sources = harness.sources()
            return faults.allSatisfy { fault in
                guard let source = sources["f-\(fault.name)"] else { return false }
                return source["consecutive_failures"] as? Int == 0 && source["state"] as? String == "idle"
                    && (source["last_run"] as? [String: Any])?["outcome"] as? String == "ok"
                    && source["last_error"] is NSNull
            }
        }
        XCTAssertTrue(recovered, "not every source recovered:\n\(harness.sources().filter { $0.key.hasPrefix("f-") })")
        for fault in faults {
            let name = "f-\(fault.name)"
            XCTAssertEqual(harness.int("SELECT count(*) FROM articles WHERE source = '\(name)'"), 6, name)
            XCTAssertGreaterThanOrEqual(harness.passes(name, outcome: "failed"), 1, name)
            XCTAssertEqual(
                harness.int("SELECT sum(new) FROM crawl_runs WHERE source = '\(name)' AND outcome = 'failed'"),
                0, "\(name): a failed listing stores nothing")
        }
        XCTAssertEqual(harness.int("SELECT count(*) FROM fetch_failures"), 0)
        XCTAssertEqual(harness.int("SELECT count(*) - count(DISTINCT url) FROM articles"), 0)

        // The healthy source kept its 1 s timetable throughout, stalls and trickles included.
        XCTAssertGreaterThanOrEqual(harness.passes("healthy", outcome: "ok"), 5)
        XCTAssertLessThanOrEqual(
            harness.longestGapBetweenPasses("healthy"), Self.healthyGapLimit,
            "the healthy source was held up by the faulty ones")
        XCTAssertEqual(harness.source("healthy")?["consecutive_failures"] as? Int, 0)

        print(
            "fault-table: listing faults=\(faults.count) reported=\(faults.count - pending.count) recovered="
                + "\(faults.filter { harness.int("SELECT count(*) FROM articles WHERE source = 'f-\($0.name)'") == 6 }.count) "
                + "healthy_passes=\(harness.passes("healthy", outcome: "ok")) "
                + "healthy_longest_gap=\(harness.longestGapBetweenPasses("healthy"))s")

        // The metrics tell the faults apart.
        let metrics = try harness.request("GET", "/metrics").body
        for outcome in ["2xx", "4xx", "5xx", "timeout", "network", "too_large", "redirects", "bad_scheme"] {
            XCTAssertTrue(metrics.contains(",outcome=\"\(outcome)\"}"), "no \(outcome) in:\n\(metrics)")
        }
        harness.stop(daemon)
        XCTAssertEqual(harness.rows("PRAGMA integrity_check").first?.first, "ok")
    }

    // MARK: - Article and content faults

    /// An article route that fails, how the failure is recorded, and whether it is retried on its own later.
    private struct ArticleFault {
        var name: String
        var response: FixtureServer.Response
        var expected: String
        var permanent: Bool
    }

    func testArticleAndContentFaultsStoreNothingPartialAndHealWhenTheListingShowsANewerVersion() throws {
        let healthy = try server("127.0.0.1")
        let manifest = try site.json("expected/manifest.json")
        let index = try XCTUnwrap(manifest["article_index"] as? [[String: Any]])
        let articleFiles = index.compactMap { $0["file"] as? String }

        // 1. Faulty article pages behind a healthy feed (fetch faults, then nothing partial may be stored).
        let articles = try server("127.0.0.20", root: false)
        func page(_ n: Int) throws -> FixtureServer.Response {
            .bytes(try fixtureBytes(articleFiles[n]), contentType: "text/html")
        }
        let faults = [
            ArticleFault(
                name: "truncated", response: try page(1).truncated(missing: 5000),
                expected: "transfer failed (transfer closed with", permanent: false),
            ArticleFault(
                name: "reset", response: try page(2).resettingMidBody(),
                expected: "transfer failed (Recv failure: Connection reset", permanent: false),
            ArticleFault(
                name: "corrupt-gzip", response: try page(3).corruptGzipped(),
                expected: "transfer failed (Error while processing content unencoding", permanent: false),
            ArticleFault(name: "stall", response: try page(4).stalling(), expected: "timed out", permanent: false),
            ArticleFault(
                name: "trickle", response: try page(5).trickling(every: 1), expected: "timed out", permanent: false),
            ArticleFault(name: "http-503", response: .status(503), expected: "HTTP 503", permanent: false),
            ArticleFault(name: "http-404", response: .status(404), expected: "HTTP 404", permanent: true),
            ArticleFault(name: "http-410", response: .status(410), expected: "HTTP 410", permanent: true),
            ArticleFault(
                name: "too-large", response: .gzipBomb(count: 64 << 20), expected: "maxBodyBytes", permanent: true),
            ArticleFault(
                name: "redirect-file", response: .redirect(to: "file:///etc/passwd"),
                expected: "unsupported scheme \"file\"", permanent: true),
            ArticleFault(
                name: "redirect-loop", response: .redirect(to: "/a/redirect-loop"),
                expected: "more than 5 redirects", permanent: true),
        ]
        articles.route("/a/good", try page(0))
        for fault in faults { articles.route("/a/\(fault.name)", fault.response) }
        func feed(_ date: String) -> FixtureServer.Response {
            let items = (["good"] + faults.map(\.name)).map { name in
                "<item><title>\(name)</title><link>\(articles.url("/a/\(name)"))</link><pubDate>\(date)</pubDate></item>"
            }.joined()
            return .text(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\(items)</channel></rss>",
                contentType: "application/rss+xml")
        }
        articles.route("/feed.xml", feed("Sat, 28 Oct 2023 09:52:00 GMT"))

        // 2. Hostile pages: charsets, a 10,000-deep nest, no article, an incomplete page.
        let hostile = try server("127.0.0.21")
        let stored = ["gbk-meta-charset", "big5-http-equiv", "invalid-utf8", "deep-nesting"]
        let hostileLinks = (stored + ["no-article", "truncated"]).map { "<a href=\"/hostile/\($0).html\">\($0)</a>" }
        hostile.route("/hostile-list/", .html("<html><body>\(hostileLinks.joined())</body></html>"))

        // 3. robots.txt forbidding a section, and a listing inside it.
        let robots = try server("127.0.0.22")
        let china = "/cn/%E4%B8%AD%E5%9B%BD/"
        // The fixture's own rules (its decoys stay forbidden), plus the 中国 section.
        robots.route(
            "/robots.txt",
            .text(
                "User-agent: *\nDisallow: /private/\nDisallow: /cn/%E5%86%85%E9%83%A8/\n"
                    + "Disallow: \(china)\n"))

        // 4. A listing of 5,000 links: 60 articles in five spellings each, and 500 others.
        let crowded = try server("127.0.0.23")

        let harness = try DaemonHarness("herald-faults")
        try harness.writeConfig(
            sources: [
                DaemonHarness.source("healthy", healthy.url("/cn/")),
                DaemonHarness.source("article-faults", articles.url("/feed.xml"), kind: "rss"),
                DaemonHarness.source(
                    "hostile", hostile.url("/hostile-list/"),
                    extra: "\"linkPattern\": \"/hostile/[a-z0-9-]+\\\\.html$\""),
                DaemonHarness.source("robots", robots.url("/cn/")),
                DaemonHarness.source("robots-listing", robots.url(china)),
                DaemonHarness.source("crowded", crowded.url("/hostile/listing-5000-links.html")),
            ],
            extra: [
                "concurrency": "16",
                "timeouts": "{\"connect\": \"5s\", \"total\": \"60s\", \"lowSpeed\": \"\(Int(Self.lowSpeed))s\"}",
            ])
        let daemon = try harness.start()
        defer { if daemon.process.isRunning { daemon.kill9() } }

        func lastRun(_ name: String) -> [String: Any]? { harness.source(name)?["last_run"] as? [String: Any] }
        XCTAssertTrue(
            waitUntil(timeout: 90, pollEvery: 0.2) {
                ["article-faults", "hostile", "robots", "robots-listing", "crowded"].allSatisfy { lastRun($0) != nil }
            }, "not every source finished a pass:\n\(harness.sources())\n\(daemon.log.suffix(3000))")

        // Fetch faults: each recorded with its reason; only the good article stored; nothing of the others.
        let run = try XCTUnwrap(lastRun("article-faults"))
        XCTAssertEqual(run["outcome"] as? String, "partial", "\(run)")
        XCTAssertEqual(run["new"] as? Int, 1, "\(run)")
        XCTAssertEqual(run["failed"] as? Int, faults.count, "\(run)")
        XCTAssertEqual(harness.source("article-faults")?["state"] as? String, "idle", "a partial pass is not a failure")
        let failures = Dictionary(
            uniqueKeysWithValues: harness.rows(
                "SELECT url, error, permanent, retry_after FROM fetch_failures WHERE source = 'article-faults'",
                columns: 4
            )
            .map { ($0[0] ?? "", $0) })
        let now = Date()
        for fault in faults {
            let row = try XCTUnwrap(failures[articles.url("/a/\(fault.name)")], "\(fault.name) not recorded")
            XCTAssertTrue(row[1]?.contains(fault.expected) ?? false, "\(fault.name): \(row[1] ?? "")")
            XCTAssertEqual(row[2], fault.permanent ? "1" : "0", fault.name)
            if !fault.permanent {
                let retry = try XCTUnwrap(row[3].flatMap(DaemonHarness.date), fault.name)
                XCTAssertGreaterThan(
                    retry.timeIntervalSince(now), 200, "\(fault.name) retried minutes later, not at once")
            }
        }
        XCTAssertEqual(harness.int("SELECT count(*) FROM articles WHERE source = 'article-faults'"), 1)
        XCTAssertEqual(
            harness.int(
                """
                SELECT count(*) FROM article_revisions r JOIN articles a ON a.id = r.article_id
                WHERE a.source = 'article-faults'
                """), 1, "no revision of a failed page")
        // Later passes leave the failed pages alone (no hammering a broken server every minute).
        let requested = Dictionary(
            uniqueKeysWithValues: faults.map { ($0.name, articles.requestCount(path: "/a/\($0.name)")) })
        let passesSoFar = harness.passes("article-faults")
        XCTAssertTrue(waitUntil(timeout: 30) { harness.passes("article-faults") >= passesSoFar + 2 })
        for fault in faults {
            XCTAssertEqual(articles.requestCount(path: "/a/\(fault.name)"), requested[fault.name], fault.name)
        }

        // Hostile pages: four stored with the right text, two refused with the reason (and skipped by later passes).
        func firstPass(_ source: String) -> [String?] {
            harness.rows(
                """
                SELECT outcome, failed, skipped, links_found, new FROM crawl_runs WHERE source = '\(source)'
                ORDER BY id LIMIT 1
                """, columns: 5
            ).first ?? [nil, nil, nil, nil, nil]
        }
        XCTAssertEqual(firstPass("hostile"), ["partial", "2", "0", "6", "4"])
        let refused = Dictionary(
            uniqueKeysWithValues: harness.rows(
                "SELECT url, error, permanent FROM fetch_failures WHERE source = 'hostile'", columns: 3
            ).map { ($0[0] ?? "", $0) })
        let noArticle = try XCTUnwrap(refused[hostile.url("/hostile/no-article.html")])
        XCTAssertTrue(noArticle[1]?.contains("not an article") ?? false, "\(noArticle)")
        XCTAssertEqual(noArticle[2], "1", "a page without an article is not retried")
        let incomplete = try XCTUnwrap(refused[hostile.url("/hostile/truncated.html")])
        XCTAssertTrue(incomplete[1]?.contains("incomplete page") ?? false, "\(incomplete)")
        XCTAssertEqual(incomplete[2], "0", "an incomplete page is retried later")
        for name in stored {
            let expected = try XCTUnwrap(try site.json("expected/hostile/\(name).json")["article"] as? [String: Any])
            let title = harness.rows("SELECT title FROM articles WHERE url = '\(hostile.url("/hostile/\(name).html"))'")
            XCTAssertEqual(title.first?.first ?? nil, expected["title"] as? String, name)
        }
        XCTAssertEqual(harness.int("SELECT count(*) FROM articles WHERE source = 'hostile'"), stored.count)

        // robots.txt: the forbidden section is never requested, the rest of the homepage is stored.
        let homepage = try XCTUnwrap((try site.json("expected/listings.json"))["/cn/"] as? [String: Any])
        let homeArticles = try XCTUnwrap(homepage["articles"] as? [String])
        let allowed = homeArticles.filter { !$0.hasPrefix(china) }
        XCTAssertLessThan(allowed.count, homeArticles.count)
        XCTAssertEqual(harness.int("SELECT count(*) FROM articles WHERE source = 'robots'"), allowed.count)
        XCTAssertFalse(robots.requests.contains { $0.path.hasPrefix(china) }, "a disallowed path was fetched")
        XCTAssertGreaterThanOrEqual(Int(firstPass("robots")[2] ?? "") ?? 0, homeArticles.count - allowed.count)
        XCTAssertTrue(
            (harness.source("robots-listing")?["last_error"] as? String ?? "").contains("disallowed by robots.txt"),
            "\(harness.source("robots-listing") ?? [:])")

        // 5,000 links: sixty articles, once each.
        XCTAssertEqual(firstPass("crowded"), ["ok", "0", "0", "60", "60"])
        XCTAssertEqual(harness.int("SELECT count(DISTINCT url) FROM articles WHERE source = 'crowded'"), 60)
        XCTAssertEqual(harness.int("SELECT count(*) FROM articles WHERE source = 'crowded'"), 60)

        // The server heals and the feed shows newer versions: every failed page is fetched and stored.
        for (n, fault) in faults.enumerated() { articles.route("/a/\(fault.name)", try page(n + 1)) }
        articles.route("/feed.xml", feed("Sun, 29 Oct 2023 09:52:00 GMT"))
        XCTAssertTrue(
            waitUntil(timeout: 60, pollEvery: 0.2) {
                harness.int("SELECT count(*) FROM articles WHERE source = 'article-faults'") == faults.count + 1
                    && harness.int("SELECT count(*) FROM fetch_failures WHERE source = 'article-faults'") == 0
            }, "the healed pages were not stored:\n\(harness.rows("SELECT url, error FROM fetch_failures", columns: 2))"
        )

        XCTAssertLessThanOrEqual(
            harness.longestGapBetweenPasses("healthy"), Self.healthyGapLimit,
            "the healthy source was held up by the faulty ones")
        XCTAssertGreaterThanOrEqual(harness.passes("healthy", outcome: "ok"), 5)
        print(
            "fault-table: article faults=\(faults.count) recorded=\(failures.count) healed="
                + "\(harness.int("SELECT count(*) FROM articles WHERE source = 'article-faults'") - 1) hostile_pages=6 "
                + "stored=\(harness.int("SELECT count(*) FROM articles WHERE source = 'hostile'")) "
                + "robots_allowed=\(allowed.count) crowded_links=5000 crowded_stored="
                + "\(harness.int("SELECT count(*) FROM articles WHERE source = 'crowded'")) "
                + "healthy_passes=\(harness.passes("healthy", outcome: "ok")) "
                + "healthy_longest_gap=\(harness.longestGapBetweenPasses("healthy"))s")
        harness.stop(daemon)
        XCTAssertEqual(harness.rows("PRAGMA integrity_check").first?.first, "ok")
        XCTAssertEqual(harness.int("SELECT count(*) - count(DISTINCT url) FROM articles"), 0)
    }
}
