import HeraldTime

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

/// What is left of an article retention deleted: enough to recognise its URLs and to say when and why.
public struct Tombstone: Sendable, Equatable {
    public var url: String
    public var articleID: Int64?
    public var source: String
    public var contentID: String?
    public var deletedAt: String
    public var reason: String
}
