import Foundation
import XCTest

@testable import HeraldParse

/// Field-by-field comparison of an extracted article with an `expected/<content_id>.json` record.
func assertMatches(
    _ article: ParsedArticle, _ expected: [String: Any], context: String,
    skipping: Set<String> = [], file: StaticString = #filePath, line: UInt = #line
) {
    func check<T: Equatable>(_ field: String, _ actual: T, _ wanted: T) {
        guard !skipping.contains(field) else { return }
        XCTAssertEqual(actual, wanted, "\(context) \(field)", file: file, line: line)
    }
    check("title", article.title, expected["title"] as? String)
    check("section", article.section, expected["section"] as? String)
    check("published", article.publishedAt, Fixtures.date(expected["published"]))
    check("modified", article.modifiedAt, Fixtures.date(expected["modified"]))
    check("authors", article.authors, expected["authors"] as? [String])
    check("lead", article.lead, expected["lead"] as? String)
    check("image", article.imageURL, expected["image"] as? String)
    check("image_caption", article.imageCaption, expected["image_caption"] as? String)
    check("tags", article.tags, expected["tags"] as? [String] ?? [])
    check("body_text", article.bodyText, expected["body_text"] as? String)
    check("body_text_sha256", SHA256.hex(article.bodyText), expected["body_text_sha256"] as? String)
    check("canonical", article.canonicalURL, expected["url"] as? String)
    check("url", article.url, expected["url"] as? String)
    check("content_id", article.contentID, expected["content_id"] as? String)
    check("truncated", article.looksTruncated, false)
}
