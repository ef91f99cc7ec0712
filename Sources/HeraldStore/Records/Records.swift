import HeraldTime

/// An article as the crawl hands it to the store. Times are ISO 8601 UTC text (`2023-10-28T09:52:00Z`), as stored.
public struct ArticleRecord: Sendable, Equatable {
    public var source: String
    /// The dedup key: canonical form of the URL that was followed.
    public var url: String
    /// What the page declares, as declared.
    public var canonicalURL: String?
    public var contentID: String?
    public var title: String
    public var section: String?
    public var authors: [String]
    public var publishedAt: String?
    public var modifiedAt: String?
    public var lead: String?
    /// The lead exactly as the page has it (decoded, whitespace untouched): what the seed export writes.
    public var leadVerbatim: String?
    public var imageURL: String?
    public var imageCaption: String?
    public var bodyHTML: String
    public var bodyText: String
    public var tags: [String]
    /// What decides "changed" (computed by the crawl from the visible content; equal hash = nothing new to store).
    public var contentHash: String

    public init(source: String, url: String, canonicalURL: String?, contentID: String?, title: String,
                section: String?, authors: [String], publishedAt: String?, modifiedAt: String?, lead: String?,
                imageURL: String?, imageCaption: String?, bodyHTML: String, bodyText: String, tags: [String],
                contentHash: String, leadVerbatim: String? = nil) {
        self.source = source
        self.url = url
        self.canonicalURL = canonicalURL
        self.contentID = contentID
        self.title = title
        self.section = section
        self.authors = authors
        self.publishedAt = publishedAt
        self.modifiedAt = modifiedAt
        self.lead = lead
        self.leadVerbatim = leadVerbatim
        self.imageURL = imageURL
        self.imageCaption = imageCaption
        self.bodyHTML = bodyHTML
        self.bodyText = bodyText
        self.tags = tags
        self.contentHash = contentHash
    }
}

/// What the store knows of a URL before anything is fetched: the seen check.
public enum LinkState: Sendable, Equatable {
    /// Never seen.
    case new
    /// Stored (directly, or as an alias of a stored article).
    case stored(StoredArticle)
    /// Fetched before without success.
    case failed(FetchFailure)
    /// Stored once, then deleted by retention (`herald prune`): seen, and not to be fetched again.
    case pruned(Tombstone)
}

/// What is left of an article retention deleted: enough to recognise its URLs and to say when and why.
public struct Tombstone: Sendable, Equatable {
    public var url: String
    public var articleID: Int64?
    public var source: String
    public var contentID: String?
    public var deletedAt: String
    public var reason: String
}

/// The fields of a stored article that decide whether to fetch it again.
public struct StoredArticle: Sendable, Equatable {
    public var id: Int64
    public var url: String
    public var publishedAt: String?
    public var modifiedAt: String?
    public var listingTimestamp: String?
    public var contentHash: String
    public var revision: Int

    /// The newest instant we know the article by: a listing timestamp newer than this means it changed upstream.
    public var newestKnownInstant: Instant? {
        [publishedAt, modifiedAt, listingTimestamp].compactMap { $0.flatMap(Instant.init(text:)) }.max()
    }
}

/// A URL whose last fetch failed. Permanent failures (404, 410, "not an article") are not retried unless a listing
/// shows a newer timestamp; transient ones are retried after `retryAfter`.
public struct FetchFailure: Sendable, Equatable {
    public var url: String
    public var error: String
    public var permanent: Bool
    public var attempts: Int
    public var listingTimestamp: String?
    public var retryAfter: String?
}

/// What `save` did.
public enum SaveOutcome: Sendable, Equatable {
    case inserted(id: Int64)
    /// The content changed: a new revision is now the article's latest.
    case revised(id: Int64, revision: Int)
    /// Same content hash as the stored latest revision: nothing stored but timestamps.
    case unchanged(id: Int64)
    /// The URL is another spelling of a stored article (same declared canonical URL): recorded as an alias.
    case aliased(id: Int64)
    /// The URL belongs to an article retention deleted (a tombstone): nothing stored, so it stays deleted.
    case pruned

    /// The stored article the outcome is about (none for `.pruned`).
    public var articleID: Int64? {
        switch self {
        case let .inserted(id), let .revised(id, _), let .unchanged(id), let .aliased(id): id
        case .pruned: nil
        }
    }
}

/// A source's persisted crawl state: validators, the timetable and the failure streak.
public struct SourceState: Sendable, Equatable {
    public var name: String
    public var listing: String
    public var etag: String?
    public var lastModified: String?
    public var nextRunAt: String?
    public var consecutiveFailures: Int
    public var lastError: String?
    public var lastRunAt: String?
    public var lastSuccessAt: String?
}

/// One crawl pass as recorded in `crawl_runs`.
public struct CrawlRunCounts: Sendable, Equatable {
    public var pages = 0
    public var linksFound = 0
    public var new = 0
    public var updated = 0
    public var unchanged = 0
    public var skipped = 0
    public var failed = 0

    public init() {}
}

public enum StoreError: Error, Sendable, CustomStringConvertible {
    case schemaTooNew(found: Int, supported: Int)

    public var description: String {
        switch self {
        case let .schemaTooNew(found, supported):
            "the database has schema version \(found) but this herald knows versions up to \(supported): "
                + "upgrade herald instead of using this database with an older one"
        }
    }
}
