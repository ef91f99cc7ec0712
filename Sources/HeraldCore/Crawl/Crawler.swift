import Foundation
import HeraldConfiguration
import HeraldFetch
import HeraldParse
import HeraldStore
import Logging

/// What every crawl needs, built from the config: the store, the polite fetcher (per-host limits and robots.txt
/// shared by all sources) and the process-wide fetch slots. `herald crawl` and the daemon both run passes through it.
///
/// A reload builds a new Crawler `reusing` the old one's politeness layer: the same per-host gate and fetch slots,
/// resized to the new config (`applyLimits`), and the same in-flight URLs and retention clock. Passes still running
/// on the old Crawler and new ones then share one set of limits, instead of each config getting its own.
package final class Crawler: Sendable {
    package let config: HeraldConfig
    package let store: ArticleStore
    let client: HTTPClient
    let polite: PoliteFetcher
    package let fetchSlots: AsyncSemaphore
    let inFlight: InFlightURLs
    let retention: RetentionAfterPasses
    package let metrics: Metrics
    let logger: Logger

    package init(
        config: HeraldConfig, store: ArticleStore, logger: Logger, metrics: Metrics = Metrics(),
        reusing previous: Crawler? = nil
    ) {
        self.config = config
        self.store = store
        self.logger = logger
        self.metrics = metrics
        client = HTTPClient(options: HTTPClientOptions(config), logger: logger)
        polite = PoliteFetcher(
            client: client, options: PoliteFetcherOptions(config), gate: previous?.polite.gate,
            logger: logger)
        if let previous {
            fetchSlots = previous.fetchSlots
            inFlight = previous.inFlight
            retention = previous.retention
            return
        }
        fetchSlots = AsyncSemaphore(permits: config.concurrency)
        inFlight = InFlightURLs()
        retention = RetentionAfterPasses()
    }

    /// Brings the shared gate and fetch slots to this config's limits (after `init(reusing:)`).
    package func applyLimits() async {
        await polite.gate.reconfigure(
            maxInFlightPerHost: config.perHost.concurrency, minimumDelay: config.perHost.delay)
        await fetchSlots.resize(to: config.concurrency)
    }

    /// One pass over `source`.
    package func crawl(
        _ source: SourceConfig,
        onProgress: (@Sendable (CrawlPass.Progress) -> Void)? = nil
    ) async -> CrawlReport {
        let fetcher = MeteredFetcher(polite, metrics: metrics, source: source.name)
        let pass = CrawlPass(
            config: config, source: source, fetcher: fetcher, store: store, fetchSlots: fetchSlots,
            inFlight: inFlight, logger: logger, onProgress: onProgress)
        let report = await pass.run()
        metrics.recordPass(report)
        if report.outcome != .failed, report.outcome != .interrupted {
            retention.applyIfDue(source, store: store, logger: logger)
        }
        logger.log(
            level: report.outcome == .failed ? .warning : .info, "pass finished",
            metadata: [
                "source": "\(source.name)", "outcome": "\(report.outcome.rawValue)",
                "summary": "\(report.summary)",
            ])
        return report
    }

    /// One pass over each of `sources`, run side by side (the fetch slots and host limits keep it polite).
    package func crawl(
        _ sources: [SourceConfig],
        onProgress: (@Sendable (CrawlPass.Progress) -> Void)? = nil
    ) async -> [CrawlReport] {
        await withTaskGroup(of: (Int, CrawlReport).self) { group in
            for (index, source) in sources.enumerated() {
                group.addTask { (index, await self.crawl(source, onProgress: onProgress)) }
            }
            var reports: [(Int, CrawlReport)] = []
            for await report in group { reports.append(report) }
            return reports.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Aborts in-flight transfers (shutdown).
    package func shutdown() {
        polite.shutdown()
        client.shutdown()
    }
}

extension HTTPClientOptions {
    init(_ config: HeraldConfig) {
        self.init(
            userAgent: config.userAgent, connectTimeout: config.timeouts.connect,
            totalTimeout: config.timeouts.total, lowSpeedLimit: 1024, lowSpeedTime: config.timeouts.lowSpeed,
            maxBodyBytes: config.maxBodyBytes, maxRedirects: config.maxRedirects,
            blockPrivateAddresses: config.blockPrivateAddresses, maxIdleHandles: max(8, config.concurrency * 2))
    }
}

extension PoliteFetcherOptions {
    init(_ config: HeraldConfig) {
        self.init(
            retries: config.retries, maxInFlightPerHost: config.perHost.concurrency,
            perHostDelay: config.perHost.delay, respectRobotsTxt: config.respectRobotsTxt)
    }
}
