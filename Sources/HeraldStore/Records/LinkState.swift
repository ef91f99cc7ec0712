import HeraldTime

/// What the store knows of a URL before anything is fetched: the seen check.
package enum LinkState: Sendable, Equatable {
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
package struct StoredArticle: Sendable, Equatable {
    package var id: Int64
    package var url: String
    package var publishedAt: Instant?
    package var modifiedAt: Instant?
    package var listingTimestamp: Instant?
    package var contentHash: String
    package var revision: Int

    /// The newest instant we know the article by: a listing timestamp newer than this means it changed upstream.
    package var newestKnownInstant: Instant? {
        [publishedAt, modifiedAt, listingTimestamp].compactMap { $0 }.max()
    }
}

/// A URL whose last fetch failed. Permanent failures (404, 410, "not an article") are not retried unless a listing
/// shows a newer timestamp; transient ones are retried after `retryAfter`.
package struct FetchFailure: Sendable, Equatable {
    package var url: String
    package var error: String
    package var permanent: Bool
    package var attempts: Int
    package var listingTimestamp: Instant?
    package var retryAfter: Instant?
}

/// What is left of an article retention deleted: enough to recognise its URLs and to say when and why.
package struct Tombstone: Sendable, Equatable {
    package var url: String
    package var articleID: Int64?
    package var source: String
    package var contentID: String?
    package var deletedAt: Instant
    package var reason: String
}
