import Foundation
import Logging

/// The crawl's `Fetching`: a transport (normally `HTTPClient`) behind a per-host `HostGate`, a `RobotsCache` when
/// `respectRobotsTxt` is on, and retries with backoff for transient failures.
package final class PoliteFetcher: Fetching, Sendable {
    package let options: PoliteFetcherOptions
    package let gate: HostGate
    private let transport: GatedFetcher
    private let robots: RobotsCache?
    private let signal = ShutdownSignal()
    private let onShutdown: @Sendable () -> Void
    private let logger: Logger

    /// The usual set-up: `client` does the HTTP, its User-Agent selects the robots.txt group.
    /// `gate`: the per-host gate to share (a reloaded config keeps the one the running passes use); a new one
    /// with `options`' limits when nil.
    package convenience init(
        client: HTTPClient, options: PoliteFetcherOptions = PoliteFetcherOptions(),
        gate: HostGate? = nil, logger: Logger = Logger(label: "herald.fetch")
    ) {
        self.init(
            transport: client, userAgent: client.options.userAgent, options: options, gate: gate, logger: logger,
            onShutdown: { client.shutdown() })
    }

    /// Any transport (a stub in tests). `onShutdown` runs from `shutdown()` to stop the transport's transfers.
    package init(
        transport: any Fetching, userAgent: String, options: PoliteFetcherOptions = PoliteFetcherOptions(),
        gate: HostGate? = nil, logger: Logger = Logger(label: "herald.fetch"),
        onShutdown: @escaping @Sendable () -> Void = {}
    ) {
        self.options = options
        self.logger = logger
        self.onShutdown = onShutdown
        self.gate = gate ?? HostGate(maxInFlightPerHost: options.maxInFlightPerHost, minimumDelay: options.perHostDelay)
        let gate = self.gate
        self.transport = GatedFetcher(transport: transport, gate: gate)
        robots =
            options.respectRobotsTxt
            ? RobotsCache(
                fetcher: self.transport, userAgent: userAgent, ttl: options.robotsTTL,
                failureTTL: options.robotsFailureTTL)
            : nil
    }

    /// Stops everything: waiting and sleeping requests end with `.cancelled`, transfers are aborted, later requests
    /// fail at once.
    package func shutdown() {
        signal.fire()
        onShutdown()
        let gate = gate
        Task { await gate.close() }
    }

    package func fetch(_ request: HTTPRequest) async -> Result<HTTPResponse, FetchError> {
        await fetchWithMetrics(request).result
    }

    package func fetchWithMetrics(
        _ request: HTTPRequest
    ) async
        -> (result: Result<HTTPResponse, FetchError>, metrics: FetchMetrics)
    {
        let started = ContinuousClock.now
        var attempts = 0
        func finish(
            _ result: Result<HTTPResponse, FetchError>
        )
            -> (result: Result<HTTPResponse, FetchError>, metrics: FetchMetrics)
        {
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            return (result, FetchMetrics(attempts: attempts, elapsed: seconds))
        }
        func failure(_ kind: FetchError.Kind) -> Result<HTTPResponse, FetchError> {
            .failure(FetchError(url: request.url, kind: kind))
        }

        if signal.isFired || Task.isCancelled { return finish(failure(.cancelled)) }
        if let refusal = HTTPClient.checkScheme(request.url) { return finish(.failure(refusal)) }
        guard let origin = Origin(url: request.url) else {
            return finish(failure(.invalidURL("no host")))
        }

        if let robots {
            switch await robots.verdict(for: request.url) {
            case .disallowed:
                return finish(failure(.robotsDisallowed))
            case let .unavailable(reason):
                return finish(failure(signal.isFired ? .cancelled : .robotsUnavailable(reason: reason)))
            case let .hostUnreachable(kind):
                return finish(failure(signal.isFired ? .cancelled : kind))
            case let .allowed(crawlDelay):
                if let crawlDelay, crawlDelay > options.perHostDelay {
                    await gate.setCrawlDelay(min(crawlDelay, options.maxCrawlDelay), for: origin.description)
                }
            }
        }

        while true {
            attempts += 1
            let result = await transport.fetch(request)
            guard case let .failure(error) = result, attempts <= options.retries, !signal.isFired,
                let wait = retryDelay(after: error, attempt: attempts)
            else { return finish(result) }
            logger.info(
                "retrying",
                metadata: [
                    "url": "\(request.url)", "attempt": "\(attempts)",
                    "error": "\(error)",
                    "retry_in": "\(String(format: "%.2f", wait))s",
                ])
            guard await signal.sleep(wait) else { return finish(failure(.cancelled)) }
        }
    }

    /// Seconds to wait before retrying, or nil when `error` is not worth retrying within this pass.
    func retryDelay(after error: FetchError, attempt: Int) -> TimeInterval? {
        switch error.kind {
        case .dnsFailure, .connectionRefused, .unreachable, .tls, .transfer, .timeout:
            break
        case let .http(status, retryAfter) where status == 429 || status >= 500:
            if let retryAfter {
                // Honour the server's wish if it fits in a pass; otherwise give up now and let the scheduler wait.
                return retryAfter <= options.maxRetryAfter ? retryAfter : nil
            }
        default:
            return nil  // 4xx, policy refusals, body too large, cancelled: the same request would fail the same way
        }
        let exponential = options.backoffBase * pow(2, Double(attempt - 1))
        let capped = min(exponential, options.maxBackoff)
        // "Equal jitter": half fixed, half random, so retries from many workers spread out but never come early.
        return capped / 2 + Double.random(in: 0...(capped / 2))
    }
}

/// A transport whose every request (robots.txt included) passes the host gate.
struct GatedFetcher: Fetching {
    let transport: any Fetching
    let gate: HostGate

    func fetch(_ request: HTTPRequest) async -> Result<HTTPResponse, FetchError> {
        guard let host = Origin(url: request.url)?.description else { return await transport.fetch(request) }
        do {
            try await gate.acquire(host)
        } catch {
            return .failure(FetchError(url: request.url, kind: .cancelled))
        }
        let result = await transport.fetch(request)
        await gate.release(host)
        return result
    }
}
