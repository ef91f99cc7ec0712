import Dispatch
import Foundation
import HeraldStore
import Logging
import Synchronization

/// Runs every enabled source on its own timetable: a `DispatchSourceTimer` per source on one scheduler queue, passes
/// on a bounded pool (`concurrency` at once), a source never overlapping itself.
///
/// The timetable lives in the database (`sources.next_run_at`, the failure streak, the last error), so a restart
/// resumes it instead of crawling everything at once.
public final class Scheduler: Sendable {
    /// What `status` shows for one source.
    public struct SourceStatus: Sendable {
        public enum State: String, Sendable { case idle, running, backoff, disabled }
        public var name: String
        public var listing: String
        public var state: State
        public var interval: Double
        public var keepDays: Int?
        public var nextRunAt: String?
        public var consecutiveFailures: Int
        public var lastError: String?
        public var lastSuccessAt: String?
        public var lastReport: CrawlReport?
    }

    public enum TriggerResult: Sendable { case started, alreadyRunning, unknownSource, stopping }

    private struct Entry {
        var source: SourceConfig
        var timer: (any DispatchSourceTimer)?
        var task: Task<Void, Never>?
        /// The crawler the running pass uses: after a reload it may be an older one than `State.crawler`, and a stop
        /// must abort its transfers too.
        var passCrawler: Crawler?
        var nextRun: Date?
        var consecutiveFailures = 0
        var lastError: String?
        var lastSuccessAt: String?
        var lastReport: CrawlReport?
        var running: Bool { task != nil }
    }

    private struct State {
        var crawler: Crawler
        var entries: [String: Entry] = [:]
        /// Sources in config order (status lists them so).
        var order: [String] = []
        var stopping = false
    }

    /// Internal so tests can prove the watchdog notices a stuck queue.
    let queue = DispatchQueue(label: "herald.scheduler")
    private let state: Mutex<State>
    private let passSlots: AsyncSemaphore
    private let health = NetworkHealth()
    private let logger: Logger
    /// Called on the scheduler queue after each pass (the daemon updates systemd's STATUS= line).
    private let onPassFinished: @Sendable (CrawlReport) -> Void

    public init(crawler: Crawler, logger: Logger, onPassFinished: @escaping @Sendable (CrawlReport) -> Void = { _ in }) {
        state = Mutex(State(crawler: crawler))
        passSlots = AsyncSemaphore(permits: crawler.config.concurrency)
        self.logger = logger
        self.onPassFinished = onPassFinished
    }

    public var crawler: Crawler { state.withLock { $0.crawler } }

    /// Arms a timer for every enabled source at its persisted next run (overdue ones start now, spread over a few
    /// seconds so a restart does not fire every source in the same instant).
    public func start() {
        queue.sync { apply(crawler) }
    }

    /// Applies a reloaded configuration: new sources are scheduled, removed ones stop (a running pass finishes),
    /// changed ones are rescheduled; later passes use `crawler` (new limits, user agent, profiles).
    public func reload(with crawler: Crawler) {
        queue.sync { apply(crawler) }
    }

