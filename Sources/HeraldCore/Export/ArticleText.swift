import HeraldArticle

/// An article as a person reads it in a terminal (`herald parse`, `herald show`).
package enum ArticleText {
    package static func render(_ article: Article) -> String {
        var lines = [article.title, String(repeating: "=", count: min(60, max(8, article.title.count * 2)))]
        func field(_ name: String, _ value: String?) {
            if let value, !value.isEmpty { lines.append("\(name): \(value)") }
        }
        field("URL", article.url)
        if article.canonicalURL != article.url { field("Canonical", article.canonicalURL) }
        field("Section", article.section)
        field("Authors", article.authors.isEmpty ? nil : article.authors.joined(separator: ", "))
        field("Published", article.publishedAt?.text)
        field("Modified", article.modifiedAt?.text)
        field("Image", article.imageURL)
        field("Caption", article.imageCaption)
        field("Tags", article.tags.isEmpty ? nil : article.tags.joined(separator: ", "))
        field("ID", article.contentID)
        lines.append("")
        if let lead = article.lead, !lead.isEmpty {
            lines.append(lead)
            lines.append("")
        }
        lines.append(article.bodyText)
        return lines.joined(separator: "\n")
    }
}
