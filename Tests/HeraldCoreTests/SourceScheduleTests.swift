import Foundation
import HeraldTime
import XCTest

@testable import HeraldConfiguration
@testable import HeraldCore
@testable import HeraldStore

/// The scheduler's rules as a pure state machine, driven with fixed clocks and random values: no timers, no
/// database, no waiting.
final class SourceScheduleTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func source(interval: String = "10m", enabled: Bool = true) throws -> SourceConfig {
        let text = """
            {"database": "/tmp/herald-schedule-tests.db", "sources": [{"name": "s", "listing": "https://example.com/",
             "interval": "\(interval)", "jitter": "0s", "enabled": \(enabled)}]}
            """
        return try XCTUnwrap(
            try ConfigLoader.load(
                bytes: Array(text.utf8), file: "/tmp/herald-schedule-tests.json",
                forReading: true
            ).sources.first)
    }

    private func report(_ outcome: CrawlReport.Outcome, retryAfter: Double? = nil) -> CrawlReport {
        var report = CrawlReport(
            source: "s", outcome: outcome, startedAt: Instant(now), finishedAt: Instant(now))
        report.retryAfter = retryAfter
        if outcome == .failed { report.listingError = "HTTP 503" }
        return report
    }

    func testANewSourceResumesItsPersistedTimetableOrStartsSoonWhenOverdue() throws {
        let later = now.addingTimeInterval(300)
        var resumed = SourceSchedule(
            source: try source(),
            persisted: SourceState(
                name: "s", listing: "https://example.com/", nextRunAt: Instant(later), consecutiveFailures: 2,
                lastError: "HTTP 503"))
        XCTAssertEqual(resumed.start(index: 3, now: now, random: 0.5), [.armTimer(at: later), .persistNextRun(later)])
        XCTAssertEqual(resumed.state, .backoff, "the failure streak is remembered")

        var overdue = SourceSchedule(source: try source(), persisted: nil)
        let soon = now.addingTimeInterval(3 * 0.5 + 0.5)
        XCTAssertEqual(overdue.start(index: 3, now: now, random: 0.5), [.armTimer(at: soon), .persistNextRun(soon)])

        var disabled = SourceSchedule(source: try source(enabled: false), persisted: nil)
        XCTAssertEqual(disabled.start(index: 0, now: now, random: 0), [])
        XCTAssertEqual(disabled.state, .disabled)
        XCTAssertEqual(disabled.due(), [], "a disabled source never runs")
    }

    func testAPassRunsOnceAtATimeAndASuccessWaitsOneInterval() throws {
        var schedule = SourceSchedule(source: try source(), persisted: nil)
        _ = schedule.start(index: 0, now: now, random: 0)
        XCTAssertEqual(schedule.due(), [.cancelTimer, .startPass])
        XCTAssertEqual(schedule.due(), [], "a source never overlaps itself")
        XCTAssertEqual(schedule.state, .running)
        let next = now.addingTimeInterval(600)
        XCTAssertEqual(
            schedule.finish(report(.ok), outage: false, stopping: false, now: now, random: 0.5),
            [
                .persistOutcome(
                    succeeded: true, error: nil, countFailure: false, runAt: Instant(now), nextRunAt: next),
                .armTimer(at: next),
            ])
        XCTAssertEqual(schedule.state, .idle)
        XCTAssertEqual(schedule.lastSuccessAt, Instant(now))
    }

    func testFailuresBackOffAndAnOutageIsNotCounted() throws {
        var schedule = SourceSchedule(source: try source(), persisted: nil)
        _ = schedule.start(index: 0, now: now, random: 0)
        _ = schedule.due()
        let effects = schedule.finish(report(.failed), outage: false, stopping: false, now: now, random: 0)
        XCTAssertEqual(schedule.consecutiveFailures, 1)
        XCTAssertEqual(schedule.state, .backoff)
        XCTAssertTrue(effects.contains(.armTimer(at: now.addingTimeInterval(1200))), "\(effects)")
        XCTAssertTrue(effects.contains(.warnBackingOff(failures: 1, retryIn: 1200, error: "HTTP 503")), "\(effects)")

        _ = schedule.due()
        _ = schedule.finish(report(.failed), outage: true, stopping: false, now: now, random: 0)
        XCTAssertEqual(schedule.consecutiveFailures, 1, "an outage of the machine's network is not the source's fault")
        XCTAssertTrue(schedule.lastError?.hasPrefix("network unreachable (not counted against the source)") ?? false)

        _ = schedule.due()
        _ = schedule.finish(report(.ok), outage: false, stopping: false, now: now, random: 0.5)
        XCTAssertEqual(schedule.consecutiveFailures, 0)
        XCTAssertNil(schedule.lastError)
    }

    func testAStopRecordsCompletedPassesButNotInterruptedOnesAndArmsNothing() throws {
        var schedule = SourceSchedule(source: try source(), persisted: nil)
        _ = schedule.start(index: 0, now: now, random: 0)
        _ = schedule.due()
        XCTAssertEqual(schedule.finish(report(.interrupted), outage: false, stopping: true, now: now, random: 0), [])

        var other = SourceSchedule(source: try source(), persisted: nil)
        _ = other.start(index: 0, now: now, random: 0)
        _ = other.due()
        let effects = other.finish(report(.ok), outage: false, stopping: true, now: now, random: 0.5)
        XCTAssertEqual(effects.count, 1, "\(effects)")
        guard case .persistOutcome = effects.first else { return XCTFail("\(effects)") }
    }

    func testAReloadReschedulesChangedSourcesSoonAndLeavesRunningPassesAlone() throws {
        var schedule = SourceSchedule(source: try source(), persisted: nil)
        _ = schedule.start(index: 0, now: now, random: 0)
        XCTAssertEqual(schedule.reconfigure(try source(), now: now), [], "nothing changed: nothing to do")
        let soon = now.addingTimeInterval(5)
        XCTAssertEqual(
            schedule.reconfigure(try source(interval: "1h"), now: now),
            [.cancelTimer, .armTimer(at: soon), .persistNextRun(soon)])
        XCTAssertEqual(schedule.reconfigure(try source(interval: "1h", enabled: false), now: now), [.cancelTimer])
        XCTAssertEqual(schedule.state, .disabled)
        XCTAssertEqual(
            schedule.reconfigure(try source(interval: "1h"), now: now),
            [.cancelTimer, .armTimer(at: soon), .persistNextRun(soon)], "re-enabled: runs soon")
        _ = schedule.due()
        XCTAssertEqual(
            schedule.reconfigure(try source(interval: "2h"), now: now), [], "the running pass finishes first")
        XCTAssertEqual(schedule.source.interval, 7200, "and the next run follows the new interval")
    }
}
