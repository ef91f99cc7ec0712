import Foundation
import HeraldConfiguration
import HeraldFetch
import HeraldParse
import HeraldStatus
import HeraldTime
import HeraldURL
import Logging

/// Everything a site offers as a source, found from its address alone (`herald discover`, `herald source add`):
/// the page's advertised feeds and the common feed paths that answer, its sitemaps (robots.txt `Sitemap:` lines,
/// `/sitemap.xml`, `/sitemap_index.xml`, news sitemaps), its article links by structure, and the candidates ranked.
///
/// Fetches politely (robots.txt, the configured User-Agent, the per-host gate) through `fetcher`; URLs go through
/// the config's mirrors, and everything reported keeps the original origin.
package struct SiteDiscoverer: Sendable {
    let config: HeraldConfig
    let fetcher: any Fetching

    /// Feed paths many publishers serve without advertising them.
    static let commonFeedPaths = ["/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml"]
    /// Sitemap paths tried when robots.txt names none of them.
    static let commonSitemapPaths = ["/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml", "/sitemap-news.xml"]

    package init(config: HeraldConfig, fetcher: any Fetching) {
        self.config = config
        self.fetcher = fetcher
    }

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// - Throws: `Failure` when the page itself cannot be fetched or holds no HTML.
    package func discover(_ pageURL: String) async throws(Failure) -> DiscoveryReport {
        guard let url = CanonicalURL.canonicalize(pageURL), url.hasPrefix("http") else {
            throw Failure(description: "\(pageURL) is not an http(s) URL")
        }
        let response: HTTPResponse
        switch await fetcher.fetch(HTTPRequest(url: config.fetchURL(for: url))) {
        case let .success(answer): response = answer
        case let .failure(error): throw Failure(description: "cannot fetch \(url): \(CrawlPass.explain(error))")
        }
        let finalURL = CanonicalURL.canonicalize(config.originalURL(forFetched: response.finalURL)) ?? url
        let page: PageDiscovery
        do {
            page = try PageDiscovery.read(body: response.body, contentType: response.contentType, url: finalURL)
        } catch {
            throw Failure(description: "\(url) is not an HTML page: \(error)")
        }
        var report = DiscoveryReport(
            url: finalURL, articles: page.articles, linkPattern: page.suggestedLinkPattern,
            patternCoverage: page.patternCoverage)
        let onPage = Set(page.articles.map(\.url))
        let origin = Self.origin(of: finalURL)

        // The common paths are tried only when the page advertises no feed (fewer requests to a polite host).
        var feedURLs = page.feeds.map { ($0.url, true, $0.title) }
        if feedURLs.isEmpty { feedURLs = Self.commonFeedPaths.map { (origin + $0, false, nil) } }
        for (feedURL, advertised, title) in feedURLs {
            guard let listing = await read(feedURL, as: .auto), listing.kind == .rss || listing.kind == .atom,
                !listing.links.isEmpty || advertised
            else { continue }
            report.feeds.append(
                .init(
                    url: feedURL, kind: listing.kind, title: title, advertised: advertised,
                    links: listing.links.count,
                    newest: listing.links.compactMap(\.timestamp).max(),
                    notOnPage: listing.links.filter { !onPage.contains($0.url) }.count))
        }

        var sitemapURLs: [(String, String)] = []
        if let robots = await fetchText(origin + "/robots.txt") {
            for line in robots.split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "sitemap",
                    let sitemap = CanonicalURL.canonicalize(parts[1].trimmingCharacters(in: .whitespaces))
                else {
                    continue
                }
                sitemapURLs.append((sitemap, "robots.txt"))
            }
        }
        // Likewise the common sitemap paths, only when robots.txt names no sitemap.
        if sitemapURLs.isEmpty {
            sitemapURLs = Self.commonSitemapPaths.map { (origin + $0, "common path") }
        }
        for (sitemapURL, foundIn) in sitemapURLs.prefix(8) {
            guard let listing = await read(sitemapURL, as: .sitemap) else { continue }
            report.sitemaps.append(
                .init(
                    url: sitemapURL, foundIn: foundIn, isIndex: !listing.sitemaps.isEmpty,
                    isNews: listing.isNewsSitemap,
                    entries: listing.links.count, sitemaps: listing.sitemaps.count,
                    newest: (listing.links + listing.sitemaps).compactMap(\.timestamp).max()))
        }
        report.rank()
        return report
    }

    /// A listing fetched and read, or nil when it does not answer or is not of that kind.
    private func read(_ url: String, as kind: ListingKind) async -> Listing? {
        guard case let .success(response) = await fetcher.fetch(HTTPRequest(url: config.fetchURL(for: url))),
            response.status == 200, !response.body.isEmpty,
            let extractor = try? ListingExtractor(kind: kind, profile: .generic, linkPattern: nil, fullText: false),
            let listing = try? extractor.extract(body: response.body, contentType: response.contentType, url: url),
            kind == .auto || listing.kind == kind
        else { return nil }
        return listing
    }

    private func fetchText(_ url: String) async -> String? {
        guard case let .success(response) = await fetcher.fetch(HTTPRequest(url: config.fetchURL(for: url))),
            response.status == 200
        else { return nil }
        return String(decoding: response.body, as: UTF8.self)
    }

    static func origin(of url: String) -> String {
        guard let start = url.range(of: "://")?.upperBound else { return url }
        let end = url[start...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        return String(url[..<end])
    }
}

