import Foundation
import HeraldTestSupport
import XCTest

/// `herald discover`, `herald source add` and `herald source import` as users run them: the real binary against the
/// discovery fixture sites on loopback (through a config mirror), then `check-config` and a crawl of the result.
final class SiteDiscoveryCommandTests: XCTestCase {
    private func writeConfig(
        _ folder: TemporaryDirectory, mirror origin: String, to server: FixtureServer
    ) throws -> String {
        let path = folder.path("config.json")
        try """
        {
          // Written by hand: the comments and this layout must survive source add and source import.
          "database": "herald.db",
          "statusSocket": "\(folder.path("herald.sock"))",
          "perHost": {"concurrency": 4, "delay": "0s"},
          "mirrors": {"\(origin)": "\(server.baseURL)"}, /* fetch the fixture origin from loopback */
          "sources": [
            {"name": "placeholder", "listing": "\(origin)/nothing-here", "enabled": false}, // kept as it is
          ]
        }

        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func testDiscoverOnAHomepagePrintsItsSitemapsAndArticlesAndSourceAddMakesACrawlThatStoresThem() throws {
        let sites = try DiscoverySites.standard()
        let expected = try XCTUnwrap(
            (try sites.json("expected/discovery.json")["sitemap_site"] as? [String: Any])?[
                "homepage_articles"] as? [String])
        XCTAssertEqual(expected.count, 12)
        let server = try FixtureServer(root: sites.url("sitemap-site"))
        defer { server.stop() }
        let folder = try TemporaryDirectory("herald-discover")
        defer { folder.remove() }
        let config = try writeConfig(folder, mirror: DiscoverySites.sitemapOrigin, to: server)
        let home = DiscoverySites.sitemapOrigin + "/"

        let discovered = try HeraldBinary.run(["discover", home, "--config", config, "--json"])
        XCTAssertEqual(discovered.status, 0, discovered.stderr)
        let report = try json(discovered.stdout)
        let sitemaps = try XCTUnwrap(report["sitemaps"] as? [[String: Any]])
        XCTAssertEqual(sitemaps.first?["url"] as? String, DiscoverySites.sitemapOrigin + "/sitemap_index.xml")
        XCTAssertEqual(sitemaps.first?["found_in"] as? String, "robots.txt")
        XCTAssertEqual(report["article_links"] as? Int, 12)
        let pattern = try XCTUnwrap(report["link_pattern"] as? String)
        let regex = try NSRegularExpression(pattern: pattern)
        XCTAssertTrue(
            expected.allSatisfy { regex.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil },
            pattern)
        XCTAssertTrue((report["source"] as? String)?.contains("\"kind\": \"html\"") == true, discovered.stdout)

        let text = try HeraldBinary.run(["discover", home, "--config", config])
        XCTAssertEqual(text.status, 0, text.stderr)
        for heading in [
            "Feeds: none found", "Sitemaps:", "Article links by structure: 12", "Ranked:",
            "Source block for config.json",
        ] {
            XCTAssertTrue(text.stdout.contains(heading), "\(heading) in:\n\(text.stdout)")
        }

        let added = try HeraldBinary.run(["source", "add", home, "--name", "example", "--config", config])
        XCTAssertEqual(added.status, 0, added.stderr)
        XCTAssertTrue(added.stdout.contains("added source \"example\""), added.stdout)
        XCTAssertTrue(added.stdout.contains("no daemon is running"), added.stdout)
        let written = try String(contentsOfFile: config, encoding: .utf8)
        XCTAssertTrue(
            written.contains("// Written by hand") && written.contains("/* fetch the fixture origin")
                && written.contains("// kept as it is"), written)
        XCTAssertEqual(try HeraldBinary.run(["check-config", "--config", config]).status, 0)

        let again = try HeraldBinary.run(["source", "add", home, "--config", config])
        XCTAssertEqual(again.status, 1, "the same listing twice")
        XCTAssertTrue(again.stderr.contains("already the listing of source \"example\""), again.stderr)

        let crawl = try HeraldBinary.run(["crawl", "--config", config, "--quiet"])
        XCTAssertEqual(crawl.status, 0, crawl.stderr)
        let stored = try SQLiteShell.query(folder.path("herald.db"), "SELECT url FROM articles ORDER BY url")
        XCTAssertEqual(stored, expected.sorted())
    }

    func testAFeedOnlySiteRanksItsAdvertisedFeedFirst() throws {
        let sites = try DiscoverySites.standard()
        let server = try FixtureServer(root: sites.url("feed-site"))
        defer { server.stop() }
        let folder = try TemporaryDirectory("herald-discover-feed")
        defer { folder.remove() }
        let config = try writeConfig(folder, mirror: DiscoverySites.feedOrigin, to: server)
        let discovered = try HeraldBinary.run([
            "discover", DiscoverySites.feedOrigin + "/", "--config", config, "--json",
        ])
        XCTAssertEqual(discovered.status, 0, discovered.stderr)
        let report = try json(discovered.stdout)
        let feeds = try XCTUnwrap(report["feeds"] as? [[String: Any]])
        XCTAssertEqual(
            feeds.map { $0["url"] as? String },
            [
                DiscoverySites.feedOrigin + "/feed.xml",
                DiscoverySites.feedOrigin + "/world/feed.xml",
            ])
        XCTAssertEqual(feeds.map { $0["items"] as? Int }, [8, 4])
        XCTAssertTrue(feeds.allSatisfy { $0["advertised"] as? Bool == true })
        let best = try XCTUnwrap((report["candidates"] as? [[String: Any]])?.first)
        XCTAssertEqual(best["listing"] as? String, DiscoverySites.feedOrigin + "/feed.xml")
    }

    func testImportingAnOPMLExportAddsItsFeedsOnceAndTheCrawlStoresTheirArticles() throws {
        let sites = try DiscoverySites.standard()
        let articles = try XCTUnwrap(
            (try sites.json("expected/discovery.json")["feed_site"] as? [String: Any])?[
                "articles"] as? [String])
        XCTAssertEqual(articles.count, 8)
        let server = try FixtureServer(root: sites.url("feed-site"))
        defer { server.stop() }
        let folder = try TemporaryDirectory("herald-import")
        defer { folder.remove() }
        let config = try writeConfig(folder, mirror: DiscoverySites.feedOrigin, to: server)
        let opml = sites.url("feeds.opml").path

        let imported = try HeraldBinary.run(["source", "import", opml, "--config", config, "--json"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let answer = try json(imported.stdout)
        XCTAssertEqual(
            (answer["added"] as? [[String: Any]])?.compactMap { $0["name"] as? String },
            ["feed-example", "feed-example-world-europe"])
        XCTAssertEqual(answer["reload"] as? String, "no-daemon")
        let written = try String(contentsOfFile: config, encoding: .utf8)
        XCTAssertTrue(
            written.contains("// kept as it is") && written.contains("\"displayName\": \"Feed Example\""),
            written)
        XCTAssertEqual(try HeraldBinary.run(["check-config", "--config", config]).status, 0)

        let twice = try HeraldBinary.run(["source", "import", opml, "--config", config])
        XCTAssertEqual(twice.status, 0, twice.stderr)
        XCTAssertTrue(twice.stdout.contains("added 0, 2 already sources"), twice.stdout)

        let crawl = try HeraldBinary.run(["crawl", "--config", config, "--quiet"])
        XCTAssertEqual(crawl.status, 0, crawl.stderr)
        XCTAssertEqual(
            try SQLiteShell.query(folder.path("herald.db"), "SELECT url FROM articles ORDER BY url"),
            articles.sorted())
    }

    func testBadInputsGetASentenceAndTheDocumentedExitStatus() throws {
        let folder = try TemporaryDirectory("herald-discover-bad")
        defer { folder.remove() }
        let notHTTP = try HeraldBinary.run(["discover", "ftp://example.com/", "--config", folder.path("none.json")])
        XCTAssertEqual(notHTTP.status, 64, notHTTP.stderr)
        XCTAssertTrue(notHTTP.stderr.contains("is not an http(s) URL"), notHTTP.stderr)

        let missing = try HeraldBinary.run([
            "source", "import", folder.path("nope.opml"), "--config", folder.path("c.json"),
        ])
        XCTAssertEqual(missing.status, 66, missing.stderr)

        try "<html><body>not opml</body></html>".write(
            toFile: folder.path("page.opml"), atomically: true, encoding: .utf8)
        let foreign = try HeraldBinary.run([
            "source", "import", folder.path("page.opml"), "--config", folder.path("c.json"),
        ])
        XCTAssertEqual(foreign.status, 65, foreign.stderr)
        XCTAssertTrue(foreign.stderr.contains("not an OPML document"), foreign.stderr)

        let server = try FixtureServer()
        server.stop()  // nothing listens on that port now
        let unreachable = try HeraldBinary.run(["discover", server.url("/"), "--config", folder.path("none.json")])
        XCTAssertEqual(unreachable.status, 1, unreachable.stderr)
        XCTAssertTrue(unreachable.stderr.contains("cannot fetch"), unreachable.stderr)
    }
}

/// `source import` (and `source add`, which shares its writer) tells a running daemon to reload.
final class SourceReloadTests: XCTestCase {
    func testImportingWhileTheDaemonRunsReloadsItAndTheNewSourcesRun() throws {
        let sites = try DiscoverySites.standard()
        let server = try FixtureServer(root: sites.url("feed-site"))
        defer { server.stop() }
        let harness = try DaemonHarness("herald-import-reload")
        try harness.writeConfig(
            sources: [
                DaemonHarness.source(
                    "placeholder", DiscoverySites.feedOrigin + "/nothing-here", interval: "1h",
                    extra: #""enabled": false"#)
            ],
            extra: ["mirrors": #"{"\#(DiscoverySites.feedOrigin)": "\#(server.baseURL)"}"#])
        let daemon = try harness.start()
        defer { harness.stop(daemon) }

        let imported = try HeraldBinary.run([
            "source", "import", sites.url("feeds.opml").path, "--config",
            harness.configPath, "--json",
        ])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let answer = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(answer["reload"] as? String, "reloaded", imported.stdout)
        XCTAssertTrue(
            waitUntil(timeout: 30) { harness.source("feed-example") != nil },
            "the daemon runs the imported source:\n\(daemon.log)")
        XCTAssertTrue(
            waitUntil(timeout: 30) { harness.int("SELECT count(*) FROM articles") == 8 },
            "its articles are stored:\n\(daemon.log)")
    }
}