    private func apply(_ crawler: Crawler) {
        let config = crawler.config
        do {
            for name in try crawler.store.forgetSources(notIn: config.sources.map(\.name)) {
                logger.notice("source no longer in the config: dropped from source_health (its passes stay in crawl_runs)",
                              metadata: ["source": "\(name)"])
            }
        } catch {
            logger.error("cannot drop removed sources from the timetable", metadata: ["error": "\(error)"])
        }
        let persisted = Dictionary(((try? crawler.store.allSourceStates()) ?? []).map { ($0.name, $0) },
                                   uniquingKeysWith: { a, _ in a })
        let now = Date()
        state.withLock { state in
            state.crawler = crawler
            let wanted = Set(config.sources.map(\.name))
            for name in state.entries.keys where !wanted.contains(name) {
                state.entries[name]?.timer?.cancel()
                state.entries[name] = nil
                logger.info("source removed", metadata: ["source": "\(name)"])
            }
            state.order = config.sources.map(\.name)
            for (index, source) in config.sources.enumerated() {
                try? crawler.store.registerSource(name: source.name, listing: source.listing)
                var entry = state.entries[source.name] ?? Entry(source: source)
                let changed = entry.source.interval != source.interval || entry.source.listing != source.listing
                    || entry.source.enabled != source.enabled
                let isNew = state.entries[source.name] == nil
                entry.source = source
                if isNew, let saved = persisted[source.name] {
                    entry.consecutiveFailures = saved.consecutiveFailures
                    entry.lastError = saved.lastError
                    entry.lastSuccessAt = saved.lastSuccessAt
                    entry.nextRun = saved.nextRunAt.flatMap(Clock.parse)
                }
                if !source.enabled {
                    entry.timer?.cancel()
                    entry.timer = nil
                    entry.nextRun = nil
                } else if isNew || changed || entry.timer == nil, !entry.running {
                    var next = entry.nextRun ?? now
                    if changed && !isNew { next = now.addingTimeInterval(min(source.interval, 5)) }
                    if next <= now { next = now.addingTimeInterval(Double(index) * 0.5 + Double.random(in: 0...1)) }
                    entry.nextRun = next
                    entry.timer?.cancel()
                    entry.timer = makeTimer(source.name, at: next)
                    try? crawler.store.setNextRun(source: source.name, at: Clock.format(next))
                }
                if isNew { logger.info("source scheduled", metadata: ["source": "\(source.name)",
                                                                      "next_run": "\(entry.nextRun.map(Clock.format) ?? "disabled")",
                                                                      "interval": "\(DurationText.format(source.interval))"]) }
                state.entries[source.name] = entry
            }
        }
    }

