import Foundation
import HeraldFetch
import Synchronization

/// Counters and a latency histogram for `GET /metrics` (Prometheus text format). In memory: they restart at zero
/// with the process, as Prometheus counters are expected to.
public final class Metrics: Sendable {
    /// Upper bounds (seconds) of the fetch latency buckets.
    static let latencyBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    private struct State {
        var passes: [String: Int] = [:]              // "source|outcome"
        var fetches: [String: Int] = [:]             // outcome
        var articles: [String: Int] = [:]            // "source|new" / "source|updated"
        var latencyCounts = [Int](repeating: 0, count: Metrics.latencyBuckets.count + 1)
        var latencySum = 0.0
        var lastSuccess: [String: Double] = [:]      // source → unix time
    }

    private let state = Mutex(State())

    public init() {}

    public func recordPass(_ report: CrawlReport) {
        state.withLock { state in
            state.passes["\(report.source)|\(report.outcome.rawValue)", default: 0] += 1
            state.articles["\(report.source)|new", default: 0] += report.counts.new
            state.articles["\(report.source)|updated", default: 0] += report.counts.updated
            if report.outcome != .failed, let finished = Clock.parse(report.finishedAt) {
                state.lastSuccess[report.source] = finished.timeIntervalSince1970
            }
        }
    }

    public func recordFetch(outcome: String, seconds: Double) {
        state.withLock { state in
            state.fetches[outcome, default: 0] += 1
            let bucket = Self.latencyBuckets.firstIndex { seconds <= $0 } ?? Self.latencyBuckets.count
            state.latencyCounts[bucket] += 1
            state.latencySum += seconds
        }
    }

    /// The exposition text. `gauges` adds point-in-time values owned by others (queue depth, article count).
    public func render(gauges: [(name: String, help: String, value: Double)]) -> String {
        let s = state.withLock { $0 }
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        family("herald_passes_total", "counter", "Crawl passes by source and outcome.")
        for (key, value) in s.passes.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            out += "herald_passes_total{source=\"\(escape(parts[0]))\",outcome=\"\(parts[1])\"} \(value)\n"
        }
        family("herald_fetches_total", "counter", "HTTP fetches by outcome (2xx, 304, 4xx, 5xx, or the error kind).")
        for (outcome, value) in s.fetches.sorted(by: { $0.key < $1.key }) {
            out += "herald_fetches_total{outcome=\"\(escape(outcome))\"} \(value)\n"
        }
        family("herald_articles_total", "counter", "Articles stored, by source and kind (new, updated).")
        for (key, value) in s.articles.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            out += "herald_articles_total{source=\"\(escape(parts[0]))\",kind=\"\(parts[1])\"} \(value)\n"
        }
        family("herald_fetch_duration_seconds", "histogram", "Time from request to last byte.")
        var cumulative = 0
        for (index, bound) in Self.latencyBuckets.enumerated() {
            cumulative += s.latencyCounts[index]
            out += "herald_fetch_duration_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        cumulative += s.latencyCounts.last ?? 0
        out += "herald_fetch_duration_seconds_bucket{le=\"+Inf\"} \(cumulative)\n"
        out += "herald_fetch_duration_seconds_sum \(s.latencySum)\n"
        out += "herald_fetch_duration_seconds_count \(cumulative)\n"
        family("herald_last_success_timestamp_seconds", "gauge", "Unix time of each source's last successful pass.")
        for (source, time) in s.lastSuccess.sorted(by: { $0.key < $1.key }) {
            out += "herald_last_success_timestamp_seconds{source=\"\(escape(source))\"} \(Int(time))\n"
        }
        for gauge in gauges {
            family(gauge.name, "gauge", gauge.help)
            out += "\(gauge.name) \(gauge.value == gauge.value.rounded() ? String(Int(gauge.value)) : String(gauge.value))\n"
        }
        return out
    }

    private func escape(_ label: String) -> String {
        label.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}

/// A `Fetching` that counts outcomes and latencies into `Metrics`.
public struct MeteredFetcher: Fetching {
    let inner: any Fetching
    let metrics: Metrics

    public init(_ inner: any Fetching, metrics: Metrics) {
        self.inner = inner
        self.metrics = metrics
    }

    public func fetch(_ request: HTTPRequest) async -> Result<HTTPResponse, FetchError> {
        let started = Date()
        let result = await inner.fetch(request)
        let outcome: String
        switch result {
        case let .success(response): outcome = response.status == 304 ? "304" : "\(response.status / 100)xx"
        case let .failure(error):
            switch error.kind {
            case let .http(status, _): outcome = "\(status / 100)xx"
            case .timeout: outcome = "timeout"
            case .bodyTooLarge: outcome = "too_large"
            case .tooManyRedirects: outcome = "redirects"
            case .unsupportedScheme: outcome = "bad_scheme"
            case .blockedAddress: outcome = "blocked"
            case .dnsFailure: outcome = "dns"
            case .connectionRefused: outcome = "refused"
            case .unreachable: outcome = "unreachable"
            case .tls: outcome = "tls"
            case .transfer, .invalidURL: outcome = "network"
            case .robotsDisallowed, .robotsUnavailable: outcome = "robots"
            case .cancelled: outcome = "cancelled"
            }
        }
        metrics.recordFetch(outcome: outcome, seconds: Date().timeIntervalSince(started))
        return result
    }
}
