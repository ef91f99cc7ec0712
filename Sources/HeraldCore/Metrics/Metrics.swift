import Foundation
import HeraldFetch
import HeraldTime
import Synchronization

/// Counters and a latency histogram for `GET /metrics` (Prometheus text format). In memory: they restart at zero
/// with the process, as Prometheus counters are expected to.
package final class Metrics: Sendable {
    /// Upper bounds (seconds) of the fetch latency buckets.
    static let latencyBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    private struct State {
        var passes: [String: Int] = [:]  // "source|outcome"
        var fetches: [String: Int] = [:]  // "source|outcome"
        var fetchedBytes: [String: Int] = [:]  // source
        var articles: [String: Int] = [:]  // "source|new" / "source|updated"
        var skipped: [String: Int] = [:]  // "source|reason"
        var latencyCounts = [Int](repeating: 0, count: Metrics.latencyBuckets.count + 1)
        var latencySum = 0.0
        var lastSuccess: [String: Double] = [:]  // source → unix time
    }

    private let state = Mutex(State())

    package init() {}

    package func recordPass(_ report: CrawlReport) {
        state.withLock { state in
            state.passes["\(report.source)|\(report.outcome.rawValue)", default: 0] += 1
            state.articles["\(report.source)|new", default: 0] += report.counts.new
            state.articles["\(report.source)|updated", default: 0] += report.counts.updated
            for (reason, count) in report.skips {
                state.skipped["\(report.source)|\(reason.rawValue)", default: 0] += count
            }
            if report.outcome != .failed {
                state.lastSuccess[report.source] = Double(report.finishedAt.secondsSince1970)
            }
        }
    }

    package func recordFetch(source: String, outcome: String, bytes: Int, seconds: Double) {
        state.withLock { state in
            state.fetches["\(source)|\(outcome)", default: 0] += 1
            state.fetchedBytes[source, default: 0] += bytes
            let bucket = Self.latencyBuckets.firstIndex { seconds <= $0 } ?? Self.latencyBuckets.count
            state.latencyCounts[bucket] += 1
            state.latencySum += seconds
        }
    }

    /// A value read from elsewhere when the exposition is rendered (queue depth, article count, a source's failure
    /// streak), with labels. It renders as a gauge, or as a counter when its name ends in `_total`
    /// (`process_cpu_seconds_total`: read from the kernel, but a counter all the same).
    package struct Gauge: Sendable {
        package var name: String
        package var help: String
        package var samples: [(labels: [(String, String)], value: Double)]

        package init(_ name: String, _ help: String, _ value: Double) {
            self.init(name, help, samples: [([], value)])
        }

        package init(_ name: String, _ help: String, samples: [(labels: [(String, String)], value: Double)]) {
            self.name = name
            self.help = help
            self.samples = samples
        }
    }

    /// The exposition text (Prometheus text format 0.0.4): Herald's counters, then `gauges`. Every family name is
    /// distinct, also once a client strips a counter's `_total` (`promtool check metrics` and the Prometheus clients
    /// refuse duplicates).
    package func render(gauges: [Gauge]) -> String {
        let s = state.withLock { $0 }
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        /// A counter family keyed "source|second" in the state, labelled `source` and `second`.
        func bySource(_ name: String, _ help: String, _ values: [String: Int], second: String? = nil) {
            family(name, "counter", help)
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
                var labels = "source=\"\(escape(parts[0]))\""
                if let second, parts.count > 1 { labels += ",\(second)=\"\(escape(parts[1]))\"" }
                out += "\(name){\(labels)} \(value)\n"
            }
        }
        bySource("herald_passes_total", "Crawl passes by source and outcome.", s.passes, second: "outcome")
        bySource(
            "herald_fetches_total", "HTTP fetches by source and outcome (2xx, 304, 4xx, 5xx, or the error kind).",
            s.fetches, second: "outcome")
        bySource(
            "herald_fetched_bytes_total", "Response body bytes received (after decompression), by source.",
            s.fetchedBytes)
        bySource(
            "herald_articles_total", "Articles stored, by source and kind (new, updated).", s.articles,
            second: "kind")
        bySource(
            "herald_skipped_links_total",
            "Links a pass did not fetch, by source and reason (deferred, robots, in_flight, failed_before).",
            s.skipped, second: "reason")
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
            family(gauge.name, gauge.name.hasSuffix("_total") ? "counter" : "gauge", gauge.help)
            for sample in gauge.samples {
                let labels = sample.labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
                out += gauge.name + (labels.isEmpty ? "" : "{\(labels)}") + " " + Self.number(sample.value) + "\n"
            }
        }
        return out
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private func escape(_ label: String) -> String {
        label.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}

/// A `Fetching` that counts outcomes and latencies into `Metrics`.
package struct MeteredFetcher: Fetching {
    let inner: any Fetching
    let metrics: Metrics
    let source: String

    package init(_ inner: any Fetching, metrics: Metrics, source: String) {
        self.inner = inner
        self.metrics = metrics
        self.source = source
    }

    package func fetch(_ request: HTTPRequest) async -> Result<HTTPResponse, FetchError> {
        let started = Date()
        let result = await inner.fetch(request)
        let outcome: String
        var bytes = 0
        switch result {
        case let .success(response):
            outcome = response.status == 304 ? "304" : "\(response.status / 100)xx"
            bytes = response.body.count
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
        metrics.recordFetch(source: source, outcome: outcome, bytes: bytes, seconds: Date().timeIntervalSince(started))
        return result
    }
}
