import Foundation
import HeraldTestSupport
import XCTest

@testable import HeraldParse

/// Every fixture article through the `rfi` profile, against `expected/<content_id>.json` and the export records.
final class ArticleFixtureTests: XCTestCase {
    private let extractor = try! ArticleExtractor(profile: .rfi)

    func testEveryFixtureArticleMatchesItsExpectedRecordAndExport() throws {
        let expectedArticles = try Fixtures.expectedArticles()
        XCTAssertEqual(expectedArticles.count, 60)
        for expected in expectedArticles {
            let id = expected["content_id"] as! String
            let article = try extractor.extract(
                body: try Fixtures.bytes(expected["file"] as! String),
                contentType: "text/html", url: expected["url"] as! String)
            XCTAssertEqual(articleMismatches(article, expected), [], id)
            XCTAssertFalse(article.looksTruncated, id)
            XCTAssertEqual(article.bodyHTML, try Fixtures.exportBody("expected/export/\(id).md"), "\(id) bodyHTML")
        }
    }

    func testUpdatedVariantMatchesVariantExpectations() throws {
        let manifest = try Fixtures.site().json("expected/manifest.json")
        let updated = manifest["updated_article"] as! [String: Any]
        let expected = try Fixtures.site().json(updated["variant_expected"] as! String)
        let id = expected["content_id"] as! String
        let article = try extractor.extract(
            body: try Fixtures.bytes(updated["variant_page"] as! String),
            contentType: "text/html", url: expected["url"] as! String)
        XCTAssertEqual(articleMismatches(article, expected), [], "variant \(id)")
        XCTAssertEqual(article.modifiedAt, Fixtures.date(updated["modified_after"]))
        XCTAssertEqual(article.bodyHTML, try Fixtures.exportBody("variants/expected/export/\(id).md"))
    }

    func testSeedArticleBodyEqualsTheSeedDocumentWithoutItsShareBlock() throws {
        let manifest = try Fixtures.site().json("expected/manifest.json")
        let expected = try Fixtures.site().json("expected/\(manifest["seed_article"] as! String).json")
        let article = try extractor.extract(
            body: try Fixtures.bytes(expected["file"] as! String),
            contentType: nil, url: expected["url"] as! String)
        XCTAssertEqual(article.bodyHTML, try Fixtures.exportBody("expected/seed-export.md"))
        let seedLine5 = try SeedDocument.load().line5
        XCTAssertTrue(seedLine5.contains("<div>" + article.bodyHTML + "</div><div><div>分享 :</div>"))
        XCTAssertTrue(seedLine5.contains("<p><strong>" + HTMLEscape.text(article.leadVerbatim!) + "</strong></p>"))
    }
}
