/// Rows as the read side (`ArchiveReader`: `herald articles`, `show`, `search`, `export`) hands them out. Times are
/// ISO 8601 UTC text, as stored.

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

/// A search result: the article, a snippet with the matches between the caller's markers, and the bm25 score
/// (lower is better; nil when the query had to scan instead of using the index).
public struct SearchHit: Sendable, Equatable {
    public var article: ArticleSummary
    public var snippet: String
    public var score: Double?
}

public enum ArchiveError: Error, Sendable, CustomStringConvertible {
    case missing(path: String)
    case schemaTooOld(path: String, found: Int, latest: Int)
    case schemaTooNew(path: String, found: Int, latest: Int)
    case emptyQuery
    case searchIndexBuilding(path: String)

    public var description: String {
        switch self {
        case let .missing(path):
            "there is no database at \(path) (run `herald crawl` or the daemon first, or pass --database)"
        case let .schemaTooOld(path, found, latest):
            "\(path) has schema version \(found); this herald reads version \(latest): open it once with "
                + "`herald crawl` or the daemon of this version (as the database's owner) to upgrade it"
        case let .schemaTooNew(path, found, latest):
            "\(path) has schema version \(found) but this herald knows versions up to \(latest): upgrade herald"
        case .emptyQuery:
            "nothing to search for: give at least one word"
        case let .searchIndexBuilding(path):
            "the word search index of \(path) is still being built (schema v5, after an upgrade): the daemon or "
                + "`herald crawl` builds it when it opens the database; search again when it has finished"
        }
    }
}
