import Foundation
import HeraldConfiguration
import HeraldStore
import HeraldTime

/// One source's place in the timetable, and the rules that move it: a pure value. The scheduler feeds it events
/// (configured, started, finished) and carries out what it answers (`Effect`s: arm a timer, start a pass, persist);
/// tests drive it with fixed clocks and random values, without timers or a database.
///
/// States: `disabled`; `waiting` for its next run (idle, or backing off while `consecutiveFailures > 0`); `running`.
struct SourceSchedule: Sendable {
    enum Phase: Equatable, Sendable {
        case disabled
        case waiting(until: Date)
        case running
    }

    enum Effect: Equatable, Sendable {
        case armTimer(at: Date)
        case cancelTimer
        case startPass
        /// The next run, written to `sources.next_run_at` so a restart resumes the timetable.
        case persistNextRun(Date)
        /// A pass's outcome and the next run (nil: the source is disabled).
        case persistOutcome(succeeded: Bool, error: String?, countFailure: Bool, runAt: Instant, nextRunAt: Date?)
        case warnBackingOff(failures: Int, retryIn: Double, error: String)
    }

    private(set) var source: SourceConfig
    private(set) var phase: Phase
    private(set) var consecutiveFailures = 0
    private(set) var lastError: String?
    private(set) var lastSuccessAt: Instant?
    private(set) var lastReport: CrawlReport?

    /// A source the scheduler has not seen in this process (start-up, or added by a reload), with what the
    /// database remembers of it. `start` puts it on the timetable.
    init(source: SourceConfig, persisted: SourceState?) {
        self.source = source
        phase = .disabled
        if let persisted {
            consecutiveFailures = persisted.consecutiveFailures
            lastError = persisted.lastError
            lastSuccessAt = persisted.lastSuccessAt
            persistedNextRun = persisted.nextRunAt?.date
        }
    }

    private var persistedNextRun: Date?

    /// Resumes the persisted timetable; a source overdue (or never run) starts within `index`/2 + 1 seconds, so a
    /// restart does not fire every source in the same instant.
    mutating func start(index: Int, now: Date, random: Double) -> [Effect] {
        guard source.enabled else { return [] }
        var next = persistedNextRun ?? now
        if next <= now { next = now.addingTimeInterval(Double(index) * 0.5 + random) }
        phase = .waiting(until: next)
        return [.armTimer(at: next), .persistNextRun(next)]
    }

    /// A reloaded config for this source. A running pass finishes with the old settings; a waiting source whose
    /// interval, listing or enabled flag changed runs again soon (within 5 s); a disabled one stops.
    mutating func reconfigure(_ next: SourceConfig, now: Date) -> [Effect] {
        let changed =
            next.interval != source.interval || next.listing != source.listing || next.enabled != source.enabled
        source = next
        guard phase != .running else { return [] }
        guard next.enabled else {
            let wasScheduled = phase != .disabled
            phase = .disabled
            return wasScheduled ? [.cancelTimer] : []
        }
        guard changed || phase == .disabled else { return [] }
        let at = now.addingTimeInterval(min(next.interval, 5))
        phase = .waiting(until: at)
        return [.cancelTimer, .armTimer(at: at), .persistNextRun(at)]
    }

    /// Its timer fired or it was triggered: a pass starts unless one is running or the source is disabled.
    mutating func due() -> [Effect] {
        guard case .waiting = phase else { return [] }
        phase = .running
        return [.cancelTimer, .startPass]
    }

    /// Its pass ended: `report` nil when it never started (cancelled at stop while waiting for a slot). `outage` is
    /// true when the machine's network was down (`NetworkHealth`): the failure is then not counted. While
    /// `stopping`, nothing is armed, and an interrupted pass records nothing.
    mutating func finish(_ report: CrawlReport?, outage: Bool, stopping: Bool, now: Date, random: Double) -> [Effect] {
        guard phase == .running else { return [] }
        guard let report else {
            phase = .disabled
            return []
        }
        lastReport = report
        let failed = report.outcome == .failed
        let notCounted = failed && outage
        if !failed {
            consecutiveFailures = 0
            lastError = nil
            lastSuccessAt = report.finishedAt
        } else {
            if !notCounted { consecutiveFailures += 1 }
            lastError =
                (notCounted ? "network unreachable (not counted against the source): " : "")
                + (report.listingError ?? "failed")
        }
        if stopping && report.outcome == .interrupted {
            phase = .disabled
            return []
        }
        let delay = Backoff.delay(
            interval: source.interval, jitter: source.jitter,
            consecutiveFailures: consecutiveFailures, retryAfter: report.retryAfter, random: random)
        let next = now.addingTimeInterval(delay)
        var effects: [Effect] = [
            .persistOutcome(
                succeeded: !failed, error: lastError, countFailure: failed && !notCounted,
                runAt: report.startedAt, nextRunAt: source.enabled ? next : nil)
        ]
        guard !stopping, source.enabled else {
            phase = .disabled
            return effects
        }
        phase = .waiting(until: next)
        effects.append(.armTimer(at: next))
        if failed {
            effects.append(.warnBackingOff(failures: consecutiveFailures, retryIn: delay, error: lastError ?? ""))
        }
        return effects
    }

    var isRunning: Bool { phase == .running }

    var nextRun: Date? {
        if case let .waiting(until) = phase { return until }
        return nil
    }

    /// What `status` shows.
    var state: Scheduler.SourceStatus.State {
        switch phase {
        case .disabled: source.enabled ? .idle : .disabled
        case .running: .running
        case .waiting: consecutiveFailures > 0 ? .backoff : .idle
        }
    }
}
