// Rows as the read side (`ArchiveReader`: `herald articles`, `show`, `search`, `export`) hands them out. Times are
// ISO 8601 UTC text, as stored (`Instant` reads them).

/// One article, every column.
public struct ArchivedArticle: Sendable, Equatable {
    public var id: Int64
    public var source: String
    /// The dedup key: the canonical form of the link followed.
    public var url: String
    /// What the page declares, as declared.
    public var canonicalURL: String?
    public var contentID: String?
    public var title: String
    public var section: String?
    public var authors: [String]
    public var publishedAt: String?
    public var modifiedAt: String?
    public var listingTimestamp: String?
    /// When Herald first fetched (and stored) it.
    public var firstSeenAt: String
    /// When Herald last fetched it.
    public var fetchedAt: String
    public var lead: String?
    /// The lead as the page has it (whitespace untouched); nil for rows stored before schema v2.
    public var leadVerbatim: String?
    public var imageURL: String?
    public var imageCaption: String?
    public var bodyHTML: String
    public var bodyText: String
    public var tags: [String]
    public var contentHash: String
    public var revision: Int

    /// The URL to show people and to link to: the page's declared canonical URL, else the one Herald followed.
    public var displayURL: String { canonicalURL ?? url }
}

/// One line of a listing (`herald articles`, the export index): no bodies.
public struct ArticleSummary: Sendable, Equatable {
    public var id: Int64
    public var source: String
    public var title: String
    public var publishedAt: String?
    public var firstSeenAt: String
    public var fetchedAt: String
    /// The dedup key: the canonical form of the link Herald followed (never changes).
    public var url: String
    /// What the page declares, as declared.
    public var canonicalURL: String?
    public var contentID: String?
    public var revision: Int

    /// The URL to show people and to link to: the page's declared canonical URL, else the one Herald followed.
    public var displayURL: String { canonicalURL ?? url }
}

/// One stored version of an article (`article_revisions`).
public struct ArticleRevision: Sendable, Equatable {
    public var articleID: Int64
    public var revision: Int
    public var fetchedAt: String
    public var modifiedAt: String?
    public var title: String
    public var lead: String?
    public var leadVerbatim: String?
    public var bodyHTML: String
    public var bodyText: String
    public var contentHash: String
}
