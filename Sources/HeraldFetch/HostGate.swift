import Foundation

/// Per-host politeness: at most `maxInFlightPerHost` requests in flight and at least `minimumDelay` seconds between
/// request starts for each host key (an `Origin` description: scheme://host:port). Waiters are served first come,
/// first served; waiting is a suspended continuation (no polling), woken by `release` or by one timer per host when
/// the delay runs out. A cancelled waiter leaves the queue and wakes whoever can now go, so no wake-up is lost.
package actor HostGate {
    /// Thrown by `acquire` after `close()`.
    package struct Closed: Error, Sendable {}

    package private(set) var maxInFlightPerHost: Int
    package private(set) var minimumDelay: TimeInterval

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct HostState {
        var inFlight = 0
        var lastStart: ContinuousClock.Instant?
        var waiters: [Waiter] = []
        var timerPending = false
        /// robots.txt Crawl-delay for this host, when larger than the gate's default.
        var crawlDelay: TimeInterval = 0
    }

    private var hosts: [String: HostState] = [:]
    private var nextWaiterID = 0
    private var closed = false
    private let clock = ContinuousClock()

    package init(maxInFlightPerHost: Int = 2, minimumDelay: TimeInterval = 1) {
        self.maxInFlightPerHost = max(1, maxInFlightPerHost)
        self.minimumDelay = max(0, minimumDelay)
    }

    /// New limits from a reloaded config, for every host at once: the gate outlives the reload, so requests of passes
    /// that started before it and those after it share one set of limits (two gates would double them for a while).
    package func reconfigure(maxInFlightPerHost: Int, minimumDelay: TimeInterval) {
        self.maxInFlightPerHost = max(1, maxInFlightPerHost)
        self.minimumDelay = max(0, minimumDelay)
        for host in hosts.keys { grant(host) }
    }

    /// Raises the delay between request starts for one host (robots.txt `Crawl-delay`). Never lowers it below the
    /// gate's `minimumDelay`.
    package func setCrawlDelay(_ seconds: TimeInterval, for host: String) {
        hosts[host, default: HostState()].crawlDelay = max(0, seconds)
        grant(host)
    }

    /// The delay now in force for `host`.
    package func delay(for host: String) -> TimeInterval {
        max(minimumDelay, hosts[host]?.crawlDelay ?? 0)
    }

    /// Requests waiting for `host` (for status pages and tests).
    package func waitingCount(for host: String) -> Int { hosts[host]?.waiters.count ?? 0 }

    /// Requests in flight for `host`.
    package func inFlightCount(for host: String) -> Int { hosts[host]?.inFlight ?? 0 }

    /// Suspends until this request may start for `host`. Every successful `acquire` must be paired with `release`.
    /// Throws `CancellationError` if the task is cancelled while waiting, `Closed` after `close()`.
    package func acquire(_ host: String) async throws {
        if closed { throw Closed() }
        try Task.checkCancellation()
        var state = hosts[host, default: HostState()]
        if state.waiters.isEmpty, canStart(state, now: clock.now) {
            start(&state)
            hosts[host] = state
            return
        }
        let id = nextWaiterID
        nextWaiterID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Runs on this actor before any suspension; a cancellation that already happened is seen here, a
                // later one reaches `cancelWaiter` after the waiter is queued.
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                hosts[host, default: HostState()].waiters.append(Waiter(id: id, continuation: continuation))
                grant(host)
            }
        } onCancel: {
            Task { await self.cancelWaiter(id, host: host) }
        }
    }

    /// Ends a request started by `acquire`, letting the next waiter in (subject to the delay).
    package func release(_ host: String) {
        guard var state = hosts[host] else { return }
        state.inFlight = max(0, state.inFlight - 1)
        hosts[host] = state
        grant(host)
    }

    /// Fails every waiter and every later `acquire` with `Closed` (shutdown). Requests in flight are unaffected.
    package func close() {
        closed = true
        for (host, var state) in hosts {
            let waiters = state.waiters
            state.waiters = []
            hosts[host] = state
            for waiter in waiters { waiter.continuation.resume(throwing: Closed()) }
        }
    }

    // MARK: - Internals

    private func canStart(_ state: HostState, now: ContinuousClock.Instant) -> Bool {
        guard state.inFlight < maxInFlightPerHost else { return false }
        guard let last = state.lastStart else { return true }
        return now >= last.advanced(by: .seconds(max(minimumDelay, state.crawlDelay)))
    }

    private func start(_ state: inout HostState) {
        state.inFlight += 1
        state.lastStart = clock.now
    }

    /// Lets queued waiters start, in order, while capacity and the delay allow; otherwise arms the host's timer.
    private func grant(_ host: String) {
        guard var state = hosts[host] else { return }
        while let first = state.waiters.first {
            let now = clock.now
            if canStart(state, now: now) {
                state.waiters.removeFirst()
                start(&state)
                first.continuation.resume()
            } else {
                if state.inFlight < maxInFlightPerHost, !state.timerPending, let last = state.lastStart {
                    // Blocked by the delay only: wake when it runs out. (Blocked by capacity: `release` wakes us.)
                    state.timerPending = true
                    let due = last.advanced(by: .seconds(max(minimumDelay, state.crawlDelay)))
                    Task { [clock] in
                        try? await clock.sleep(until: due)
                        self.timerFired(host)
                    }
                }
                break
            }
        }
        hosts[host] = state
    }

    private func timerFired(_ host: String) {
        hosts[host]?.timerPending = false
        grant(host)
    }

    private func cancelWaiter(_ id: Int, host: String) {
        guard var state = hosts[host], let index = state.waiters.firstIndex(where: { $0.id == id }) else {
            return  // already granted (the caller owns a slot and releases it) or already failed by close()
        }
        let waiter = state.waiters.remove(at: index)
        hosts[host] = state
        waiter.continuation.resume(throwing: CancellationError())
        grant(host)
    }
}
