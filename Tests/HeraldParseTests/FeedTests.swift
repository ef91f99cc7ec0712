import Foundation
import HeraldTestSupport
import XCTest

@testable import HeraldParse
@testable import HeraldURL

/// The fixture's RSS, Atom and feedx full-text feeds.
final class FeedTests: XCTestCase {
    /// Canonical URL → expected article record.
    private func expectedByURL() throws -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: try Fixtures.expectedArticles().map { ($0["url"] as! String, $0) })
    }

    private func listing(
        _ path: String, kind: ListingKind, fullText: Bool = false,
        contentType: String? = "application/xml"
    ) throws -> Listing {
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
        XCTAssertEqual(
            ListingExtractor.detectKind(body: Array("garbage".utf8), contentType: "application/rss+xml"),
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
            XCTAssertEqual(article.publishedAt, Fixtures.date(record["published"]), id)
            XCTAssertEqual(article.imageURL, record["image"] as? String, id)
            XCTAssertEqual(article.lead, record["lead"] as? String, id)
            XCTAssertEqual(article.bodyText, record["body_text"] as? String, id)
            XCTAssertEqual(SHA256.hex(article.bodyText), record["body_text_sha256"] as? String, id)
            XCTAssertEqual(article.bodyHTML, try Fixtures.exportBody("expected/export/\(id).md"), id)
            XCTAssertEqual(
                article.leadVerbatim.map { $0.hasSuffix("        ") }, true, "raw chapo keeps its spaces: \(id)")
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
        let parts = paris.dateComponents([.year, .month, .day, .hour, .minute], from: item.publishedAt!.date)
        let local = String(
            format: "%02d/%02d/%04d - %02d:%02d", parts.day!, parts.month!, parts.year!, parts.hour!,
            parts.minute!)
        let rebuilt =
            "<div>\(local)</div><img src=\"\(item.imageURL!)\"><p><strong>\(HTMLEscape.text(item.leadVerbatim!))"
            + "</strong></p><div>\(item.bodyHTML)</div>"
        XCTAssertTrue(seed.line5.hasPrefix(rebuilt), "seed line 5 starts with the item rebuilt in the export format")
    }
}

/// Feed details beyond the fixture site.
final class FeedEdgeTests: XCTestCase {
    private func listing(
        _ xml: String, kind: ListingKind = .auto, fullText: Bool = false,
        pattern: String? = nil
    ) throws -> Listing {
        try ListingExtractor(kind: kind, profile: .generic, linkPattern: pattern, fullText: fullText)
            .extract(body: Array(xml.utf8), contentType: "application/xml", url: "https://feeds.example.com/all.xml")
    }

    func testUpdatedVariantFeedsCarryTheNewRevision() throws {
        let manifest = try Fixtures.json("expected/manifest.json")
        let updated = manifest["updated_article"] as! [String: Any]
        let expected = try Fixtures.json(updated["variant_expected"] as! String)
        let feedx = try ListingExtractor(kind: .rss, profile: .rfi, linkPattern: nil, fullText: true)
            .extract(body: try Fixtures.bytes("variants/feedx/rfi.xml"), contentType: nil, url: "https://feedx.net/rfi")
        let item = try XCTUnwrap(feedx.fullTextArticles.first { $0.url == expected["url"] as? String })
        XCTAssertEqual(SHA256.hex(item.bodyText), expected["body_text_sha256"] as? String)
        let atom = try ListingExtractor(kind: .atom, profile: .rfi, linkPattern: nil, fullText: false)
            .extract(body: try Fixtures.bytes("variants/cn/atom.xml"), contentType: nil, url: "https://www.rfi.fr/cn/")
        let link = try XCTUnwrap(atom.links.first { $0.url == expected["url"] as? String })
        XCTAssertEqual(link.timestamp, Fixtures.date(updated["modified_after"]), "a newer timestamp triggers a refetch")
    }

