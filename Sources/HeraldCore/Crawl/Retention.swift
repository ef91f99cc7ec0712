import Foundation
import HeraldConfiguration
import HeraldStore
import HeraldTime
import Logging
import Synchronization

/// A source's `keepDays`, applied: which articles are old, and deleting them (tombstones keep them seen).
/// `herald prune` runs it on demand; crawls run it after a source's pass (`RetentionAfterPasses`).
package enum Retention {
    /// Articles published (or first fetched) before this instant are older than `keepDays`.
    package static func cutoff(keepDays: Int, now: Date) -> Instant {
        Instant(now.addingTimeInterval(-Double(keepDays) * 86_400))
    }

    /// Prunes `source` by its `keepDays`; nil when it sets none (it keeps everything).
    package static func prune(
        _ source: SourceConfig, in store: ArticleStore, now: Date,
        dryRun: Bool = false
    ) throws -> ArticleStore.PruneResult? {
        guard let days = source.keepDays else { return nil }
        return try store.prune(
            source: source.name, before: cutoff(keepDays: days, now: now), at: Instant(now),
            reason: "keepDays \(days)", dryRun: dryRun)
    }
}

/// Applies `keepDays` after a source's pass, at most once every `minimumGap` per source, so a daemon left alone
/// keeps its database within the configured retention without a cron job. The pruning is a few short
/// transactions of 500 articles; between them the passes' own writes go ahead.
final class RetentionAfterPasses: Sendable {
    static let minimumGap: TimeInterval = 6 * 3600
    private let lastRun = Mutex<[String: Date]>([:])

    func applyIfDue(_ source: SourceConfig, store: ArticleStore, logger: Logger, now: Date = Date()) {
        guard source.keepDays != nil else { return }
        let due = lastRun.withLock { last -> Bool in
            if let previous = last[source.name], now.timeIntervalSince(previous) < Self.minimumGap { return false }
            last[source.name] = now
            return true
        }
        guard due else { return }
        do {
            guard let result = try Retention.prune(source, in: store, now: now), result.articles + result.released > 0
            else {
                return
            }
            logger.notice(
                "pruned",
                metadata: [
                    "source": "\(source.name)", "keepDays": "\(source.keepDays ?? 0)", "articles": "\(result.articles)",
                    "revisions": "\(result.revisions)", "tombstones": "\(result.tombstones)",
                    "released": "\(result.released)",
                ])
        } catch {
            logger.error("pruning failed", metadata: ["source": "\(source.name)", "error": "\(error)"])
        }
    }
}