    private func makeTimer(_ name: String, at date: Date) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(wallDeadline: .now() + max(0, date.timeIntervalSinceNow))
        timer.setEventHandler { [self] in startPass(name) }
        timer.resume()
        return timer
    }

    /// Runs `name` now (the socket's `POST /sources/NAME/crawl`, `herald trigger`).
    public func trigger(_ name: String) -> TriggerResult {
        queue.sync {
            let verdict: TriggerResult = state.withLock { state in
                guard !state.stopping else { return .stopping }
                guard let entry = state.entries[name] else { return .unknownSource }
                return entry.running ? .alreadyRunning : .started
            }
            if verdict == .started { startPass(name) }
            return verdict
        }
    }

    /// Must run on `queue`.
    private func startPass(_ name: String) {
        state.withLock { state in
            guard !state.stopping, var entry = state.entries[name], !entry.running else { return }
            entry.timer?.cancel()
            entry.timer = nil
            let crawler = state.crawler
            let source = entry.source
            entry.passCrawler = crawler
            entry.task = Task { [self] in
                let report = await passSlots.withPermit { await crawler.crawl(source) }
                queue.async { [self] in finish(name, report: report) }
            }
            state.entries[name] = entry
        }
    }

    /// Must run on `queue`: records the outcome, persists the timetable and arms the next run.
    private func finish(_ name: String, report: CrawlReport?) {
        let now = Date()
        let (crawler, stopping) = state.withLock { ($0.crawler, $0.stopping) }
        let listing = state.withLock { $0.entries[name]?.source.listing }
        if let report, let host = listing.flatMap({ URLComponents(string: $0)?.host }) {
            health.record(host: host, unanswered: report.outcome == .failed && report.listingUnanswered, at: now)
        }
        state.withLock { state in
            guard var entry = state.entries[name] else { return }
            entry.task = nil
            entry.passCrawler = nil
            defer { state.entries[name] = entry }
            guard let report else { return }   // cancelled while waiting for a slot
            entry.lastReport = report
            let failed = report.outcome == .failed
            let outage = failed && report.listingUnanswered && health.isOutage(now: now)
            if !failed {
                entry.consecutiveFailures = 0
                entry.lastError = nil
                entry.lastSuccessAt = report.finishedAt
            } else {
                if !outage { entry.consecutiveFailures += 1 }
                entry.lastError = (outage ? "network unreachable (not counted against the source): " : "")
                    + (report.listingError ?? "failed")
            }
            guard !stopping || report.outcome != .interrupted else { return }
            let delay = Backoff.delay(interval: entry.source.interval, jitter: entry.source.jitter,
                                      consecutiveFailures: entry.consecutiveFailures, retryAfter: report.retryAfter,
                                      random: Double.random(in: 0...1))
            let next = now.addingTimeInterval(delay)
            do {
                try crawler.store.recordSourceOutcome(source: name, succeeded: !failed, error: entry.lastError,
                                                      countFailure: failed && !outage, runAt: report.startedAt,
                                                      nextRunAt: entry.source.enabled ? Clock.format(next) : nil)
            } catch {
                logger.error("cannot persist the timetable", metadata: ["source": "\(name)", "error": "\(error)"])
            }
            guard !stopping, entry.source.enabled else { return }
            entry.nextRun = next
            entry.timer = makeTimer(name, at: next)
            if failed {
                logger.warning("source backing off", metadata: [
                    "source": "\(name)", "failures": "\(entry.consecutiveFailures)",
                    "retry_in": "\(DurationText.format(delay))", "error": "\(entry.lastError ?? "")"])
            }
        }
        if let report { onPassFinished(report) }
    }

    // MARK: - Status

    public func snapshot() -> [SourceStatus] {
        state.withLock { state in
            state.order.compactMap { name in
                guard let entry = state.entries[name] else { return nil }
                let status: SourceStatus.State = !entry.source.enabled ? .disabled
                    : entry.running ? .running
                    : entry.consecutiveFailures > 0 ? .backoff : .idle
                return SourceStatus(name: name, listing: entry.source.listing, state: status,
                                    interval: entry.source.interval, keepDays: entry.source.keepDays,
                                    nextRunAt: entry.nextRun.map(Clock.format),
                                    consecutiveFailures: entry.consecutiveFailures, lastError: entry.lastError,
                                    lastSuccessAt: entry.lastSuccessAt, lastReport: entry.lastReport)
            }
        }
    }

    /// A reloaded `concurrency`: the pool running passes share is resized in place, not replaced.
    public func resizePassPool(to passes: Int) async {
        await passSlots.resize(to: passes)
    }

    /// Passes waiting for a slot (the metrics' queue depth).
    public func queueDepth() async -> Int {
        await passSlots.waiting
    }

    /// Proves the scheduler queue is not stuck: runs an empty block on it within `timeout` seconds.
    public func isResponsive(timeout: Double) -> Bool {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        return done.wait(timeout: .now() + timeout) == .success
    }

    // MARK: - Stopping

    /// Stops taking new work; lets running passes finish for `grace` seconds, then aborts their transfers and waits
    /// for them to record what they did. Returns when no pass is running.
    public func stop(grace: Double) async {
        let (tasks, crawlers): ([Task<Void, Never>], [Crawler]) = queue.sync {
            state.withLock { state in
                state.stopping = true
                for name in state.entries.keys {
                    state.entries[name]?.timer?.cancel()
                    state.entries[name]?.timer = nil
                }
                var crawlers = [state.crawler]
                for crawler in state.entries.values.compactMap(\.passCrawler)
                where !crawlers.contains(where: { $0 === crawler }) {
                    crawlers.append(crawler)
                }
                return (state.entries.values.compactMap(\.task), crawlers)
            }
        }
        guard !tasks.isEmpty else { return }
        let finished = await Self.wait(for: tasks, upTo: grace)
        if !finished {
            logger.notice("aborting in-flight fetches to stop", metadata: ["passes": "\(tasks.count)",
                                                                           "grace": "\(DurationText.format(grace))"])
            for task in tasks { task.cancel() }
            for crawler in crawlers { crawler.shutdown() }
            if await !Self.wait(for: tasks, upTo: 5) {
                logger.error("passes still running after their transfers were aborted; exiting anyway",
                             metadata: ["passes": "\(tasks.count)"])
            }
        }
        // Let the finish blocks queued by the passes run before the caller closes the store.
        queue.sync {}
    }

    /// Waits until every task has finished or `seconds` have passed, whichever comes first; true if they finished.
    ///
    /// Not a task group: a group returns only once all its children have, and a child awaiting `task.value` does not
    /// notice cancellation, so the deadline could never cut in. A pass stuck on a silent server then held `stop` for
    /// the whole fetch timeout (two minutes), far past systemd's `TimeoutStopSec=`, which ends in SIGKILL.
    static func wait(for tasks: [Task<Void, Never>], upTo seconds: Double) async -> Bool {
        let outcome = FirstOutcome()
        return await withCheckedContinuation { continuation in
            outcome.install(continuation)
            let deadline = Task {
                try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
                outcome.resolve(false)
            }
            Task {
                for task in tasks { await task.value }
                deadline.cancel()
                outcome.resolve(true)
            }
        }
    }
}