/// What `SiteDiscoverer` found, ranked.
package struct DiscoveryReport: Sendable {
    package struct Feed: Sendable {
        package var url: String
        package var kind: ListingKind
        package var title: String?
        /// Named by the page's `<link rel="alternate">` (else found at a common path).
        package var advertised: Bool
        package var links: Int
        package var newest: Instant?
        /// Items the page itself does not link: what the feed would add to reading the page.
        package var notOnPage: Int
    }

    package struct Sitemap: Sendable {
        package var url: String
        /// `robots.txt` or `common path`.
        package var foundIn: String
        package var isIndex: Bool
        /// A Google News sitemap: the newest articles, dated to the minute.
        package var isNews: Bool
        package var entries: Int
        package var sitemaps: Int
        package var newest: Instant?
    }

    /// One way to crawl the site, as a source block would say it.
    package struct Candidate: Sendable {
        package var listing: String
        package var kind: ListingKind
        package var linkPattern: String?
        package var interval: String
        package var why: String
    }

    package var url: String
    package var articles: [PageDiscovery.ArticleLink]
    package var linkPattern: String?
    package var patternCoverage: Double
    package var feeds: [Feed] = []
    package var sitemaps: [Sitemap] = []
    /// Best first.
    package var candidates: [Candidate] = []

    /// A page with at least this many article links is worth reading itself: its links are the freshest.
    static let enoughArticles = 5

    init(url: String, articles: [PageDiscovery.ArticleLink], linkPattern: String?, patternCoverage: Double) {
        self.url = url
        self.articles = articles
        self.linkPattern = linkPattern
        self.patternCoverage = patternCoverage
    }

    /// The page first when it lists enough articles (a homepage is fresher than its feed); then dated feeds by size,
    /// then sitemaps (a news sitemap, small and dated, before a big index).
    mutating func rank() {
        var ranked: [(score: Int, candidate: Candidate)] = []
        if !articles.isEmpty {
            let many = articles.count >= Self.enoughArticles
            ranked.append(
                (
                    many ? 100 : 10,
                    Candidate(
                        listing: url, kind: .html, linkPattern: linkPattern, interval: "15m",
                        why: "the page links \(articles.count) articles (found by the page's structure)")
                ))
        }
        for feed in feeds where feed.links > 0 {
            let dated = feed.newest != nil
            ranked.append(
                (
                    50 + (dated ? 10 : 0) + min(feed.links, 30),
                    Candidate(
                        listing: feed.url, kind: .auto, linkPattern: nil, interval: "15m",
                        why:
                            "\(feed.advertised ? "advertised" : "unadvertised") \(feed.kind.rawValue) feed, \(feed.links) items"
                            + (articles.isEmpty ? "" : ", \(feed.notOnPage) not on the page"))
                ))
        }
        for sitemap in sitemaps where sitemap.entries > 0 || sitemap.sitemaps > 0 {
            ranked.append(
                (
                    30 + (sitemap.newest != nil ? 10 : 0) + (sitemap.isNews ? 15 : 0) - (sitemap.isIndex ? 5 : 0),
                    Candidate(
                        listing: sitemap.url, kind: .sitemap, linkPattern: nil,
                        interval: sitemap.isNews ? "15m" : "30m",
                        why: sitemap.isIndex
                            ? "sitemap index of \(sitemap.sitemaps) sitemaps (from \(sitemap.foundIn))"
                            : "\(sitemap.isNews ? "Google News sitemap" : "sitemap") of \(sitemap.entries) URLs "
                                + "(from \(sitemap.foundIn))")
                ))
        }
        candidates = ranked.sorted { $0.score > $1.score }.map(\.candidate)
    }

    /// A source name from the host: `www.rfi.fr` → `rfi-fr`.
    package var suggestedName: String {
        let host = CanonicalURL.host(of: url) ?? "site"
        let trimmed = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        let name = trimmed.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        return name.isEmpty ? "site" : name
    }

    /// The best candidate as the config's source object (JSON, two-space indented members), or nil when nothing
    /// was found.
    package func sourceBlock(name: String? = nil, indent: String = "    ") -> String? {
        guard let best = candidates.first else { return nil }
        var members: [(String, String)] = [
            ("name", name ?? suggestedName), ("listing", best.listing),
            ("kind", best.kind.rawValue),
        ]
        if let pattern = best.linkPattern { members.append(("linkPattern", pattern)) }
        members.append(("profile", "generic"))
        members.append(("interval", best.interval))
        let body = members.map {
            "\(indent)  \(JSONOutput.string($0.0).rendered()): \(JSONOutput.string($0.1).rendered())"
        }
        .joined(separator: ",\n")
        return "\(indent){\n\(body)\n\(indent)}"
    }
}

extension SiteDiscoverer {
    /// A discoverer fetching as the crawl does (the config's User-Agent, robots.txt, timeouts, per-host gate);
    /// call `shutdown` on the fetcher when done.
    package static func polite(
        config: HeraldConfig, logger: Logger
    ) -> (discoverer: SiteDiscoverer, fetcher: PoliteFetcher) {
        let client = HTTPClient(options: HTTPClientOptions(config), logger: logger)
        let fetcher = PoliteFetcher(client: client, options: PoliteFetcherOptions(config), logger: logger)
        return (SiteDiscoverer(config: config, fetcher: fetcher), fetcher)
    }

    /// The settings to fetch with when no config file exists: every default (User-Agent, robots.txt, timeouts).
    package static func defaultConfig() -> HeraldConfig? {
        // A config needs a source; this one is a placeholder that nothing crawls.
        let text = #"{"sources": [{"name": "discover", "listing": "https://example.invalid/"}]}"#
        return try? ConfigLoader.load(bytes: Array(text.utf8), file: "(defaults)", forReading: true)
    }
}
