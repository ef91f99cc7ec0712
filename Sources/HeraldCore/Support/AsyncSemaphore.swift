/// Bounds how many tasks do something at once (article fetches across all sources, passes in the daemon).
/// Waiters are served first come, first served; a cancelled waiter leaves the queue without taking a permit.
/// `resize` changes the bound in place (a reload): permits held stay held, and no more than the new bound are granted.
package actor AsyncSemaphore {
    private var capacity: Int
    private var inUse = 0
    private var waiters: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextID = 0

    package init(permits: Int) {
        capacity = max(1, permits)
    }

    /// The bound now in force.
    package var permits: Int { capacity }

    /// Changes the bound. Raising it lets waiters in at once; lowering it takes effect as holders release.
    package func resize(to permits: Int) {
        capacity = max(1, permits)
        grantWaiters()
    }

    /// Waits for a permit. Returns false (holding none) if the task was cancelled while waiting.
    package func acquire() async -> Bool {
        if inUse < capacity, waiters.isEmpty {
            inUse += 1
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

    package func release() {
        inUse = max(0, inUse - 1)
        grantWaiters()
    }

    private func grantWaiters() {
        while inUse < capacity, !waiters.isEmpty {
            inUse += 1
            waiters.removeFirst().continuation.resume(returning: true)
        }
    }

    /// Runs `body` holding a permit; nil when cancelled before one was granted.
    package func withPermit<T: Sendable>(_ body: @Sendable () async -> T) async -> T? {
        guard await acquire() else { return nil }
        let result = await body()
        release()
        return result
    }

    /// How many tasks are waiting (the status socket's queue depth).
    package var waiting: Int { waiters.count }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: false)
    }
}
