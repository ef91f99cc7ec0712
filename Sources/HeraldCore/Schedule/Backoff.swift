/// When a source runs next.
///
/// After a success: the interval, plus or minus up to `jitter` (so sources sharing an interval drift apart and a
/// fleet of daemons does not hit a site in step). After n consecutive failures: interval × 2^n, capped at `ceiling`
/// (6 h), never abandoned; a Retry-After from the server is honoured when it asks for longer.
public enum Backoff {
    public static let ceiling: Double = 6 * 3600

    /// Seconds from now until the next pass.
    /// - Parameter random: a value in 0...1 (injected so tests are exact).
    public static func delay(interval: Double, jitter: Double, consecutiveFailures: Int, retryAfter: Double?,
                             random: Double) -> Double {
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
}

#if canImport(Glibc)
import Glibc
#endif
