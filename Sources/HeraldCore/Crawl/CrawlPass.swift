import Foundation
import HeraldConfiguration
import HeraldFetch
import HeraldParse
import HeraldStore
import HeraldTime
import HeraldURL
import Logging

/// One crawl pass: one source, its listing (and next pages up to `maxPages`), then the new or changed articles.
///
/// Nothing a restart needs is held only here: every article is committed as soon as it is parsed, failures are
/// recorded per URL, and the listing's validators are saved only once every link was handled, so an interrupted
/// pass is simply redone by the next one without refetching what was already stored.
package struct CrawlPass: Sendable {
    package struct Progress: Sendable {
        package var source: String
        package var done: Int
        package var total: Int
    }

    let config: HeraldConfig
    let source: SourceConfig
    let fetcher: any Fetching
    let store: ArticleStore
    /// Shared by every pass in the process: at most `concurrency` article fetches in flight.
    let fetchSlots: AsyncSemaphore
    /// Shared too: an article another pass is fetching right now is left to it.
    let inFlight: InFlightURLs
    let logger: Logger
    let onProgress: (@Sendable (Progress) -> Void)?

    init(
        config: HeraldConfig, source: SourceConfig, fetcher: any Fetching, store: ArticleStore,
        fetchSlots: AsyncSemaphore, inFlight: InFlightURLs, logger: Logger,
        onProgress: (@Sendable (Progress) -> Void)? = nil
    ) {
        self.config = config
        self.source = source
        self.fetcher = fetcher
        self.store = store
        self.fetchSlots = fetchSlots
        self.inFlight = inFlight
        var logger = logger
        logger[metadataKey: "source"] = "\(source.name)"
        self.logger = logger
        self.onProgress = onProgress
    }

    package func run() async -> CrawlReport {
        var report = CrawlReport(source: source.name, outcome: .ok, startedAt: Instant.now, finishedAt: Instant.now)
        let runID: Int64?
        do {
            try store.registerSource(name: source.name, listing: source.listing)
            runID = try store.beginRun(source: source.name, startedAt: report.startedAt)
        } catch {
            report.outcome = .failed
            report.listingError = "database: \(error)"
            report.finishedAt = Instant.now
            return report
        }
        await crawl(into: &report)
        report.finishedAt = Instant.now
        if let runID {
            do {
                try store.finishRun(
                    id: runID, finishedAt: report.finishedAt, outcome: report.outcome.rawValue,
                    counts: report.counts, error: report.listingError ?? report.errors.first)
            } catch {
                logger.error("cannot record the end of the pass", metadata: ["error": "\(error)"])
            }
        }
        return report
    }

    private func crawl(into report: inout CrawlReport) async {
        let listing: ListingResult
        switch await readListing(report: &report) {
        case let .success(result): listing = result
        case let .failure(failure) where failure.isCancelled:
            // A stop aborted the listing fetch: the source did nothing wrong, so this is no failure of its own.
            report.outcome = .interrupted
            logger.notice("listing fetch aborted by shutdown", metadata: ["url": "\(source.listing)"])
            return
        case let .failure(failure):
            report.outcome = .failed
            report.listingError = failure.message
            report.listingUnanswered = failure.isUnanswered
            report.retryAfter = failure.retryAfter
            logger.warning("listing failed", metadata: ["url": "\(source.listing)", "error": "\(failure.message)"])
            return
        }
        if listing.notModified {
            report.listingUnchanged = true
            return
        }
        report.counts.linksFound = listing.links.count
        let fullText = Dictionary(
            listing.fullTextArticles.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        let passStart = Instant.now

        // The seen check for every link the listing does not carry in full, in one batch (see `linkStates`).
        let checked = listing.links.filter { fullText[$0.url] == nil }
        let states: [String: LinkState]
        do {
            let answers = try store.linkStates(urls: checked.map(\.url))
            states = Dictionary(zip(checked.map(\.url), answers), uniquingKeysWith: { first, _ in first })
        } catch {
            report.counts.failed += checked.count
            report.noteError("database: \(error)")
            states = [:]
        }

        // Articles this listing shows that are already stored (perhaps by another source) become this source's too.
        let listedIDs = states.values.compactMap { state -> Int64? in
            if case let .stored(article) = state { article.id } else { nil }
        }
        do {
            try store.noteListed(articleIDs: listedIDs, source: source.name, at: passStart)
        } catch {
            logger.warning(
                "could not record the listing's stored articles as this source's",
                metadata: ["error": "\(error)"])
        }

        var work: [WorkItem] = []
        for link in listing.links {
            // A full-text item carries its body: the content hash decides, whatever the timestamps say (feeds like
            // feedx carry no modified time at all).
            if let article = fullText[link.url] {
                work.append(
                    WorkItem(
                        link: link, fullText: article, previousAttempts: 0,
                        triagedState: .new))
                continue
            }
            guard let state = states[link.url] else { continue }  // the batch failed: counted above
            switch LinkTriage.decide(state, timestamp: link.timestamp, now: passStart) {
            case .unchanged:
                report.counts.unchanged += 1
            case let .skip(reason):
                report.skip(.failedBefore)
                logger.debug("skipped", metadata: ["url": "\(link.url)", "reason": "\(reason)"])
            case .fetchNew, .refetch:
                var attempts = 0
                if case let .failed(failure) = state { attempts = failure.attempts }
                work.append(
                    WorkItem(
                        link: link, fullText: nil, previousAttempts: attempts,
                        triagedState: state))
            }
        }

        var cutByLimit = false
        if work.count > source.maxArticlesPerPass {
            report.skip(.deferred, count: work.count - source.maxArticlesPerPass)
            work = Array(work.prefix(source.maxArticlesPerPass))
            cutByLimit = true
        }

        let outcomes = await process(work)
        var transientFailures = 0
        for outcome in outcomes {
            switch outcome {
            case .new: report.counts.new += 1
            case .updated: report.counts.updated += 1
            case .unchanged: report.counts.unchanged += 1
            case let .skipped(kind, message):
                report.skip(kind)
                logger.debug("skipped", metadata: ["reason": "\(message)"])
            case let .failed(message, transient):
                report.counts.failed += 1
                if transient { transientFailures += 1 }
                report.noteError(message)
            case .interrupted:
                report.outcome = .interrupted
            }
        }
        if report.outcome != .interrupted, report.counts.failed > 0 { report.outcome = .partial }

        // Validators are kept only when nothing is left to do: a later 304 must not hide links we did not handle.
        if report.outcome != .interrupted, transientFailures == 0, !cutByLimit {
            do {
                try store.saveValidators(source: source.name, etag: listing.etag, lastModified: listing.lastModified)
            } catch {
                logger.error("cannot save the listing validators", metadata: ["error": "\(error)"])
            }
        }
    }

    // MARK: - Listing

    struct ListingResult {
        var links: [ListingLink] = []
        var fullTextArticles: [ParsedArticle] = []
        var notModified = false
        var etag: String?
        var lastModified: String?
    }

    struct ListingFailure: Error {
        var message: String
        /// Nothing answered (see `CrawlReport.listingUnanswered`).
        var isUnanswered: Bool
        var retryAfter: Double?
        /// The fetch was aborted by a stop (task cancelled or the client shut down), not refused by the site.
        var isCancelled = false
    }

    /// How deep a sitemap index is followed (index → index → urlset), and how many sitemap documents a pass reads
    /// at least (the newest children first): a news site's newest articles sit in its newest sitemap.
    static let sitemapDepth = 2
    static let sitemapDocumentsPerPass = 4

    /// Page 1 with a conditional GET, then `next` pages up to `maxPages` (and, for a sitemap index, its newest child
    /// sitemaps); links merged in order, keeping the newest timestamp a link is shown with. Sitemap links come out
    /// newest first.
    private func readListing(report: inout CrawlReport) async -> Result<ListingResult, ListingFailure> {
        var extractor: ListingExtractor
        do {
            extractor = try ListingExtractor(
                kind: source.kind, profile: source.profile, linkPattern: source.linkPattern,
                fullText: source.fullText)
        } catch {
            return .failure(ListingFailure(message: "\(error)", isUnanswered: false))
        }
        extractor.maxSitemapEntries = source.maxArticlesPerPass
        let validators = try? store.sourceState(name: source.name)
        var result = ListingResult()
        var order: [String] = []
        var timestamps: [String: Instant] = [:]
        var seenLinks: Set<String> = []
        var visited: Set<String> = []
        var pending: [(url: String, depth: Int)] = [(source.listing, 0)]
        var sawSitemap = false
        let budget = max(source.maxPages, source.kind == .html ? 1 : Self.sitemapDocumentsPerPass)

        while !pending.isEmpty, visited.count < budget {
            let (url, depth) = pending.removeFirst()
            guard visited.insert(url).inserted else { continue }
            let first = visited.count == 1
            var request = HTTPRequest(url: config.fetchURL(for: url))
            if first {
                request.ifNoneMatch = validators?.etag
                request.ifModifiedSince = validators?.lastModified
            }
            let response: HTTPResponse
            switch await fetcher.fetch(request) {
            case let .success(r): response = r
            case let .failure(error):
                if case .cancelled = error.kind {
                    return .failure(ListingFailure(message: error.description, isUnanswered: false, isCancelled: true))
                }
                if first {
                    var retryAfter: Double?
                    if case let .http(_, after) = error.kind { retryAfter = after }
                    let isUnanswered: Bool
                    switch error.kind {
                    case .dnsFailure, .unreachable, .timeout: isUnanswered = true
                    default: isUnanswered = false
                    }
                    return .failure(
                        ListingFailure(
                            message: Self.explain(error), isUnanswered: isUnanswered,
                            retryAfter: retryAfter))
                }
                // A later page failing still leaves the links of the earlier ones worth crawling.
                report.noteError("listing page: \(error.description)")
                logger.warning("listing page failed", metadata: ["url": "\(url)", "error": "\(error)"])
                continue
            }
            report.counts.pages += 1
            if first {
                if response.status == 304 {
                    result.notModified = true
                    return .success(result)
                }
                result.etag = response.etag
                result.lastModified = response.lastModified
            }
            let listing: Listing
            do {
                listing = try extractor.extract(body: response.body, contentType: response.contentType, url: url)
            } catch {
                if first { return .failure(ListingFailure(message: "\(error)", isUnanswered: false)) }
                report.noteError("listing page: \(error)")
                continue
            }
            if listing.kind == .sitemap { sawSitemap = true }
            for link in listing.links {
                if seenLinks.insert(link.url).inserted { order.append(link.url) }
                if let timestamp = link.timestamp, timestamps[link.url].map({ timestamp > $0 }) ?? true {
                    timestamps[link.url] = timestamp
                }
            }
            result.fullTextArticles.append(contentsOf: listing.fullTextArticles)
            if let next = listing.next, visited.count < source.maxPages { pending.append((next, depth)) }
            if depth < Self.sitemapDepth {
                pending.append(contentsOf: listing.sitemaps.map { ($0.url, depth + 1) })
            }
        }
        result.links = order.map { ListingLink(url: $0, timestamp: timestamps[$0]) }
        if sawSitemap {
            // Newest first across every sitemap read, and only the newest `maxArticlesPerPass` of them: older entries
            // are the archive, and taking them would let a pass that finds nothing new walk back through it.
            result.links = Array(NewestFirst.sorted(result.links).prefix(source.maxArticlesPerPass))
        }
        return .success(result)
    }

    /// The listing error as an operator needs it: for an unreachable host, say so in words first (an offline
    /// machine prints "cannot reach www.rfi.fr … no network connection?" rather than a bare curl code).
    static func explain(_ error: FetchError) -> String {
        let host = CanonicalURL.host(of: error.url) ?? error.url
        switch error.kind {
        case let .dnsFailure(message):
            return "cannot reach \(host): its name does not resolve (no network connection, or DNS is down): \(message)"
        case let .connectionRefused(message):
            return "cannot reach \(host): the server refused the connection (nothing listens there): \(message)"
        case let .unreachable(message):
            return "cannot reach \(host): no route to it (is the network up?): \(message)"
        case .timeout:
            return "cannot reach \(host): no answer in time (slow site or no network): \(error.description)"
        default:
            return error.description
        }
    }
}
