import Foundation
import HeraldTestSupport
import XCTest
@testable import HeraldParse

/// The fixture's RSS, Atom and feedx full-text feeds.
final class FeedTests: XCTestCase {
    /// Canonical URL → expected article record.
    private func expectedByURL() throws -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: try Fixtures.expectedArticles().map { ($0["url"] as! String, $0) })
    }

    private func listing(_ path: String, kind: ListingKind, fullText: Bool = false,
                         contentType: String? = "application/xml") throws -> Listing {
        try ListingExtractor(kind: kind, profile: .rfi, linkPattern: nil, fullText: fullText)
            .extract(body: try Fixtures.bytes(path), contentType: contentType, url: Fixtures.origin + "/" + path)
    }

    func testRSSLinksAreTheCanonicalURLsDatedByPubDate() throws {
        let expected = try expectedByURL()
        let rss = try listing("cn/rss/index.xml", kind: .rss)
        XCTAssertEqual(rss.links.count, 60)
        XCTAssertEqual(Set(rss.links.map(\.url)), Set(expected.keys))
        for link in rss.links {
            XCTAssertEqual(link.timestamp, Fixtures.date(expected[link.url]?["published"]), link.url)
        }
        XCTAssertEqual(rss.kind, .rss)
        XCTAssertTrue(rss.fullTextArticles.isEmpty)
        XCTAssertFalse(rss.looksTruncated)
    }

    func testAtomLinksAreDatedByUpdatedAndParisOffsetsCompareAsInstants() throws {
        let expected = try expectedByURL()
        let atom = try listing("cn/atom.xml", kind: .atom)
        XCTAssertEqual(atom.links.count, 60)
        XCTAssertEqual(Set(atom.links.map(\.url)), Set(expected.keys))
        for link in atom.links {
            XCTAssertEqual(link.timestamp, Fixtures.date(expected[link.url]?["modified"]), link.url)
        }
    }

    func testAutoDetectsFeedKindsFromTheDocumentNotTheHeader() throws {
        XCTAssertEqual(try listing("cn/rss/index.xml", kind: .auto, contentType: "text/html").kind, .rss)
        XCTAssertEqual(try listing("cn/atom.xml", kind: .auto, contentType: "application/xml").kind, .atom)
        XCTAssertEqual(try listing("feedx/rfi.xml", kind: .auto, contentType: nil).kind, .rss)
        XCTAssertEqual(ListingExtractor.detectKind(body: Array("<!doctype html><html>".utf8), contentType: nil), .html)
        XCTAssertEqual(ListingExtractor.detectKind(body: Array("garbage".utf8), contentType: "application/rss+xml"),
                       .rss)
    }

    func testFeedxIRILinksBecomeUppercasePercentEncodedURLs() throws {
        let expected = try expectedByURL()
        let feedx = try listing("feedx/rfi.xml", kind: .rss)
        XCTAssertEqual(Set(feedx.links.map(\.url)), Set(expected.keys))
        for link in feedx.links {
            XCTAssertEqual(link.timestamp, Fixtures.date(expected[link.url]?["published"]), "+0800 pubDate \(link.url)")
        }
    }

    func testFeedxFullTextItemsEqualTheirPages() throws {
        let expected = try expectedByURL()
        let feedx = try listing("feedx/rfi.xml", kind: .rss, fullText: true)
        XCTAssertEqual(feedx.fullTextArticles.count, 60)
        XCTAssertEqual(feedx.fullTextArticles.map(\.url), feedx.links.map(\.url))
        for article in feedx.fullTextArticles {
            guard let record = expected[article.url] else { return XCTFail("unexpected \(article.url)") }
            let id = record["content_id"] as! String
            XCTAssertEqual(article.title, record["title"] as? String, id)
            XCTAssertEqual(article.canonicalURL, record["url"] as? String, id)
            XCTAssertEqual(article.published, Fixtures.date(record["published"]), id)
            XCTAssertEqual(article.image, record["image"] as? String, id)
            XCTAssertEqual(article.lead, record["lead"] as? String, id)
            XCTAssertEqual(article.bodyText, record["body_text"] as? String, id)
            XCTAssertEqual(SHA256.hex(article.bodyText), record["body_text_sha256"] as? String, id)
            XCTAssertEqual(article.bodyHTML, try Fixtures.exportBody("expected/export/\(id).md"), id)
            XCTAssertEqual(article.leadRaw.map { $0.hasSuffix("        ") }, true, "raw chapo keeps its spaces: \(id)")
        }
    }

    func testFeedxSeedItemReproducesTheSeedDocument() throws {
        let seed = try SeedDocument.load()
        let feedx = try listing("feedx/rfi.xml", kind: .rss, fullText: true)
        let seedURL = String(seed.lines[1].split(separator: "(").last!.dropLast())
        guard let item = feedx.fullTextArticles.first(where: { $0.canonicalURL == seedURL }) else {
            return XCTFail("no feedx item for \(seedURL)")
        }
        XCTAssertEqual(seed.lines[1], "[\(item.title)](\(seedURL))")
        var paris = Calendar(identifier: .gregorian)
        paris.timeZone = TimeZone(identifier: "Europe/Paris")!
        let parts = paris.dateComponents([.year, .month, .day, .hour, .minute], from: item.published!)
        let local = String(format: "%02d/%02d/%04d - %02d:%02d", parts.day!, parts.month!, parts.year!, parts.hour!,
                           parts.minute!)
        let rebuilt = "<div>\(local)</div><img src=\"\(item.image!)\"><p><strong>\(HTMLEscape.text(item.leadRaw!))"
            + "</strong></p><div>\(item.bodyHTML)</div>"
        XCTAssertTrue(seed.line5.hasPrefix(rebuilt), "seed line 5 starts with the item rebuilt in the export format")
    }
}
