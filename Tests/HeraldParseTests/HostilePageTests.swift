import Foundation
import HeraldTestSupport
import XCTest

@testable import HeraldParse

/// `hostile/*.html` against `expected/hostile/*.json` (the listing cases are in `ListingFixtureTests`).
final class HostilePageTests: XCTestCase {
    private let extractor = try! ArticleExtractor(profile: .rfi)

    private func run(
        _ name: String, contentType: String? = "text/html"
    ) throws
        -> (article: ParsedArticle, expected: [String: Any], spec: [String: Any])
    {
        let spec = try Fixtures.json("expected/hostile/\(name).json")
        let expected = spec["article"] as! [String: Any]
        let article = try extractor.extract(
            body: try Fixtures.bytes("hostile/\(name).html"), contentType: contentType,
            url: expected["url"] as! String)
        return (article, expected, spec)
    }

    func testGBKDeclaredOnlyByMetaCharsetIsDecoded() throws {
        let (article, expected, _) = try run("gbk-meta-charset")
        XCTAssertEqual(articleMismatches(article, expected), [], "gbk")
    }

    func testBig5DeclaredOnlyByHTTPEquivIsDecoded() throws {
        let (article, expected, _) = try run("big5-http-equiv")
        XCTAssertEqual(articleMismatches(article, expected), [], "big5")
    }

    func testLatin1LabelDecodesAsWindows1252() throws {
        let (article, expected, _) = try run("latin1-http-equiv")
        XCTAssertEqual(articleMismatches(article, expected), [], "latin1")
        XCTAssertTrue(article.bodyText.contains("’") || article.bodyText.contains("œ"))
    }

    func testByteOrderMarkWinsOverContradictingMeta() throws {
        let (article, expected, _) = try run("utf8-bom-meta-gbk")
        XCTAssertEqual(articleMismatches(article, expected), [], "bom")
    }

    func testHTTPCharsetDoesNotBeatTheByteOrderMark() throws {
        let (article, expected, _) = try run("utf8-bom-meta-gbk", contentType: "text/html; charset=gbk")
        XCTAssertEqual(articleMismatches(article, expected), [], "bom vs header")
    }

    func testInvalidUTF8BecomesSixReplacementCharactersAndTheRestIsIntact() throws {
        let (article, expected, spec) = try run("invalid-utf8")
        XCTAssertEqual(articleMismatches(article, expected), [], "invalid utf-8")
        let wanted = (spec["expect"] as! [String: Any])["replacement_chars_in_body"] as! Int
        XCTAssertEqual(article.bodyText.unicodeScalars.filter { $0 == "\u{FFFD}" }.count, wanted)
        XCTAssertFalse(article.title.contains("\u{FFFD}"))
    }

    func testTruncatedPageIsExtractedAsFarAsItGoesAndFlagged() throws {
        let (article, expected, spec) = try run("truncated")
        let expect = spec["expect"] as! [String: Any]
        XCTAssertTrue(article.looksTruncated, "the crawl must be able to tell an incomplete fetch")
        XCTAssertEqual(
            articleMismatches(
                article, expected,
                skipping: ["tags", "body_text", "body_text_sha256", "truncated", "canonical", "content_id"]), [],
            "truncated")
        XCTAssertEqual(article.tags, [], "the tag list is after the cut")
        let blocks = article.bodyText.split(separator: "\n").map(String.init)
        let complete = expect["complete_paragraphs"] as! Int
        XCTAssertEqual(
            Array(blocks.prefix(complete)),
            (expected["body_text"] as! String).split(separator: "\n").map(String.init))
        if blocks.count > complete {
            XCTAssertTrue(blocks[complete].hasPrefix(expect["partial_paragraph_prefix"] as! String))
        }
    }

    func testDeepNestingNeitherHangsNorLosesTheParagraphsBeforeIt() throws {
        let (article, expected, _) = try run("deep-nesting")
        // libxml2 stops at depth 256 (no XML_PARSE_HUGE): what follows the nesting (tags, datalayer id) is gone, which
        // the fixture accepts as long as the fields before it are there.
        XCTAssertEqual(
            articleMismatches(article, expected, skipping: ["tags", "body_text", "body_text_sha256", "content_id"]), [],
            "deep")
        XCTAssertTrue(article.bodyText.hasPrefix(expected["body_text"] as! String), article.bodyText)
    }

    func testPageWithoutArticleIsNotAnArticle() throws {
        let body = try Fixtures.bytes("hostile/no-article.html")
        for profile in [Profile.rfi, .generic] {
            XCTAssertThrowsError(
                try ArticleExtractor(profile: profile)
                    .extract(body: body, contentType: "text/html", url: Fixtures.origin + "/hostile/no-article.html")
            ) {
                guard case let .notAnArticle(url, _)? = $0 as? ParseError else { return XCTFail("\($0)") }
                XCTAssertEqual(url, Fixtures.origin + "/hostile/no-article.html")
            }
        }
    }

    func testTwelveMegabytePageIsExtractedCompletely() throws {
        let (article, expected, _) = try run("huge-12mb")
        XCTAssertEqual(articleMismatches(article, expected, skipping: ["body_text"]), [], "huge")
        XCTAssertEqual(article.bodyText.split(separator: "\n").count, expected["body_blocks"] as? Int)
    }

    func testEmptyBodyIsUnreadable() {
        XCTAssertThrowsError(try extractor.extract(body: [], contentType: nil, url: "https://example.com/")) {
            guard case .unreadable? = $0 as? ParseError else { return XCTFail("\($0)") }
        }
    }

    func testBinaryGarbageNeverCrashes() {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<20000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        XCTAssertThrowsError(try extractor.extract(body: noise, contentType: nil, url: "https://example.com/"))
    }
}
