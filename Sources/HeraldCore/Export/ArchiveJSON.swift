import Foundation
import HeraldParse
import HeraldStatus
import HeraldStore
import HeraldTime

/// Stored articles as JSON (`herald show --format json`, `herald export --format jsonl`, `articles --json`,
/// `search --json`). An article is `herald parse --json`'s object (`ArticleJSON`) between its ids and its fetch
/// times. Field names are a promise to scripts: add fields, never rename them.
package enum ArchiveJSON {
    package static func object(_ article: ArchivedArticle) -> JSONOutput {
        .object(
            [("id", .int(Int(article.id))), ("source", .string(article.source))]
                + ArticleJSON.fields(article.parsed)
                + [
                    ("revision", .int(article.revision)),
                    ("content_hash", .string(article.contentHash)),
                    ("first_seen_at", .string(article.firstSeenAt)),
                    ("fetched_at", .string(article.fetchedAt)),
                    ("listing_timestamp", .optional(article.listingTimestamp)),
                ])
    }

    package static func summary(_ article: ArticleSummary) -> [(String, JSONOutput)] {
        [
            ("id", .int(Int(article.id))),
            ("source", .string(article.source)),
            ("title", .string(article.title)),
            ("published", .optional(article.publishedAt)),
            ("url", .string(article.url)),
            ("canonical_url", .optional(article.canonicalURL)),
            ("content_id", .optional(article.contentID)),
            ("revision", .int(article.revision)),
            ("first_seen_at", .string(article.firstSeenAt)),
            ("fetched_at", .string(article.fetchedAt)),
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
            ("fetched_at", .string(revision.fetchedAt)),
            ("modified", .optional(revision.modifiedAt)),
            ("title", .string(revision.title)),
            ("lead", .optional(revision.lead)),
            ("body_html", .string(revision.bodyHTML)),
            ("body_text", .string(revision.bodyText)),
            ("content_hash", .string(revision.contentHash)),
        ])
    }
}

extension ArchivedArticle {
    /// The article as `herald parse` would have extracted it (for `ArticleJSON` and `ArticleText`).
    package var parsed: ParsedArticle {
        ParsedArticle(
            url: url, canonicalURL: canonicalURL, contentID: contentID, title: title, section: section,
            authors: authors, publishedAt: publishedAt.flatMap { Instant(text: $0)?.date },
            modifiedAt: modifiedAt.flatMap { Instant(text: $0)?.date }, lead: lead, imageURL: imageURL,
            imageCaption: imageCaption, tags: tags, bodyHTML: bodyHTML, bodyText: bodyText,
            leadVerbatim: leadVerbatim)
    }
}
