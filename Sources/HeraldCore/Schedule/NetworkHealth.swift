import Foundation
import Synchronization

/// Tells a source's failure from an outage of the whole network.
///
/// Each listing fetch reports its host and whether the server answered at all. When a listing fails at the network
/// level (DNS, connect, timeout) and every host tried in the recent window also failed that way, the network is
/// down: the source's failure count does not grow (it keeps its normal interval instead of backing off for hours,
/// and is not blamed in `status`). With one host only, a network failure cannot be told from an outage and is
/// treated as one.
public final class NetworkHealth: Sendable {
    private struct Attempt {
        var at: Date
        var networkFailure: Bool
    }

    private let window: Double
    private let latest = Mutex<[String: Attempt]>([:])

    public init(window: Double = 900) {
        self.window = window
    }

    public func record(host: String, networkFailure: Bool, at time: Date = Date()) {
        latest.withLock { $0[host] = Attempt(at: time, networkFailure: networkFailure) }
    }

    /// True when every host attempted within the window last failed at the network level.
    public func isOutage(now: Date = Date()) -> Bool {
        latest.withLock { attempts in
            let recent = attempts.values.filter { now.timeIntervalSince($0.at) <= window }
            return !recent.isEmpty && recent.allSatisfy(\.networkFailure)
        }
    }
}
