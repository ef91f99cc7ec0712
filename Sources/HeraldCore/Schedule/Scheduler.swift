import Dispatch
import Foundation
import HeraldConfiguration
import HeraldParse
import HeraldStore
import HeraldTime
import HeraldURL
import Logging
import Synchronization

/// Runs every enabled source on its own timetable: a `DispatchSourceTimer` per source, passes on a bounded pool
/// (`concurrency` at once), a source never overlapping itself.
///
/// One owner: every piece of scheduling state lives in `sources` and is touched only on `queue`, which the timers
/// fire on too. Each source is a `SourceSchedule`, a pure state machine; this class feeds it events and carries out
/// the effects it returns. Database writes go to a serial `persistence` queue, in order, so the scheduler never
/// waits on SQLite; readers (status, metrics, systemd's STATUS= line) read a copy published after every change.
/// Async callers never block a thread on the queue: they hop onto it with a continuation.
///
/// The timetable lives in the database (`sources.next_run_at`, the failure streak, the last error), so a restart
/// resumes it instead of crawling everything at once.
package final class Scheduler: Sendable {
    /// What `status` shows for one source.
    package struct SourceStatus: Sendable {
        package enum State: String, Sendable { case idle, running, backoff, disabled }
        package var name: String
        package var listing: String
        package var state: State
        package var interval: Double
        package var keepDays: Int?
        package var nextRunAt: Instant?
        package var consecutiveFailures: Int
        package var lastError: String?
        package var lastSuccessAt: Instant?
        package var lastReport: CrawlReport?
    }

    package enum TriggerResult: Sendable { case started, alreadyRunning, unknownSource, stopping }

    /// Internal so tests can prove the watchdog notices a stuck queue.
    let queue = DispatchQueue(label: "herald.scheduler")
    private let persistence = DispatchQueue(label: "herald.scheduler.persistence")
    /// Changed only on `queue`; the Mutex makes the few reads from elsewhere (`crawler`) safe.
    private let sources: Mutex<Sources>
    private let published = Mutex<[SourceStatus]>([])
    private let passSlots: AsyncSemaphore
    private let health = NetworkHealth()
    private let logger: Logger
    /// Called on `queue` after each pass (the daemon updates systemd's STATUS= line).
    private let onPassFinished: @Sendable (CrawlReport) -> Void

    private struct Sources {
        var crawler: Crawler
        var schedules: [String: SourceSchedule] = [:]
        var order: [String] = []
        var timers: [String: any DispatchSourceTimer] = [:]
        var tasks: [String: Task<Void, Never>] = [:]
        /// The crawler each running pass uses: after a reload it may be an older one, and a stop aborts it too.
        var passCrawlers: [String: Crawler] = [:]
        /// Until `start`, timers are kept here instead of armed: `load` fills the timetable (so the status socket,
        /// opened next, shows it) without a pass starting before the daemon is sure it can serve.
        var started = false
        var pendingTimers: [String: Date] = [:]
        var stopping = false
    }

    package init(crawler: Crawler, logger: Logger, onPassFinished: @escaping @Sendable (CrawlReport) -> Void = { _ in })
    {
        sources = Mutex(Sources(crawler: crawler))
        passSlots = AsyncSemaphore(permits: crawler.config.concurrency)
        self.logger = logger
        self.onPassFinished = onPassFinished
    }

    package var crawler: Crawler { sources.withLock { $0.crawler } }

    /// Fills the timetable from the config and the database (what `status` shows) without arming anything.
    package func load() async {
        await apply(crawler)
    }

    /// Arms a timer for every enabled source at its persisted next run (after `load`).
    package func start() async {
        await onQueue {
            let pending = self.sources.withLock { state -> [String: Date] in
                state.started = true
                defer { state.pendingTimers = [:] }
                return state.pendingTimers
            }
            for (name, date) in pending { self.carryOut([.armTimer(at: date)], for: name) }
        }
    }

    /// Applies a reloaded configuration: new sources are scheduled, removed ones stop (a running pass finishes),
    /// changed ones are rescheduled; later passes use `crawler` (new limits, user agent, profiles).
    package func reload(with crawler: Crawler) async {
        await apply(crawler)
    }

    /// The pool running passes share is resized in place, not replaced (a reloaded `concurrency`).
    package func resizePassPool(to passes: Int) async {
        await passSlots.resize(to: passes)
    }

    private func apply(_ crawler: Crawler) async {
        let config = crawler.config
        // The database first, off the queue: register the sources, drop removed ones, read what it remembers.
        do {
            for name in try crawler.store.forgetSources(notIn: config.sources.map(\.name)) {
                logger.notice(
                    "source no longer in the config: dropped from source_health (its passes stay in crawl_runs)",
                    metadata: ["source": "\(name)"])
            }
        } catch {
            logger.error("cannot drop removed sources from the timetable", metadata: ["error": "\(error)"])
        }
        for source in config.sources { try? crawler.store.registerSource(name: source.name, listing: source.listing) }
        let persisted = Dictionary(
            ((try? crawler.store.allSourceStates()) ?? []).map { ($0.name, $0) },
            uniquingKeysWith: { a, _ in a })
        await onQueue {
            let now = Date()
            let removed = self.sources.withLock { state -> [String] in
                state.crawler = crawler
                let wanted = Set(config.sources.map(\.name))
                state.order = config.sources.map(\.name)
                return state.schedules.keys.filter { !wanted.contains($0) }
            }
            for name in removed {
                self.sources.withLock { state in
                    state.timers.removeValue(forKey: name)?.cancel()
                    state.schedules[name] = nil
                }
                self.logger.info("source removed", metadata: ["source": "\(name)"])
            }
            for (index, source) in config.sources.enumerated() {
                let existing = self.sources.withLock { $0.schedules[source.name] }
                if var schedule = existing {
                    let effects = schedule.reconfigure(source, now: now)
                    self.sources.withLock { $0.schedules[source.name] = schedule }
                    self.carryOut(effects, for: source.name)
                } else {
                    var schedule = SourceSchedule(source: source, persisted: persisted[source.name])
                    let effects = schedule.start(index: index, now: now, random: Double.random(in: 0...1))
                    self.sources.withLock { $0.schedules[source.name] = schedule }
                    self.carryOut(effects, for: source.name)
                    self.logger.info(
                        "source scheduled",
                        metadata: [
                            "source": "\(source.name)",
                            "next_run": "\(schedule.nextRun.map { Instant($0).text } ?? "disabled")",
                            "interval": "\(DurationText.format(source.interval))",
                        ])
                }
            }
            self.publish()
        }
    }

    /// Runs `name` now (the socket's `POST /sources/NAME/crawl`, `herald trigger`).
    package func trigger(_ name: String) async -> TriggerResult {
        await onQueue {
            let verdict: TriggerResult = self.sources.withLock { state in
                guard !state.stopping else { return .stopping }
                guard let schedule = state.schedules[name] else { return .unknownSource }
                return schedule.isRunning ? .alreadyRunning : .started
            }
            if verdict == .started { self.due(name) }
            return verdict
        }
    }

    // MARK: - On the queue

    /// A timer fired or a trigger came.
    private func due(_ name: String) {
        let effects: [SourceSchedule.Effect] = sources.withLock { state in
            guard !state.stopping, var schedule = state.schedules[name] else { return [] }
            let effects = schedule.due()
            state.schedules[name] = schedule
            return effects
        }
        carryOut(effects, for: name)
        publish()
    }

    /// A pass ended: records the outcome and arms the next run.
    private func finish(_ name: String, report: CrawlReport?) {
        let now = Date()
        let listing = sources.withLock { state -> String? in
            state.tasks[name] = nil
            state.passCrawlers[name] = nil
            return state.schedules[name]?.source.listing
        }
        if let report, let host = listing.flatMap({ CanonicalURL.host(of: $0) }) {
            health.record(host: host, unanswered: report.outcome == .failed && report.listingUnanswered, at: now)
        }
        let outage = report.map { $0.outcome == .failed && $0.listingUnanswered && health.isOutage(now: now) } ?? false
        let effects: [SourceSchedule.Effect] = sources.withLock { state in
            guard var schedule = state.schedules[name] else { return [] }
            let effects = schedule.finish(
                report, outage: outage, stopping: state.stopping, now: now,
                random: Double.random(in: 0...1))
            state.schedules[name] = schedule
            return effects
        }
        carryOut(effects, for: name)
        publish()
        if let report { onPassFinished(report) }
    }

    private func carryOut(_ effects: [SourceSchedule.Effect], for name: String) {
        for effect in effects {
            switch effect {
            case .cancelTimer:
                sources.withLock { state in
                    state.pendingTimers[name] = nil
                    return state.timers.removeValue(forKey: name)
                }?.cancel()
            case let .armTimer(date):
                // Created inside the lock: a timer never leaves the state that owns it.
                sources.withLock { state in
                    guard state.started else {
                        state.pendingTimers[name] = date
                        return
                    }
                    let timer = DispatchSource.makeTimerSource(queue: queue)
                    timer.schedule(wallDeadline: .now() + max(0, date.timeIntervalSinceNow))
                    timer.setEventHandler { [self] in due(name) }
                    state.timers.updateValue(timer, forKey: name)?.cancel()
                    timer.resume()
                }
            case .startPass:
                startPass(name)
            case let .persistNextRun(date):
                let store = crawler.store
                persistence.async { [logger] in
                    do { try store.setNextRun(source: name, at: Instant(date)) } catch {
                        logger.error(
                            "cannot persist the timetable", metadata: ["source": "\(name)", "error": "\(error)"])
                    }
                }
            case let .persistOutcome(succeeded, error, countFailure, runAt, nextRunAt):
                let store = crawler.store
                persistence.async { [logger] in
                    do {
                        try store.recordSourceOutcome(
                            source: name, succeeded: succeeded, error: error,
                            countFailure: countFailure, runAt: runAt,
                            nextRunAt: nextRunAt.map(Instant.init))
                    } catch {
                        logger.error(
                            "cannot persist the timetable", metadata: ["source": "\(name)", "error": "\(error)"])
                    }
                }
            case let .warnBackingOff(failures, retryIn, error):
                logger.warning(
                    "source backing off",
                    metadata: [
                        "source": "\(name)", "failures": "\(failures)", "retry_in": "\(DurationText.format(retryIn))",
                        "error": "\(error)",
                    ])
            }
        }
    }

    private func startPass(_ name: String) {
        sources.withLock { state in
            guard let source = state.schedules[name]?.source else { return }
            let crawler = state.crawler
            state.passCrawlers[name] = crawler
            state.tasks[name] = Task { [self] in
                let report = await passSlots.withPermit { await crawler.crawl(source) }
                queue.async { [self] in finish(name, report: report) }
            }
        }
    }

    /// The copy readers see, refreshed after every change on the queue.
    private func publish() {
        let snapshot = sources.withLock { state in
            state.order.compactMap { name -> SourceStatus? in
                guard let schedule = state.schedules[name] else { return nil }
                return SourceStatus(
                    name: name, listing: schedule.source.listing, state: schedule.state,
                    interval: schedule.source.interval, keepDays: schedule.source.keepDays,
                    nextRunAt: schedule.nextRun.map(Instant.init),
                    consecutiveFailures: schedule.consecutiveFailures, lastError: schedule.lastError,
                    lastSuccessAt: schedule.lastSuccessAt, lastReport: schedule.lastReport)
            }
        }
        published.withLock { $0 = snapshot }
    }

    /// Runs `body` on the queue and returns its result, without blocking the calling thread.
    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    // MARK: - Status

    package func snapshot() -> [SourceStatus] {
        published.withLock { $0 }
    }

    /// Passes waiting for a slot (the metrics' queue depth).
    package func queueDepth() async -> Int {
        await passSlots.waiting
    }

    /// Proves the scheduler queue is not stuck: runs an empty block on it within `timeout` seconds. Called from the
    /// watchdog's own thread, never from async code.
    package func isResponsive(timeout: Double) -> Bool {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        return done.wait(timeout: .now() + timeout) == .success
    }

    // MARK: - Stopping

    /// Stops taking new work; lets running passes finish for `grace` seconds, then aborts their transfers and waits
    /// for them to record what they did. Returns when no pass is running and every write has reached the database.
    package func stop(grace: Double) async {
        let (tasks, crawlers): ([Task<Void, Never>], [Crawler]) = await onQueue {
            self.sources.withLock { state in
                state.stopping = true
                for timer in state.timers.values { timer.cancel() }
                state.timers = [:]
                state.pendingTimers = [:]
                var crawlers = [state.crawler]
                for crawler in state.passCrawlers.values where !crawlers.contains(where: { $0 === crawler }) {
                    crawlers.append(crawler)
                }
                return (Array(state.tasks.values), crawlers)
            }
        }
        if !tasks.isEmpty {
            let finished = await Self.wait(for: tasks, upTo: grace)
            if !finished {
                logger.notice(
                    "aborting in-flight fetches to stop",
                    metadata: [
                        "passes": "\(tasks.count)",
                        "grace": "\(DurationText.format(grace))",
                    ])
                for task in tasks { task.cancel() }
                for crawler in crawlers { crawler.shutdown() }
                if await !Self.wait(for: tasks, upTo: 5) {
                    logger.error(
                        "passes still running after their transfers were aborted; exiting anyway",
                        metadata: ["passes": "\(tasks.count)"])
                }
            }
        }
        // The finish blocks the passes queued, then the writes they queued, before the caller closes the store.
        await onQueue {}
        await withCheckedContinuation { continuation in persistence.async { continuation.resume() } }
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
