import HeraldTime
import Synchronization

/// Saves waiting for the writer, for group commit (`ArticleStore.saveCoalescing`).
///
/// Each FTS5 index writes a new segment (and does some merge work) at every commit, whatever the commit holds: with
/// the three search indexes that is most of an article's save (schema.md, benchmarks.md). So saves that arrive
/// while the writer is busy wait here and then go in one transaction together. The first caller to find no one
/// draining becomes the drainer: it runs batches on its own thread until the queue is empty; the others are
/// suspended on their continuation (they hold no thread), and each is resumed with its own outcome once its batch
/// has committed. A save that arrives on an idle writer is committed at once, alone: nothing waits for company.
final class SaveQueue: Sendable {
    struct Request: Sendable {
        let record: ArticleRecord
        let listingTimestamp: Instant?
        let fetchedAt: Instant
        let aliasByCanonical: Bool
    }

    struct Waiting: Sendable {
        let request: Request
        let continuation: CheckedContinuation<SaveOutcome, any Error>
    }

    private struct State: ~Copyable {
        var waiting: [Waiting] = []
        var draining = false
        var batches = 0
        var saves = 0
    }

    /// Bounds the write lock's hold (a batch of 32 RFI-sized articles is ~20-40 ms) and what a crash can take back.
    static let maxBatch = 32

    private let state = Mutex(State())

    /// Queues `waiting`; true when the caller must now drain (nobody else is).
    func enqueue(_ waiting: Waiting) -> Bool {
        state.withLock { state in
            state.waiting.append(waiting)
            if state.draining { return false }
            state.draining = true
            return true
        }
    }

    /// The next batch for the drainer, oldest first; nil (and the drainer's role given up, atomically with seeing
    /// the queue empty, so no save is left behind) when there is none.
    func nextBatch() -> [Waiting]? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.draining = false
                return nil
            }
            let count = min(Self.maxBatch, state.waiting.count)
            let batch = Array(state.waiting.prefix(count))
            state.waiting.removeFirst(count)
            state.batches += 1
            state.saves += count
            return batch
        }
    }

    /// Transactions committed and saves they held since the store opened (how much coalescing happened).
    var counts: (batches: Int, saves: Int) {
        state.withLock { ($0.batches, $0.saves) }
    }
}
