import Foundation
import Synchronization

/// Tells a source's failure from an outage of the machine's network.
///
/// Each listing fetch reports its host and whether anything answered it. The network is down when the machine has
/// no route to anywhere (no default route, IPv4 or IPv6), or when at least two distinct hosts tried within the window
/// got no answer at all (no DNS, no route, no reply in time) and none answered. Then a source's failure is not
/// counted against it: it keeps its interval instead of backing off for hours, and is not blamed in `status`.
///
/// One dead server is never an outage: with one host only nothing tells the two apart, and a server that stays
/// silent must back off and show in `status`, `/healthz` and the metrics like any failing source. A refused
/// connection or an HTTP error proves the network works, so those are never reported as unanswered.
package final class NetworkHealth: Sendable {
    private struct Attempt {
        var at: Date
        var unanswered: Bool
    }

    private let window: Double
    private let hasDefaultRoute: @Sendable () -> Bool
    private let latest = Mutex<[String: Attempt]>([:])

    /// `hasDefaultRoute` is the machine-level check (`MachineRoutes.hasDefaultRoute` unless a test replaces it).
    package init(window: Double = 900, hasDefaultRoute: @escaping @Sendable () -> Bool = MachineRoutes.hasDefaultRoute)
    {
        self.window = window
        self.hasDefaultRoute = hasDefaultRoute
    }

    package func record(host: String, unanswered: Bool, at time: Date = Date()) {
        latest.withLock { $0[host] = Attempt(at: time, unanswered: unanswered) }
    }

    /// True when the machine has no route out, or two or more distinct recent hosts got no answer and none answered.
    package func isOutage(now: Date = Date()) -> Bool {
        if !hasDefaultRoute() { return true }
        return latest.withLock { attempts in
            let recent = attempts.values.filter { now.timeIntervalSince($0.at) <= window }
            return recent.count >= 2 && recent.allSatisfy(\.unanswered)
        }
    }
}

/// Whether this machine has a default route, read from the kernel's routing tables (`/proc/self/net/route` and
/// `ipv6_route`, which the unit's ProcSubset=pid leaves visible). A table that cannot be read counts as having one:
/// an unknown state must not excuse a failing source.
package enum MachineRoutes {
    package static func hasDefaultRoute() -> Bool {
        let ipv4 = try? String(contentsOfFile: "/proc/self/net/route", encoding: .utf8)
        let ipv6 = try? String(contentsOfFile: "/proc/self/net/ipv6_route", encoding: .utf8)
        if ipv4 == nil && ipv6 == nil { return true }
        return hasDefaultRoute(ipv4Table: ipv4 ?? "", ipv6Table: ipv6 ?? "")
    }

    /// IPv4: a line whose destination and mask are 00000000, on an interface other than `lo`. IPv6: destination ::/0
    /// on an interface other than `lo` (the kernel lists an unreachable ::/0 on `lo` when there is none).
    static func hasDefaultRoute(ipv4Table: String, ipv6Table: String) -> Bool {
        for line in ipv4Table.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            if fields.count >= 8, fields[0] != "lo", fields[1] == "00000000", fields[7] == "00000000" { return true }
        }
        for line in ipv6Table.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 10, fields[0] == String(repeating: "0", count: 32), fields[1] == "00",
                fields[9] != "lo"
            {
                return true
            }
        }
        return false
    }
}
