import Foundation
import HeraldFetch
import HeraldParse
import HeraldStore
import HeraldTime
import HeraldURL

/// The article half of a pass: fetch, parse and store each link, at most `concurrency` at once across the process.
extension CrawlPass {
    struct WorkItem: Sendable {
        var link: ListingLink
        /// Set for full-text feed items: stored without fetching the page.
        var fullText: ParsedArticle?
        /// Failed attempts so far (for the retry backoff).
        var previousAttempts: Int
        /// What the store said when the pass sorted its links.
        var triagedState: LinkState
    }

    enum ArticleOutcome: Sendable {
        case new, updated, unchanged
        case skipped(CrawlReport.Skip, String)
        case failed(String, transient: Bool)
        case interrupted
    }

    func process(_ work: [WorkItem]) async -> [ArticleOutcome] {
        let extractor: ArticleExtractor
        do {
            extractor = try ArticleExtractor(profile: source.profile)
        } catch {
            return work.map { _ in .failed("profile \(source.profile.name): \(error)", transient: false) }
        }
        let total = work.count
        return await withTaskGroup(of: ArticleOutcome.self) { group in
            for item in work {
                group.addTask {
                    if let article = item.fullText {
                        if let empty = self.emptyBodyFailure(article, item: item) { return empty }
                        return await self.save(article, item: item)
                    }
                    guard await self.inFlight.claim(item.link.url) else {
                        return .skipped(.inFlight, "being fetched by another pass: \(item.link.url)")
                    }
                    // Another pass may have stored it between our triage and now.
                    if self.storedSinceTriage(item) {
                        await self.inFlight.release(item.link.url)
                        return .unchanged
                    }
                    let outcome = await self.fetchSlots.withPermit {
                        await self.fetchAndSave(item, extractor: extractor)
                    }
                    await self.inFlight.release(item.link.url)
                    return outcome ?? .interrupted
                }
            }
            var outcomes: [ArticleOutcome] = []
            outcomes.reserveCapacity(total)
            for await outcome in group {
                outcomes.append(outcome)
                onProgress?(Progress(source: source.name, done: outcomes.count, total: total))
            }
            return outcomes
        }
    }

    private func storedSinceTriage(_ item: WorkItem) -> Bool {
        guard case let .stored(now)? = try? store.linkState(url: item.link.url) else { return false }
        if case let .stored(then) = item.triagedState { return now.revision != then.revision }
        return true
    }

    private func fetchAndSave(_ item: WorkItem, extractor: ArticleExtractor) async -> ArticleOutcome {
        if Task.isCancelled { return .interrupted }
        let url = item.link.url
        let response: HTTPResponse
        switch await fetcher.fetch(HTTPRequest(url: config.fetchURL(for: url))) {
        case let .success(r):
            response = r
        case let .failure(error):
            switch error.kind {
            case .cancelled: return .interrupted
            // Policy, not failure: nothing to retry, and robots.txt is asked again (cached) on later passes.
            case .robotsDisallowed: return .skipped(.robots, error.description)
            default: break
            }
            return recordFailure(item, message: error.description, permanent: !error.isTransient)
        }
        // Relative links in the body resolve against where the page really is (after a redirect such as /a → /a/).
        let base = config.originalURL(forFetched: response.finalURL)
        var article: ParsedArticle
        do {
            article = try extractor.extract(body: response.body, contentType: response.contentType, url: base)
        } catch {
            return recordFailure(item, message: "\(error)", permanent: true)
        }
        if article.looksTruncated {
            return recordFailure(item, message: "incomplete page (the document ends mid-way): \(url)", permanent: false)
        }
        article.url = url
        if let empty = emptyBodyFailure(article, item: item) { return empty }
        return await save(article, item: item)
    }

    /// An article with an empty body is never stored as a success (issue 10): the extractor has already tried its
    /// fallbacks, so this is recorded as its own failure, per source with the URL, and retried like a transient one
    /// (the page may be fixed, or rendered differently next time).
    private func emptyBodyFailure(_ article: ParsedArticle, item: WorkItem) -> ArticleOutcome? {
        guard article.bodyText.allSatisfy({ $0 == " " || $0 == "\n" }) else { return nil }
        return recordFailure(
            item, message: "empty body (no text in the main block or the fallbacks): \(item.link.url)",
            permanent: false)
    }

    /// Stores the article with group commit (`ArticleStore.saveCoalescing`): articles of this and other passes that
    /// finish while the writer is busy share its next transaction, so the search indexes flush once for all of them.
    private func save(_ article: ParsedArticle, item: WorkItem) async -> ArticleOutcome {
        let record = ArticleRecord(article, source: source.name)
        let sameHost =
            article.canonicalURL.flatMap(CanonicalURL.canonicalize).flatMap(CanonicalURL.host(of:))
            == CanonicalURL.host(of: item.link.url)
        do {
            switch try await store.saveCoalescing(
                record, listingTimestamp: item.link.timestamp, fetchedAt: Instant.now,
                aliasByCanonical: sameHost)
            {
            case .inserted:
                // Per article at debug: the pass summary at info has the counts (one line per pass, not per page).
                logger.debug("stored", metadata: ["url": "\(record.url)", "title": "\(record.title)"])
                return .new
            case let .revised(_, revision):
                logger.debug("revised", metadata: ["url": "\(record.url)", "revision": "\(revision)"])
                return .updated
            case .unchanged:
                return .unchanged
            case let .aliased(id):
                logger.debug("alias of a stored article", metadata: ["url": "\(record.url)", "article": "\(id)"])
                return .unchanged
            case .pruned:
                // A full-text feed still lists an article retention deleted: it stays deleted.
                return .unchanged
            }
        } catch {
            logger.error("cannot store", metadata: ["url": "\(record.url)", "error": "\(error)"])
            return .failed("database: \(error) (\(record.url))", transient: true)
        }
    }

    /// Keeps the failure per URL so later passes skip it (permanent) or retry it with a growing delay (transient).
    private func recordFailure(_ item: WorkItem, message: String, permanent: Bool) -> ArticleOutcome {
        let now = Instant.now
        let retryAt = now.adding(seconds: Backoff.articleRetryDelay(previousAttempts: item.previousAttempts))
        do {
            try store.recordFailure(
                url: item.link.url, source: source.name, error: message, permanent: permanent,
                listingTimestamp: item.link.timestamp, at: now,
                retryAfter: permanent ? nil : retryAt)
        } catch {
            logger.error("cannot record a failure", metadata: ["url": "\(item.link.url)", "error": "\(error)"])
        }
        logger.warning("article failed", metadata: ["url": "\(item.link.url)", "error": "\(message)"])
        return .failed(message, transient: !permanent)
    }
}

extension ArticleRecord {
    /// The parsed article as the store takes it. The content hash covers what a reader sees (title, lead, body), so
    /// a page fetched again unchanged hashes the same whatever its fetch time.
    init(_ parsed: ParsedArticle, source: String) {
        var hashed: [UInt8] = []
        for part in [parsed.title, parsed.lead ?? "", parsed.bodyHTML] {
            hashed.append(contentsOf: part.utf8)
            hashed.append(0)
        }
        self.init(source: source, article: parsed.article, contentHash: SHA256.hex(hashed))
    }
}
