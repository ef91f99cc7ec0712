import Foundation
import HeraldTestSupport
import XCTest

@testable import HeraldCore

/// A site listed only by a sitemap index and a gzip'd Google News sitemap, crawled end to end through a mirror.
final class SitemapCrawlTests: XCTestCase {
    private func sitemapSite() throws -> (DiscoverySites, [String]) {
        let sites = try DiscoverySites.standard()
        let expected = try XCTUnwrap(
            (try sites.json("expected/discovery.json")["sitemap_site"] as? [String: Any])?[
                "articles_newest_first"] as? [String])
        XCTAssertEqual(expected.count, 30)
        return (sites, expected)
    }

    func testASitemapIndexPassStoresTheNewestArticlesAndTheNextPassRefetchesNothing() async throws {
        let (sites, expected) = try sitemapSite()
        for kind in ["sitemap", "auto"] {
            let harness = try CrawlHarness(serving: sites.url("sitemap-site"))
            let config = try harness.config(
                sources: [
                    CrawlHarness.source(
                        "sitemap-\(kind)", DiscoverySites.sitemapOrigin + "/sitemap_index.xml",
                        kind: kind, profile: "generic", extra: #""maxArticlesPerPass": 12"#)
                ],
                extra: #""mirrors": {"\#(DiscoverySites.sitemapOrigin)": "\#(harness.server.baseURL)"}"#)
            let first = try await harness.crawl(config)
            XCTAssertEqual(first.map(\.outcome), [.ok], first.map(\.summary).joined(separator: "\n"))
            let rows = try harness.articles()
            // The 10 of the news sitemap and the 2 newest of the archive: newest first across both sitemaps.
            XCTAssertEqual(Set(rows.map(\.url)), Set(expected.prefix(12)), kind)
            XCTAssertTrue(rows.allSatisfy { !$0.title.isEmpty && !$0.bodyText.isEmpty }, kind)
            XCTAssertEqual(harness.server.requests(path: "/sitemaps/news.xml.gz").count, 1)

            harness.server.clearLog()
            let second = try await harness.crawl(config)
            XCTAssertEqual(second.map(\.counts.new), [0], second.map(\.summary).joined(separator: "\n"))
            XCTAssertFalse(
                harness.server.requests.contains { $0.path.hasPrefix("/news/") },
                "an entry whose dates did not move is never refetched")
        }
    }

    func testASitemapEntryWithANewerDateIsFetchedAgain() async throws {
        let (sites, expected) = try sitemapSite()
        let harness = try CrawlHarness(serving: sites.url("sitemap-site"))
        let path = String(expected[0].dropFirst(DiscoverySites.sitemapOrigin.count))
        let config = try harness.config(
            sources: [
                CrawlHarness.source(
                    "news", DiscoverySites.sitemapOrigin + "/updated.xml", kind: "sitemap",
                    profile: "generic")
            ],
            extra: #""mirrors": {"\#(DiscoverySites.sitemapOrigin)": "\#(harness.server.baseURL)"}"#)
        func serve(lastmod: String) {
            harness.server.route(
                "/updated.xml",
                .init(
                    status: 200, headers: [("Content-Type", "application/xml")],
                    body: Array(
                        """
                        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>\(expected[0])</loc>\
                        <lastmod>\(lastmod)</lastmod></url></urlset>
                        """.utf8)))
        }
        serve(lastmod: "2024-06-03T12:00:00Z")
        _ = try await harness.crawl(config)
        serve(lastmod: "2024-06-04T08:00:00Z")
        harness.server.clearLog()
        _ = try await harness.crawl(config)
        XCTAssertEqual(harness.server.requests(path: path).count, 1, "the newer lastmod makes the pass look again")
    }
}
