// Rows as the read side (`ArchiveReader`: `herald articles`, `show`, `search`, `export`) hands them out. Times are
// ISO 8601 UTC text, as stored (`Instant` reads them).

/// One article, every column.
package struct ArchivedArticle: Sendable, Equatable {
    package var id: Int64
    package var source: String
    /// The dedup key: the canonical form of the link followed.
    package var url: String
    /// What the page declares, as declared.
    package var canonicalURL: String?
    package var contentID: String?
    package var title: String
    package var section: String?
    package var authors: [String]
    package var publishedAt: String?
    package var modifiedAt: String?
    package var listingTimestamp: String?
    /// When Herald first fetched (and stored) it.
    package var firstSeenAt: String
    /// When Herald last fetched it.
    package var fetchedAt: String
    package var lead: String?
    /// The lead as the page has it (whitespace untouched); nil for rows stored before schema v2.
    package var leadVerbatim: String?
    package var imageURL: String?
    package var imageCaption: String?
    package var bodyHTML: String
    package var bodyText: String
    package var tags: [String]
    package var contentHash: String
    package var revision: Int

    /// The URL to show people and to link to: the page's declared canonical URL, else the one Herald followed.
    package var displayURL: String { canonicalURL ?? url }
}

/// One line of a listing (`herald articles`, the export index): no bodies.
package struct ArticleSummary: Sendable, Equatable {
    package var id: Int64
    package var source: String
    package var title: String
    package var publishedAt: String?
    package var firstSeenAt: String
    package var fetchedAt: String
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
    package var fetchedAt: String
    package var modifiedAt: String?
    package var title: String
    package var lead: String?
    package var leadVerbatim: String?
    package var bodyHTML: String
    package var bodyText: String
    package var contentHash: String
}
