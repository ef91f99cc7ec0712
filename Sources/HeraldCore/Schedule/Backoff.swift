/// When a source runs next, and when a failed article is tried again: every delay the crawl computes.
///
/// After a success: the interval, plus or minus up to `jitter` (so sources sharing an interval drift apart and a
/// fleet of daemons does not hit a site in step). After n consecutive failures: interval × 2^n, capped at `ceiling`
/// (6 h), never abandoned; a Retry-After from the server is honoured when it asks for longer.
package enum Backoff {
    package static let ceiling: Double = 6 * 3600

    /// Seconds from now until the next pass.
    /// - Parameter random: a value in 0...1 (injected so tests are exact).
    package static func delay(
        interval: Double, jitter: Double, consecutiveFailures: Int, retryAfter: Double?,
        random: Double
    ) -> Double {
        var delay: Double
        if consecutiveFailures == 0 {
            delay = interval + (random * 2 - 1) * jitter
        } else {
            let exponent = Double(min(consecutiveFailures, 30))
            delay = min(interval * pow(2, exponent), max(ceiling, interval))
            delay += random * min(jitter, delay / 10)
        }
        if let retryAfter { delay = max(delay, min(retryAfter, 24 * 3600)) }
        return max(1, delay)
    }

    /// Seconds until a transiently failed article is tried again: 5 minutes after its first failure, doubling with
    /// each failure after that, capped at `ceiling` (6 h). (A permanent failure is not retried by time at all: only a
    /// newer listing timestamp brings it back, `LinkTriage`.)
    package static func articleRetryDelay(previousAttempts: Int) -> Double {
        min(300 * pow(2, Double(min(previousAttempts, 30))), ceiling)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
