/// Bounds how many tasks do something at once (article fetches across all sources, passes in the daemon).
/// Waiters are served first come, first served; a cancelled waiter leaves the queue without taking a permit.
public actor AsyncSemaphore {
    private var available: Int
    private var waiters: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextID = 0

    public init(permits: Int) {
        available = max(1, permits)
    }

    /// Waits for a permit. Returns false (holding none) if the task was cancelled while waiting.
    public func acquire() async -> Bool {
        if available > 0 {
            available -= 1
            return true
        }
        let id = nextID
        nextID += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Cancelled before we got here: the handler below may already have run and found nothing to remove.
                if Task.isCancelled { return continuation.resume(returning: false) }
                waiters.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    public func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().continuation.resume(returning: true)
        }
    }

    /// Runs `body` holding a permit; nil when cancelled before one was granted.
    public func withPermit<T: Sendable>(_ body: @Sendable () async -> T) async -> T? {
        guard await acquire() else { return nil }
        let result = await body()
        release()
        return result
    }

    /// How many tasks are waiting (the status socket's queue depth).
    public var waiting: Int { waiters.count }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: false)
    }
}
