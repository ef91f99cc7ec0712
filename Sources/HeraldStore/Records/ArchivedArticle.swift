import HeraldArticle
import HeraldTime

// Rows as the read side (`ArchiveReader`: `herald articles`, `show`, `search`, `export`) hands them out.

/// One stored article: the article, and what the store adds around it. Its fields read as the article's own
/// (`archived.title`; see `ArticleWrapper`).
package struct ArchivedArticle: ArticleWrapper, Sendable, Equatable {
    package var id: Int64
    /// The source that stored it first (`articles.source`); `article_sources` has every source that lists it.
    package var source: String
    package var article: Article
    /// The newest timestamp a listing showed for it.
    package var listingTimestamp: Instant?
    /// When Herald first fetched (and stored) it.
    package var firstSeenAt: Instant
    /// When Herald last fetched it.
    package var fetchedAt: Instant
    package var contentHash: String
    package var revision: Int
}

/// One line of a listing (`herald articles`, the export index): no bodies.
package struct ArticleSummary: Sendable, Equatable {
    package var id: Int64
    package var source: String
    package var title: String
    package var publishedAt: Instant?
    package var firstSeenAt: Instant
    package var fetchedAt: Instant
    /// The dedup key: the canonical form of the link Herald followed (never changes).
    package var url: String
    /// What the page declares, as declared.
    package var canonicalURL: String?
    package var contentID: String?
    package var revision: Int

    /// The URL to show people and to link to: the page's declared canonical URL, else the one Herald followed.
    package var displayURL: String { canonicalURL ?? url }
}

/// One stored version of an article (`article_revisions`).
package struct ArticleRevision: Sendable, Equatable {
    package var articleID: Int64
    package var revision: Int
    package var fetchedAt: Instant
    package var modifiedAt: Instant?
    package var title: String
    package var lead: String?
    package var leadVerbatim: String?
    package var bodyHTML: String
    package var bodyText: String
    package var contentHash: String
}
