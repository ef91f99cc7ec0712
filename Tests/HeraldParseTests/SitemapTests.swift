import Foundation
import HeraldTestSupport
import HeraldTime
import XCTest

@testable import HeraldParse

/// Sitemaps as listings: urlset, index, gzip'd, Google News, newest first and bounded.
final class SitemapTests: XCTestCase {
    private func sitemap(
        _ bytes: [UInt8], url: String = "https://sitemap.example/sitemap.xml", kind: ListingKind = .sitemap,
        limit: Int = 50_000, pattern: String? = nil
    ) throws -> Listing {
        var extractor = try ListingExtractor(kind: kind, profile: .generic, linkPattern: pattern, fullText: false)
        extractor.maxSitemapEntries = limit
        return try extractor.extract(body: bytes, contentType: "application/xml", url: url)
    }

    private func urlset(_ entries: [(loc: String, lastmod: String?)]) -> [UInt8] {
        let body = entries.map { entry in
            "<url><loc>\(entry.loc)</loc>\(entry.lastmod.map { "<lastmod>\($0)</lastmod>" } ?? "")</url>"
        }.joined(separator: "\n")
        return Array(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            \(body)
            </urlset>
            """.utf8)
    }

    func testGzipNewsSitemapYieldsItsArticlesNewestFirstDatedByPublicationDate() throws {
        let sites = try DiscoverySites.standard()
        let expected = try XCTUnwrap(
            (try sites.json("expected/discovery.json")["sitemap_site"] as? [String: Any])?[
                "articles_newest_first"] as? [String])
        let bytes = try sites.bytes("sitemap-site/sitemaps/news.xml.gz")
        XCTAssertTrue(bytes.starts(with: [0x1F, 0x8B]), "the fixture is really gzip'd")
        let listing = try sitemap(bytes, kind: .auto)
        XCTAssertEqual(listing.kind, .sitemap, "auto recognises gzip'd bytes as a sitemap")
        XCTAssertTrue(listing.isNewsSitemap)
        XCTAssertEqual(listing.links.map(\.url), Array(expected.prefix(10)))
        XCTAssertTrue(listing.links.allSatisfy { $0.timestamp != nil }, "news:publication_date dates every entry")
        XCTAssertEqual(listing.links.map(\.timestamp), listing.links.map(\.timestamp).sorted { $0! > $1! })
    }

    func testSitemapIndexListsItsSitemapsNewestFirstAndNoArticles() throws {
        let sites = try DiscoverySites.standard()
        let listing = try sitemap(try sites.bytes("sitemap-site/sitemap_index.xml"), kind: .auto)
        XCTAssertEqual(listing.kind, .sitemap)
        XCTAssertTrue(listing.links.isEmpty)
        XCTAssertEqual(
            listing.sitemaps.map(\.url),
            [
                "https://sitemap.example/sitemaps/news.xml.gz",
                "https://sitemap.example/sitemaps/archive.xml",
            ])
    }

    func testAnUnsortedArchiveComesOutNewestFirstWithLastmodOffsets() throws {
        let listing = try sitemap(
            urlset([
                ("https://sitemap.example/a.html", "2024-06-01"),
                ("https://sitemap.example/b.html", "2024-06-03T10:00:00+02:00"),
                ("https://sitemap.example/c.html", nil),
                ("https://sitemap.example/d.html", "2024-06-03T09:30:00Z"),
            ]))
        XCTAssertEqual(
            listing.links.map(\.url),
            [
                "https://sitemap.example/d.html", "https://sitemap.example/b.html",
                "https://sitemap.example/a.html", "https://sitemap.example/c.html",
            ])
        XCTAssertEqual(listing.links[1].timestamp, Timestamp.parse("2024-06-03T08:00:00Z"))
        XCTAssertNil(listing.links[3].timestamp, "an undated entry comes last")
        XCTAssertFalse(listing.isNewsSitemap)
    }

    func testFiftyThousandEntriesKeepOnlyTheNewestUpToTheLimit() throws {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let entries = (0..<50_000).map { index in
            (
                "https://sitemap.example/news/\(index).html",
                Optional(Instant(start.addingTimeInterval(Double((index * 7919) % 50_000) * 60)).text)
            )
        }
        let listing = try sitemap(urlset(entries), limit: 25)
        XCTAssertEqual(listing.links.count, 25)
        XCTAssertEqual(listing.links.first?.timestamp, Instant(start.addingTimeInterval(49_999 * 60)))
        XCTAssertEqual(listing.links.last?.timestamp, Instant(start.addingTimeInterval(49_975 * 60)))
    }

    func testALinkPatternFiltersSitemapEntries() throws {
        let listing = try sitemap(
            urlset([
                ("https://sitemap.example/news/1.html", nil),
                ("https://sitemap.example/video/2.html", nil),
            ]), pattern: "/news/")
        XCTAssertEqual(listing.links.map(\.url), ["https://sitemap.example/news/1.html"])
    }

    func testCorruptOrForeignDocumentsAreUnreadableNamingTheURL() throws {
        let good = Gzip.stored(urlset([("https://sitemap.example/a.html", nil)]))
        XCTAssertEqual(try sitemap(good).links.count, 1, "stored-block gzip reads")
        for bytes in [
            Gzip.corrupt(urlset([("https://sitemap.example/a.html", nil)])),
            Array("<html><body>no</body></html>".utf8), Array(good.prefix(good.count / 2)),
        ] {
            XCTAssertThrowsError(try sitemap(bytes, url: "https://sitemap.example/broken.xml")) { error in
                XCTAssertTrue("\(error)".contains("https://sitemap.example/broken.xml"), "\(error)")
            }
        }
    }
}
