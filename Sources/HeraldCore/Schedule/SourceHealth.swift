import Foundation
import HeraldConfiguration
import HeraldTime

/// Whether a source needs an operator's attention: the rule behind `GET /healthz`, `herald status --check` and the
/// `health` field of each source in `GET /status` (docs/socket.md).
///
/// A disabled source is never unhealthy. An enabled one is
/// - **failing** after `failureThreshold` (3) passes in a row failed, whatever the reason (a dead server counts;
///   only a network outage of the whole machine does not, see `NetworkHealth`);
/// - **stale** when its last successful pass (or, if it never had one, the daemon's start) is older than
///   `staleAfter(interval:)`: three intervals, and at least an hour, so a few failed or slow passes do not alert.
package enum SourceHealth: Equatable, Sendable {
    case ok
    case failing(failures: Int, lastError: String?)
    case stale(since: Date, interval: Double)

    package static let failureThreshold = 3

    package static func staleAfter(interval: Double) -> Double { max(3 * interval, 3600) }

    package static func assess(_ source: Scheduler.SourceStatus, daemonStartedAt: Date, now: Date) -> SourceHealth {
        guard source.state != .disabled else { return .ok }
        if source.consecutiveFailures >= failureThreshold {
            return .failing(failures: source.consecutiveFailures, lastError: source.lastError)
        }
        let since =
            source.lastSuccessAt.map { max($0.date, daemonStartedAt) } ?? daemonStartedAt
        if now.timeIntervalSince(since) > staleAfter(interval: source.interval) {
            return .stale(since: since, interval: source.interval)
        }
        return .ok
    }

    /// `ok`, `failing` or `stale`: the `health` field.
    package var label: String {
        switch self {
        case .ok: "ok"
        case .failing: "failing"
        case .stale: "stale"
        }
    }

    /// One sentence naming the source, for `/healthz` and `herald status --check`.
    package func problem(source: String, now: Date) -> String? {
        switch self {
        case .ok:
            return nil
        case let .failing(failures, lastError):
            return "\(source): \(failures) passes in a row failed" + (lastError.map { " (last: \($0))" } ?? "")
        case let .stale(since, interval):
            return "\(source): no successful pass for \(DurationText.format(now.timeIntervalSince(since).rounded())) "
                + "(interval \(DurationText.format(interval)); stale after \(DurationText.format(Self.staleAfter(interval: interval))))"
        }
    }
}
