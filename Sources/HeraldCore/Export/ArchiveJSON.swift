import HeraldStatus
import HeraldStore

/// Stored articles as JSON (`herald show --format json`, `herald export --format jsonl`, `articles --json`,
/// `search --json`). An article is `herald parse --json`'s object (`ArticleJSON`) between its ids and its fetch
/// times. Field names are a promise to scripts: add fields, never rename them.
package enum ArchiveJSON {
    package static func object(_ article: ArchivedArticle) -> JSONOutput {
        .object(
            [("id", .int(Int(article.id))), ("source", .string(article.source))]
                + ArticleJSON.fields(article.article)
                + [
                    ("revision", .int(article.revision)),
                    ("content_hash", .string(article.contentHash)),
                    ("first_seen_at", .string(article.firstSeenAt.text)),
                    ("fetched_at", .string(article.fetchedAt.text)),
                    ("listing_timestamp", .optional(article.listingTimestamp?.text)),
                ])
    }

    package static func summary(_ article: ArticleSummary) -> [(String, JSONOutput)] {
        [
            ("id", .int(Int(article.id))),
            ("source", .string(article.source)),
            ("title", .string(article.title)),
            ("published", .optional(article.publishedAt?.text)),
            ("url", .string(article.url)),
            ("canonical_url", .optional(article.canonicalURL)),
            ("content_id", .optional(article.contentID)),
            ("revision", .int(article.revision)),
            ("first_seen_at", .string(article.firstSeenAt.text)),
            ("fetched_at", .string(article.fetchedAt.text)),
        ]
    }

    package static func hit(_ hit: SearchHit) -> JSONOutput {
        .object(
            summary(hit.article) + [
                ("snippet", .string(hit.snippet)),
                ("score", hit.score.map(JSONOutput.double) ?? .null),
            ])
    }

    package static func revision(_ revision: ArticleRevision) -> JSONOutput {
        .object([
            ("revision", .int(revision.revision)),
            ("fetched_at", .string(revision.fetchedAt.text)),
            ("modified", .optional(revision.modifiedAt?.text)),
            ("title", .string(revision.title)),
            ("lead", .optional(revision.lead)),
            ("body_html", .string(revision.bodyHTML)),
            ("body_text", .string(revision.bodyText)),
            ("content_hash", .string(revision.contentHash)),
        ])
    }
}
