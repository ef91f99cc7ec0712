import HeraldStore
import HeraldTime

/// Decides, from the store alone, what a pass does with one listing link. This is where "skip what we already have"
/// lives: a seen URL is fetched again only when the listing shows a newer timestamp than anything we know of it.
enum LinkTriage: Equatable {
    /// Never seen: fetch (or, for a full-text feed, store the item).
    case fetchNew
    /// Seen, but the listing's timestamp is newer than what we stored: fetch again; a changed body becomes a revision.
    case refetch
    /// Seen and not newer: nothing to do.
    case unchanged
    /// Failed before and not yet due for a retry (or failed permanently with no newer timestamp).
    case skip(reason: String)

    /// - Parameters:
    ///   - timestamp: the listing's timestamp for the link, if it gave one.
    ///   - now: the pass's start.
    /// Times are compared as `Instant` values; a stored time that does not read back (a column edited by hand) counts
    /// as unknown, never as text.
    static func decide(_ state: LinkState, timestamp: Instant?, now: Instant) -> LinkTriage {
        switch state {
        case .new:
            return .fetchNew
        case let .stored(article):
            guard let timestamp, let known = article.newestKnownInstant else { return .unchanged }
            return timestamp > known ? .refetch : .unchanged
        case .pruned:
            // Deleted by retention (a tombstone): seen and unchanged, whatever timestamp the listing shows. Fetching
            // it again would only store an article `herald prune` deletes at its next run.
            return .unchanged
        case let .failed(failure):
            if let timestamp, let seen = failure.listingTimestamp, timestamp > seen {
                return .fetchNew
            }
            if failure.permanent { return .skip(reason: "failed before: \(failure.error)") }
            if let due = failure.retryAfter, due > now {
                return .skip(reason: "retrying after \(due): \(failure.error)")
            }
            return .fetchNew
        }
    }
}
