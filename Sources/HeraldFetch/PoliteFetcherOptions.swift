import Foundation

/// Politeness and retry policy for `PoliteFetcher`. Times are in seconds.
public struct PoliteFetcherOptions: Sendable, Equatable {
    /// Extra attempts after the first for transient failures (network, timeout, 5xx, 429). 4xx are never retried.
    public var retries: Int
    /// First backoff; doubles per retry, jittered to between half and all of it, capped at `maxBackoff`.
    public var backoffBase: TimeInterval
    public var maxBackoff: TimeInterval
    /// A Retry-After up to this is waited out within the pass; a longer one returns the error at once so the
    /// scheduler can back off instead of holding a worker.
    public var maxRetryAfter: TimeInterval
    /// At most this many requests in flight per origin.
    public var maxInFlightPerHost: Int
    /// Minimum time between request starts per origin.
    public var perHostDelay: TimeInterval
    public var respectRobotsTxt: Bool
    /// robots.txt cache lifetime (RFC 9309: at most 24 h) and, for an unreachable one, the disallow period.
    public var robotsTTL: TimeInterval
    public var robotsFailureTTL: TimeInterval
    /// A robots.txt `Crawl-delay` raises the per-host delay up to this much, no more (a hostile 86400 must not
    /// freeze the crawl; such sites get this delay).
    public var maxCrawlDelay: TimeInterval

    public init(retries: Int = 2,
                backoffBase: TimeInterval = 1,
                maxBackoff: TimeInterval = 30,
                maxRetryAfter: TimeInterval = 60,
                maxInFlightPerHost: Int = 2,
                perHostDelay: TimeInterval = 1,
                respectRobotsTxt: Bool = true,
                robotsTTL: TimeInterval = 24 * 3600,
                robotsFailureTTL: TimeInterval = 600,
                maxCrawlDelay: TimeInterval = 60) {
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
public struct FetchMetrics: Sendable, Equatable {
    /// Requests sent for the URL itself (robots.txt not counted); 0 when refused before any request.
    public var attempts: Int
    /// Wall time including host-gate waits, robots.txt and backoff.
    public var elapsed: TimeInterval

    public init(attempts: Int, elapsed: TimeInterval) {
        self.attempts = attempts
        self.elapsed = elapsed
    }
}
