import Foundation
import HeraldArticle
import HeraldParse
import HeraldStore
import HeraldTestSupport
import HeraldTime
import Logging
import XCTest

@testable import HeraldCore

/// The crawl pass end to end against the RFI-like fixture site served on 127.0.0.1.
final class CrawlPassFixtureTests: XCTestCase {
    func testEveryFixtureArticleIsStoredOnceWithTheExpectedFieldsAndASecondPassStoresNothing() async throws {
        let harness = try CrawlHarness()
        let sources = try harness.firstListingPages().enumerated().map { index, path in
            CrawlHarness.source("listing-\(index)", harness.server.url(path))
        }
        let config = try harness.config(sources: sources)
        let first = try await harness.crawl(config)
        XCTAssertTrue(first.allSatisfy { $0.outcome != .failed }, first.map(\.summary).joined(separator: "\n"))

        let expected = try harness.site.expectedArticles()
        let rows = try harness.articles()
        XCTAssertEqual(rows.count, expected.count, "one row per fixture article")
        XCTAssertEqual(Set(rows.map(\.url)).count, rows.count)
        let byCanonical = Dictionary(grouping: rows, by: { $0.canonicalURL ?? "" })
        for (id, record) in expected {
            let url = try XCTUnwrap(record["url"] as? String)
            guard let matches = byCanonical[url] else {
                XCTFail("\(id) was not stored")
                continue
            }
            XCTAssertEqual(matches.count, 1, "\(id) stored \(matches.count) times")
            // url: the loopback link followed, checked below
            XCTAssertEqual(articleMismatches(matches[0], record, skipping: ["url"]), [], id)
            let path = try XCTUnwrap(record["path"] as? String)
            XCTAssertEqual(matches[0].url, harness.server.url(path), "url is the canonical form of the link followed")
            // Listed by the homepage and by its section, crawled by overlapping passes: fetched once all the same.
            XCTAssertEqual(harness.server.requests(path: path).count, 1, "\(id) fetched more than once")
        }
        let manifest = try harness.site.json("expected/manifest.json")
        for decoy in manifest["must_not_store"] as? [[String: Any]] ?? [] {
            let path = try XCTUnwrap(decoy["path"] as? String)
            XCTAssertFalse(rows.contains { $0.url.hasSuffix(path) }, "stored a decoy: \(path) (\(decoy["why"] ?? ""))")
        }
        XCTAssertEqual(try harness.count("SELECT count(*) FROM article_revisions"), expected.count)

        harness.server.clearLog()
        let second = try await harness.crawl(config)
        XCTAssertEqual(second.map(\.counts.new).reduce(0, +), 0, second.map(\.summary).joined(separator: "\n"))
        XCTAssertEqual(second.map(\.counts.updated).reduce(0, +), 0)
        XCTAssertEqual(try harness.count("SELECT count(*) FROM articles"), expected.count)
        XCTAssertEqual(try harness.count("SELECT count(*) FROM article_revisions"), expected.count)
        // The listings were asked conditionally and answered 304: no article page was fetched again.
        let homepage = harness.server.requests(path: "/cn/")
        XCTAssertNotNil(homepage.first?.headers["if-modified-since"])
        XCTAssertTrue(second.contains { $0.listingUnchanged })
        XCTAssertFalse(
            harness.server.requests.contains { $0.path.range(of: #"/\d{8}-"#, options: .regularExpression) != nil },
            "no article page fetched on the second pass")
    }

    /// "Skipped" is told apart: links over maxArticlesPerPass are deferred to the next pass, links robots.txt
    /// forbids are counted as such, and the next pass takes the deferred ones.
    func testSkippedLinksAreCountedByReason() async throws {
        let harness = try CrawlHarness()
        let china = "/cn/%E4%B8%AD%E5%9B%BD/"
        harness.server.route("/robots.txt", .text("User-agent: *\nDisallow: \(china)\n"))
        let homepage = try XCTUnwrap((try harness.site.json("expected/listings.json"))["/cn/"] as? [String: Any])
        let links = try XCTUnwrap(homepage["articles"] as? [String])
        let disallowed = links.filter { $0.hasPrefix(china) }.count
        XCTAssertGreaterThan(disallowed, 0, "the homepage must list articles of the disallowed section")
        let config = try harness.config(
            sources: [
                CrawlHarness.source(
                    "home", harness.server.url("/cn/"),
                    extra: "\"maxArticlesPerPass\": 10")
            ],
            extra: "\"respectRobotsTxt\": true, " + harness.mirrorRFI)
        let firstReports = try await harness.crawl(config)
        let first = try XCTUnwrap(firstReports.first)
        XCTAssertEqual(first.skips[.deferred], first.counts.linksFound - 10, first.summary)
        XCTAssertEqual(first.counts.new + (first.skips[.robots] ?? 0), 10, first.summary)
        XCTAssertEqual(first.counts.skipped, first.skips.values.reduce(0, +), "the stored total is the sum")
        XCTAssertTrue(first.summary.contains("deferred to the next pass"), first.summary)

        var robots = first.skips[.robots] ?? 0
        for _ in 0..<10 where robots < disallowed {
            let reports = try await harness.crawl(config)
            let next = try XCTUnwrap(reports.first)
            robots = max(robots, next.skips[.robots] ?? 0)
        }
        XCTAssertEqual(robots, disallowed, "every disallowed link is eventually counted as a robots.txt skip")
        XCTAssertEqual(try harness.count("SELECT count(*) FROM articles"), links.count - disallowed)
    }

    func testAnArticleUpdatedUpstreamBecomesOneNewRevision() async throws {
        let harness = try CrawlHarness()
        let config = try harness.config(
            sources: [CrawlHarness.source("atom", "https://www.rfi.fr/cn/atom.xml", kind: "atom")],
            extra: harness.mirrorRFI)
        let first = try await harness.crawl(config)
        XCTAssertEqual(first.first?.counts.new, 60, first.first?.summary ?? "")

        let manifest = try harness.site.json("expected/manifest.json")
        let updated = try XCTUnwrap(manifest["updated_article"] as? [String: Any])
        let id = try XCTUnwrap(updated["content_id"] as? String)
        let expectedBefore = try harness.site.json("expected/\(id).json")
        let expectedAfter = try harness.site.json("variants/expected/\(id).json")
        let path = try XCTUnwrap(expectedBefore["path"] as? String)
        harness.server.route(
            path,
            .html(
                String(
                    decoding: try harness.site.data(try XCTUnwrap(updated["variant_page"] as? String)), as: UTF8.self)))
        harness.server.route(
            "/cn/atom.xml",
            .init(
                headers: [("Content-Type", "application/xml")],
                body: Array(try harness.site.data("variants/cn/atom.xml"))))

        let second = try await harness.crawl(config)
        XCTAssertEqual(second.first?.counts.updated, 1, second.first?.summary ?? "")
        XCTAssertEqual(second.first?.counts.new, 0)
        let rows = try harness.articles().filter { $0.contentID == id }
        XCTAssertEqual(rows.count, 1, "still one article")
        XCTAssertEqual(rows.first?.revision, 2)
        if let row = rows.first { XCTAssertEqual(articleMismatches(row, expectedAfter, skipping: ["url"]), [], id) }
        XCTAssertEqual(
            try harness.count(
                "SELECT count(*) FROM article_revisions r JOIN articles a ON a.id = r.article_id WHERE a.content_id = '\(id)'"
            ), 2)

        let third = try await harness.crawl(config)
        XCTAssertEqual(third.first?.counts.updated, 0, "the same update is not stored twice")
        XCTAssertEqual(try harness.count("SELECT count(*) FROM article_revisions"), 61)
    }

    func testKeepDaysIsAppliedAfterAPassAndPrunedArticlesAreNotFetchedAgain() async throws {
        let harness = try CrawlHarness()
        // Every fixture article is older than a day: the pass stores them, then retention deletes them.
        let config = try harness.config(
            sources: [
                CrawlHarness.source(
                    "atom", "https://www.rfi.fr/cn/atom.xml",
                    kind: "atom", extra: #""keepDays": 1"#)
            ],
            extra: harness.mirrorRFI)
        let first = try await harness.crawl(config)
        XCTAssertEqual(first.first?.counts.new, 60, first.first?.summary ?? "")
        XCTAssertEqual(try harness.count("SELECT count(*) FROM articles"), 0)
        XCTAssertEqual(try harness.count("SELECT count(*) FROM article_revisions"), 0)
        XCTAssertEqual(try harness.count("SELECT count(*) FROM tombstones WHERE reason = 'keepDays 1'"), 60)

        // The feed is read in full again (validators forgotten), so every link meets its tombstone.
        _ = try ArticleStore(path: config.database).withConnection {
            try $0.run("UPDATE sources SET etag = NULL, last_modified = NULL")
        }
        harness.server.clearLog()
        let second = try await harness.crawl(config)
        XCTAssertEqual(second.first?.counts.new, 0, second.first?.summary ?? "")
        XCTAssertEqual(second.first?.counts.unchanged, 60, "a pruned article counts as seen")
        XCTAssertEqual(
            harness.server.requests.filter { $0.path.hasPrefix("/cn/") && $0.path != "/cn/atom.xml" }.count, 0,
            "no article page is fetched again")
    }

    func testRetentionAfterPassesRunsAtMostOnceInItsGapPerSource() throws {
        let harness = try CrawlHarness()
        let config = try harness.config(sources: [
            CrawlHarness.source(
                "a", "https://www.rfi.fr/cn/atom.xml",
                kind: "atom", extra: #""keepDays": 30"#)
        ])
        let source = try XCTUnwrap(config.sources.first)
        let store = try ArticleStore(path: config.database)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func storeArticle(_ n: Int, daysOld: Double) throws {
            let published = Instant(now.addingTimeInterval(-daysOld * 86_400))
            _ = try store.save(
                ArticleRecord(
                    source: "a",
                    article: Article(
                        url: "https://example.com/\(n)",
                        title: "T\(n)",
                        authors: [],
                        publishedAt: published,
                        tags: [],
                        bodyHTML: "<p>\(n)</p>",
                        bodyText: "\(n)"),
                    contentHash: "h\(n)"),
                listingTimestamp: nil, fetchedAt: Instant(now), aliasByCanonical: false)
        }
        try storeArticle(1, daysOld: 40)
        try storeArticle(2, daysOld: 10)
        let retention = RetentionAfterPasses()
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        func titles() throws -> String? {
            try store.withConnection {
                try $0.scalarText("SELECT group_concat(title) FROM (SELECT title FROM articles ORDER BY title)")
            }
        }
        retention.applyIfDue(source, store: store, logger: logger, now: now)
        XCTAssertEqual(try titles(), "T2", "40 days old goes, 10 days old stays")
        try storeArticle(3, daysOld: 40)
        retention.applyIfDue(source, store: store, logger: logger, now: now.addingTimeInterval(3600))
        XCTAssertEqual(try titles(), "T2,T3", "an hour later it is not due yet")
        retention.applyIfDue(
            source, store: store, logger: logger,
            now: now.addingTimeInterval(RetentionAfterPasses.minimumGap + 1))
        XCTAssertEqual(try titles(), "T2")
        XCTAssertEqual(try harness.count("SELECT count(*) FROM tombstones"), 2)
    }

    func testAFullTextFeedStoresTheSameArticlesWithoutFetchingThePages() async throws {
        let harness = try CrawlHarness()
        let config = try harness.config(
            sources: [
                CrawlHarness.source(
                    "feedx", "https://www.rfi.fr/feedx/rfi.xml", kind: "rss", extra: "\"fullText\": true")
            ],
            extra: harness.mirrorRFI)
        let reports = try await harness.crawl(config)
        XCTAssertEqual(reports.first?.counts.new, 60, reports.first?.summary ?? "")
        XCTAssertEqual(
            Set(harness.server.requests.map(\.path)), ["/robots.txt", "/feedx/rfi.xml"],
            "only the feed (and robots.txt) were fetched")
        let expected = try harness.site.expectedArticles()
        let rows = Dictionary(uniqueKeysWithValues: try harness.articles().map { ($0.url, $0) })
        for (id, record) in expected {
            guard let row = rows[record["url"] as? String ?? ""] else {
                XCTFail("\(id) missing from the full-text crawl")
                continue
            }
            XCTAssertEqual(row.title, record["title"] as? String, id)
            XCTAssertEqual(row.publishedAt?.text, record["published"] as? String, id)
            XCTAssertEqual(row.lead, record["lead"] as? String, id)
            XCTAssertEqual(row.imageURL, record["image"] as? String, id)
            XCTAssertEqual(SHA256.hex(Array(row.bodyText.utf8)), record["body_text_sha256"] as? String, id)
        }
        // A second pass over the unchanged feed stores nothing.
        let second = try await harness.crawl(config)
        XCTAssertEqual(second.first?.counts.new ?? -1, 0)
        XCTAssertEqual(second.first?.counts.updated ?? -1, 0)
    }

    func testASectionPageListsTheArticlesItsFeedStoredFirst() async throws {
        let harness = try CrawlHarness()
        let feed = CrawlHarness.source(
            "feedx", "https://www.rfi.fr/feedx/rfi.xml", kind: "rss", extra: "\"fullText\": true")
        let listingPath = try XCTUnwrap(harness.firstListingPages().first, "the fixture site has listing pages")
        let site = CrawlHarness.source("site-cn", "https://www.rfi.fr" + listingPath)
        let feedFirst = try await harness.crawl(try harness.config(sources: [feed], extra: harness.mirrorRFI))
        XCTAssertEqual(feedFirst.first?.counts.new, 60, feedFirst.first?.summary ?? "")

        let sitePass = try await harness.crawl(try harness.config(sources: [site], extra: harness.mirrorRFI))
        let report = try XCTUnwrap(sitePass.first)
        XCTAssertGreaterThan(report.counts.linksFound, 0, report.summary)
        let listedBySite = try harness.count("SELECT count(*) FROM article_sources WHERE source = 'site-cn'")
        let storedBySite = try harness.count("SELECT count(*) FROM articles WHERE source = 'site-cn'")
        XCTAssertGreaterThan(
            listedBySite - storedBySite, 0,
            "articles the feed stored first are the section page's too (\(report.summary))")
        XCTAssertEqual(
            listedBySite,
            try harness.count(
                """
                SELECT count(*) FROM articles WHERE source = 'site-cn' OR id IN (SELECT article_id FROM article_sources
                                                                                  WHERE source = 'site-cn')
                """))
        XCTAssertEqual(try harness.count("SELECT count(*) FROM article_sources WHERE source = 'feedx'"), 60)
    }

    func testTheSeedArticleIsStoredAsTheSeedDocumentHasIt() async throws {
        let harness = try CrawlHarness()
        let config = try harness.config(sources: [
            CrawlHarness.source("china", harness.server.url("/cn/%E4%B8%AD%E5%9B%BD/"))
        ])
        _ = try await harness.crawl(config)
        let seed = try SeedDocument.load()
        let row = try XCTUnwrap(try harness.articles().first { $0.canonicalURL == seed.url })
        XCTAssertEqual(row.title, seed.title)
        XCTAssertEqual(row.imageURL, seed.image)
        XCTAssertEqual(row.lead, Normalize.whitespace(seed.lead))
        XCTAssertEqual(row.publishedAt, "2023-10-28T09:52:00Z")
        XCTAssertEqual(row.bodyHTML, seed.bodyWithoutShareBlock)
    }

    func testHostilePagesAreSurvivedAndReported() async throws {
        let harness = try CrawlHarness()
        let names = [
            "gbk-meta-charset", "big5-http-equiv", "latin1-http-equiv", "utf8-bom-meta-gbk", "invalid-utf8",
            "truncated", "deep-nesting", "no-article", "huge-12mb",
        ]
        let links = names.map { "<a href=\"/hostile/\($0).html\">\($0)</a>" }.joined(separator: "\n")
        harness.server.route("/hostile-index.html", .html("<html><body>\(links)</body></html>"))
        let config = try harness.config(
            sources: [
                CrawlHarness.source(
                    "hostile", harness.server.url("/hostile-index.html"),
                    extra: "\"linkPattern\": \"/hostile/[a-z0-9-]+\\\\.html$\"")
            ])
        let reports = try await harness.crawl(config)
        let report = try XCTUnwrap(reports.first)
        XCTAssertEqual(report.outcome, .partial, report.summary)
        XCTAssertEqual(report.counts.linksFound, names.count)
        XCTAssertEqual(report.counts.new, 6, report.errors.joined(separator: "\n"))
        XCTAssertEqual(report.counts.failed, 3)
        let errors = report.errors.joined(separator: "\n")
        XCTAssertTrue(errors.contains("not an article"), errors)
        XCTAssertTrue(errors.contains("incomplete page"), errors)
        XCTAssertTrue(errors.contains("maxBodyBytes"), errors)

        let rows = Dictionary(uniqueKeysWithValues: try harness.articles().map { ($0.url, $0) })
        for name in [
            "gbk-meta-charset", "big5-http-equiv", "latin1-http-equiv", "utf8-bom-meta-gbk", "invalid-utf8",
            "deep-nesting",
        ] {
            let expected = try harness.site.json("expected/hostile/\(name).json")
            let article = try XCTUnwrap(expected["article"] as? [String: Any], name)
            let row = try XCTUnwrap(rows[harness.server.url("/hostile/\(name).html")], "\(name) not stored")
            XCTAssertEqual(row.title, article["title"] as? String, name)
            XCTAssertEqual(row.lead, article["lead"] as? String, name)
            if name != "deep-nesting" {
                XCTAssertEqual(row.bodyText, article["body_text"] as? String, name)
            }
        }
        let invalid = try XCTUnwrap(rows[harness.server.url("/hostile/invalid-utf8.html")])
        XCTAssertEqual(invalid.bodyText.filter { $0 == "\u{FFFD}" }.count, 6)
        for name in ["truncated", "no-article", "huge-12mb"] {
            XCTAssertNil(rows[harness.server.url("/hostile/\(name).html")], "\(name) must store nothing")
        }
        XCTAssertEqual(try harness.count("SELECT count(*) FROM fetch_failures"), 3)
    }
}
