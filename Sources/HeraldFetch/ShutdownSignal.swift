import Synchronization

/// A one-shot signal that async code can wait on, used so `PoliteFetcher.shutdown()` cuts short backoff sleeps.
final class ShutdownSignal: Sendable {
    private struct State {
        var fired = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Waiters cancelled before they registered (the cancel handler can run first).
        var cancelledIDs: Set<Int> = []
    }

    private let state = Mutex(State())

    var isFired: Bool { state.withLock { $0.fired } }

    func fire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.fired = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Sleeps for `seconds`. Returns false if the signal fired or the task was cancelled first.
    func sleep(_ seconds: Double) async -> Bool {
        guard seconds > 0 else { return !isFired && !Task.isCancelled }
        let slept = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await Task.sleep(for: .seconds(seconds))) != nil }
            group.addTask {
                await self.wait()
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        return slept && !isFired && !Task.isCancelled
    }

    /// Returns when the signal fires or the task is cancelled.
    private func wait() async {
        let id = state.withLock { state -> Int in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.fired || state.cancelledIDs.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelledIDs.insert(id)
                return nil
            }
            waiter?.resume()
        }
    }
}
