import Foundation

/// Politeness and retry policy for `PoliteFetcher`. Times are in seconds.
package struct PoliteFetcherOptions: Sendable, Equatable {
    /// Extra attempts after the first for transient failures (network, timeout, 5xx, 429). 4xx are never retried.
    package var retries: Int
    /// First backoff; doubles per retry, jittered to between half and all of it, capped at `maxBackoff`.
    package var backoffBase: TimeInterval
    package var maxBackoff: TimeInterval
    /// A Retry-After up to this is waited out within the pass; a longer one returns the error at once so the
    /// scheduler can back off instead of holding a worker.
    package var maxRetryAfter: TimeInterval
    /// At most this many requests in flight per origin.
    package var maxInFlightPerHost: Int
    /// Minimum time between request starts per origin.
    package var perHostDelay: TimeInterval
    package var respectRobotsTxt: Bool
    /// robots.txt cache lifetime (RFC 9309: at most 24 h) and, for an unreachable one, the disallow period.
    package var robotsTTL: TimeInterval
    package var robotsFailureTTL: TimeInterval
    /// A robots.txt `Crawl-delay` raises the per-host delay up to this much, no more (a hostile 86400 must not
    /// freeze the crawl; such sites get this delay).
    package var maxCrawlDelay: TimeInterval

    package init(
        retries: Int = 2,
        backoffBase: TimeInterval = 1,
        maxBackoff: TimeInterval = 30,
        maxRetryAfter: TimeInterval = 60,
        maxInFlightPerHost: Int = 2,
        perHostDelay: TimeInterval = 1,
        respectRobotsTxt: Bool = true,
        robotsTTL: TimeInterval = 24 * 3600,
        robotsFailureTTL: TimeInterval = 600,
        maxCrawlDelay: TimeInterval = 60
    ) {
        self.retries = retries
        self.backoffBase = backoffBase
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
        self.maxInFlightPerHost = maxInFlightPerHost
        self.perHostDelay = perHostDelay
        self.respectRobotsTxt = respectRobotsTxt
        self.robotsTTL = robotsTTL
        self.robotsFailureTTL = robotsFailureTTL
        self.maxCrawlDelay = maxCrawlDelay
    }
}

/// What one `PoliteFetcher.fetchWithMetrics` call cost.
package struct FetchMetrics: Sendable, Equatable {
    /// Requests sent for the URL itself (robots.txt not counted); 0 when refused before any request.
    package var attempts: Int
    /// Wall time including host-gate waits, robots.txt and backoff.
    package var elapsed: TimeInterval

    package init(attempts: Int, elapsed: TimeInterval) {
        self.attempts = attempts
        self.elapsed = elapsed
    }
}
