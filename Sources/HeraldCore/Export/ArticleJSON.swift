import HeraldArticle
import HeraldStatus

/// The JSON shape of an article, shared by `herald parse --json`, `herald show --format json` and JSON Lines exports.
/// Field names are a promise to scripts: add fields, never rename them.
package enum ArticleJSON {
    package static func fields(_ article: Article) -> [(String, JSONOutput)] {
        [
            ("url", .string(article.url)),
            ("canonical_url", .optional(article.canonicalURL)),
            ("content_id", .optional(article.contentID)),
            ("title", .string(article.title)),
            ("section", .optional(article.section)),
            ("authors", .strings(article.authors)),
            ("published", .optional(article.publishedAt?.text)),
            ("modified", .optional(article.modifiedAt?.text)),
            ("lead", .optional(article.lead)),
            ("image", .optional(article.imageURL)),
            ("image_caption", .optional(article.imageCaption)),
            ("tags", .strings(article.tags)),
            ("body_html", .string(article.bodyHTML)),
            ("body_text", .string(article.bodyText)),
        ]
    }

    package static func object(_ article: Article) -> JSONOutput {
        .object(fields(article))
    }
}
