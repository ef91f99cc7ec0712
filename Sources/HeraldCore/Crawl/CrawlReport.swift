import HeraldStatus
import HeraldStore
import HeraldTime

/// How one crawl pass over one source ended: what `herald crawl` prints, what the scheduler reads, what
/// `crawl_runs` records.
package struct CrawlReport: Sendable {
    package enum Outcome: String, Sendable {
        /// Every link was handled.
        case ok
        /// The listing was read but some articles failed (they are retried on later passes).
        case partial
        /// The listing could not be read: nothing else was attempted.
        case failed
        /// Stopped by shutdown before the end.
        case interrupted
    }

    package var source: String
    package var outcome: Outcome
    package var counts = CrawlRunCounts()
    /// True when the listing answered 304 Not Modified (nothing new since the last pass).
    package var listingUnchanged = false
    /// Why the listing could not be read (outcome `failed`).
    package var listingError: String?
    /// Nothing answered the listing fetch: its name did not resolve, there was no route, or no reply came in time.
    /// Only such failures can be a network outage; a refused connection or an HTTP error proves the network works.
    package var listingUnanswered = false
    /// A Retry-After the listing's server asked for (429/503), in seconds.
    package var retryAfter: Double?
    /// The first few article errors, one sentence each with the URL.
    package var errors: [String] = []
    package var startedAt: Instant
    package var finishedAt: Instant

    /// Errors kept per pass: enough to diagnose, bounded so a 5,000-link failure does not flood the log or the DB.
    static let keptErrors = 10

    mutating func noteError(_ message: String) {
        if errors.count < Self.keptErrors { errors.append(message) }
    }

    /// Why a link the listing showed was not fetched in this pass. `counts.skipped` (stored in `crawl_runs`) is
    /// their sum; the summary, the status and the metrics tell them apart.
    package enum Skip: String, Sendable, CaseIterable {
        /// Over `maxArticlesPerPass`: left for the next pass (newest first).
        case deferred
        /// robots.txt disallows it for Herald's User-Agent.
        case robots
        /// Another source's pass is fetching it right now.
        case inFlight = "in_flight"
        /// It failed before: permanently (4xx), or its retry is not due yet.
        case failedBefore = "failed_before"

        var phrase: String {
            switch self {
            case .deferred: "deferred to the next pass"
            case .robots: "disallowed by robots.txt"
            case .inFlight: "being fetched by another source"
            case .failedBefore: "failed before, retry not due"
            }
        }
    }

    /// Skipped links by reason.
    package var skips: [Skip: Int] = [:]

    mutating func skip(_ reason: Skip, count: Int = 1) {
        counts.skipped += count
        skips[reason, default: 0] += count
    }

    /// The one-line summary used by logs, `herald crawl` and the socket.
    package var summary: String {
        if let listingError { return "listing failed: \(listingError)" }
        let c = counts
        var text = "\(c.linksFound) links, \(c.new) new, \(c.updated) updated, \(c.unchanged) unchanged"
        if c.skipped > 0 {
            let reasons = Skip.allCases.compactMap { reason in skips[reason].map { "\($0) \(reason.phrase)" } }
            text += ", \(c.skipped) skipped" + (reasons.isEmpty ? "" : " (\(reasons.joined(separator: ", ")))")
        }
        if c.failed > 0 { text += ", \(c.failed) failed" }
        if listingUnchanged { text = "listing not modified since the last pass" }
        return text
    }
}

extension CrawlReport {
    /// The pass as JSON: the `last_run` of `GET /status` and each line of `herald crawl --json` (docs/socket.md).
    package var json: JSONOutput { StatusDocument.Run(self).json }
}
