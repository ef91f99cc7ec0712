import Foundation

/// robots.txt per origin, fetched once and kept for `ttl`; concurrent askers for one origin share one fetch.
///
/// Outcomes follow RFC 9309 §2.3.1: 2xx → parse; 4xx (other than 429) → "unavailable", everything allowed;
/// 5xx, 429, network errors and timeouts → "unreachable", everything disallowed, but only for `failureTTL`, after
/// which the next request asks again, and the verdict says why (`.unavailable(reason:)`). Redirects are followed by
/// the transport. A failed fetch costs at most the transport's own timeouts, so nothing waits on robots.txt forever.
package actor RobotsCache {
    package enum Verdict: Sendable, Equatable {
        case allowed(crawlDelay: TimeInterval?)
        case disallowed
        /// robots.txt is unreachable: treat as disallowed for now.
        case unavailable(reason: String)
        /// The host itself cannot be reached (DNS, connection refused): the page request would fail the same way.
        case hostUnreachable(FetchError.Kind)
    }

    /// What an origin's robots.txt said: rules, or the reason it could not be read.
    package enum Policy: Sendable, Equatable {
        case rules(RobotsRules)
        case unreachable(reason: String)
        case hostUnreachable(FetchError.Kind)
    }

    private enum Entry {
        case ready(Policy, expires: ContinuousClock.Instant)
        case loading(Task<(Policy, cacheable: Bool), Never>)
    }

    private let fetcher: any Fetching
    private let userAgent: String
    private let ttl: TimeInterval
    private let failureTTL: TimeInterval
    private var entries: [Origin: Entry] = [:]
    private let clock = ContinuousClock()

    /// - Parameters:
    ///   - fetcher: how robots.txt is fetched (in `PoliteFetcher`, the client behind the host gate).
    ///   - userAgent: our User-Agent; its product token selects the group.
    ///   - ttl: how long a fetched robots.txt (or a 4xx) is trusted. RFC 9309 says no more than 24 hours.
    ///   - failureTTL: how long an unreachable robots.txt blocks the origin before it is asked again.
    package init(
        fetcher: any Fetching, userAgent: String, ttl: TimeInterval = 24 * 3600, failureTTL: TimeInterval = 600
    ) {
        self.fetcher = fetcher
        self.userAgent = userAgent
        self.ttl = ttl
        self.failureTTL = failureTTL
    }

    /// May `url` be fetched? Fetches the origin's robots.txt first if it is not cached.
    package func verdict(for url: String) async -> Verdict {
        guard let origin = Origin(url: url) else { return .allowed(crawlDelay: nil) }
        switch await policy(for: origin) {
        case let .unreachable(reason):
            return .unavailable(reason: reason)
        case let .hostUnreachable(kind):
            return .hostUnreachable(kind)
        case let .rules(rules):
            return rules.isAllowed(url) ? .allowed(crawlDelay: rules.crawlDelay) : .disallowed
        }
    }

    package func policy(for origin: Origin) async -> Policy {
        switch entries[origin] {
        case let .ready(policy, expires) where clock.now < expires:
            return policy
        case let .loading(task):
            return await task.value.0
        default:
            break
        }
        let task = Task { [fetcher, userAgent] in
            await Self.load(origin, fetcher: fetcher, userAgent: userAgent)
        }
        entries[origin] = .loading(task)
        let (policy, cacheable) = await task.value
        if cacheable {
            let lifetime: TimeInterval = if case .rules = policy { ttl } else { failureTTL }
            entries[origin] = .ready(policy, expires: clock.now.advanced(by: .seconds(lifetime)))
        } else {
            entries[origin] = nil
        }
        return policy
    }

    /// Forgets an origin (e.g. after its robots.txt is known to have changed).
    package func invalidate(_ origin: Origin) {
        entries[origin] = nil
    }

    private static func load(
        _ origin: Origin, fetcher: any Fetching, userAgent: String
    )
        async -> (Policy, cacheable: Bool)
    {
        let url = origin.robotsURL
        switch await fetcher.fetch(HTTPRequest(url: url, accept: "text/plain")) {
        case let .success(response):
            return (
                .rules(
                    RobotsRules(
                        parsing: String(decoding: response.body, as: UTF8.self),
                        userAgent: userAgent)), true
            )
        case let .failure(error):
            switch error.kind {
            case let .http(status, _) where status == 429 || status >= 500:
                return (.unreachable(reason: "HTTP \(status) for \(url)"), true)
            case .http, .tooManyRedirects:
                return (.rules(.allowAll), true)  // "unavailable": no robots.txt, crawl freely
            case .cancelled:
                return (.unreachable(reason: "cancelled"), false)
            case .dnsFailure, .connectionRefused, .unreachable, .blockedAddress:
                // The name does not resolve or nothing accepts the connection: the page would fail the same way, so
                // say that rather than "robots.txt unavailable". Not cached: the next request finds out afresh.
                return (.hostUnreachable(error.kind), false)
            default:
                return (.unreachable(reason: error.description), true)
            }
        }
    }
}
