import HeraldArticle

/// Field-by-field comparison of an article (as parsed, or as read back from the database) with an
/// `expected/<content_id>.json` record of the fixture site: one line per field that differs, empty when all match.
/// The record's keys name the fields (`published`, `image`); `skipping` lists those a caller does not expect to match
/// (the generic profile has no section, say). Tests assert `XCTAssertEqual(articleMismatches(…), [], context)`.
/// (A list, not an XCTest assertion: this target is built with the package, in release too, where XCTest is absent.)
package func articleMismatches(
    _ article: some ArticleWrapper, _ expected: [String: Any], skipping: Set<String> = []
) -> [String] {
    var mismatches: [String] = []
    func check<T: Equatable>(_ field: String, _ actual: T, _ wanted: T) {
        guard !skipping.contains(field), actual != wanted else { return }
        mismatches.append("\(field): \(String(describing: actual)) ≠ expected \(String(describing: wanted))")
    }
    check("url", article.url, expected["url"] as? String)
    check("canonical", article.canonicalURL, expected["url"] as? String)
    check("content_id", article.contentID, expected["content_id"] as? String)
    check("title", article.title, expected["title"] as? String)
    check("section", article.section, expected["section"] as? String)
    check("authors", article.authors, expected["authors"] as? [String] ?? [])
    check("published", article.publishedAt?.text, expected["published"] as? String)
    check("modified", article.modifiedAt?.text, expected["modified"] as? String)
    check("lead", article.lead, expected["lead"] as? String)
    check("image", article.imageURL, expected["image"] as? String)
    check("image_caption", article.imageCaption, expected["image_caption"] as? String)
    check("tags", article.tags, expected["tags"] as? [String] ?? [])
    check("body_text", article.bodyText, expected["body_text"] as? String)
    return mismatches
}