    func testRSSFallsBackToPermalinkGuidAndDCDateAndHonoursAnExplicitPattern() throws {
        let xml = """
            <?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
            xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
            <item><title>One</title><guid>https://news.example.com/a/1?utm_source=rss</guid>
              <dc:date>2024-06-03T10:00:00+02:00</dc:date></item>
            <item><title>Two</title><link>https://news.example.com/b/2</link><pubDate>Mon, 03 Jun 2024 09:00:00 GMT</pubDate>
              <content:encoded><![CDATA[<p>Full <b>text</b>.</p>]]></content:encoded></item>
            </channel></rss>
            """
        let all = try listing(xml, fullText: true)
        XCTAssertEqual(all.kind, .rss)
        XCTAssertEqual(all.links.map(\.url), ["https://news.example.com/a/1", "https://news.example.com/b/2"])
        XCTAssertEqual(
            all.links.map { $0.timestamp?.text },
            ["2024-06-03T08:00:00Z", "2024-06-03T09:00:00Z"])
        XCTAssertEqual(all.fullTextArticles.last?.bodyHTML, "<p>Full <b>text</b>.</p>")
        XCTAssertEqual(all.fullTextArticles.last?.title, "Two")
        XCTAssertEqual(try listing(xml, pattern: "/b/").links.map(\.url), ["https://news.example.com/b/2"])
    }

    func testAtomAlternateLinkUpdatedTimeAndPaging() throws {
        let xml = """
            <feed xmlns="http://www.w3.org/2005/Atom"><link rel="next" href="/all.xml?page=2"/>
            <entry><title>A</title><link rel="enclosure" href="https://cdn.example.com/a.mp3"/>
              <link rel="alternate" href="https://news.example.com/a/1"/>
              <published>2024-06-03T10:00:00+02:00</published><updated>2024-06-04T10:00:00+02:00</updated></entry>
            <entry><title>B</title><link href="https://news.example.com/b/2"/><published>2024-06-05T00:00:00Z</published>
            </entry></feed>
            """
        let atom = try listing(xml)
        XCTAssertEqual(atom.kind, .atom)
        XCTAssertEqual(atom.links.map(\.url), ["https://news.example.com/a/1", "https://news.example.com/b/2"])
        XCTAssertEqual(
            atom.links.map { $0.timestamp?.text },
            ["2024-06-04T08:00:00Z", "2024-06-05T00:00:00Z"])
        XCTAssertEqual(atom.next, "https://feeds.example.com/all.xml?page=2")
    }

    func testInvalidUTF8InAFeedIsRepairedAndTruncationIsFlagged() throws {
        var bytes = Array("<rss><channel><item><title>Bad ".utf8) + [0xFF]
        bytes +=
            Array(
                " byte</title><link>https://n.example.com/x/1</link><description>&lt;p&gt;x&lt;/p&gt;</description>"
                    .utf8) + Array("</item>".utf8)
        let feed = try ListingExtractor(kind: .rss, profile: .generic, linkPattern: nil, fullText: true)
            .extract(body: bytes, contentType: nil, url: "https://n.example.com/rss")
        XCTAssertEqual(feed.links.map(\.url), ["https://n.example.com/x/1"])
        XCTAssertEqual(feed.fullTextArticles.first?.title, "Bad \u{FFFD} byte")
        XCTAssertEqual(feed.fullTextArticles.first?.bodyText, "x")
        XCTAssertTrue(feed.looksTruncated, "no </rss>")
    }

    func testNonXMLIsUnreadable() {
        XCTAssertThrowsError(try listing("this is not a feed", kind: .rss)) {
            guard case .unreadable? = $0 as? ParseError else { return XCTFail("\($0)") }
        }
    }

    func testAutoDetectsHTMLListings() throws {
        let listing = try ListingExtractor(kind: .auto, profile: .rfi, linkPattern: nil, fullText: false)
            .extract(body: try Fixtures.bytes("cn/index.html"), contentType: "text/html", url: Fixtures.origin + "/cn/")
        XCTAssertEqual(listing.kind, .html)
        XCTAssertFalse(listing.links.isEmpty)
    }
}
