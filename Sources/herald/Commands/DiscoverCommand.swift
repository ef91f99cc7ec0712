import ArgumentParser
import Foundation
import HeraldConfiguration
import HeraldCore
import HeraldParse
import HeraldStatus
import HeraldTime
import HeraldURL

struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Find what a site offers as a source: feeds, sitemaps, article links, and a source block to paste.",
        discussion: """
            Fetches the page politely (robots.txt, the config's userAgent and mirrors when a config exists), then \
            lists the feeds it advertises and the common feed paths that answer, the sitemaps (robots.txt's \
            Sitemap: lines, /sitemap.xml, /sitemap_index.xml, news sitemaps), and the article links found by the \
            page's structure with a sample. The ways to crawl the site are ranked (a homepage that links enough \
            articles first: its links are the freshest; each feed says how many items it would add), and the best \
            one prints as a source block for config.json, with a linkPattern inferred from the article links.

            Exit status: 0 when something to crawl was found, 1 when the page cannot be fetched or holds nothing to \
            crawl, 64 for a URL that is not http(s), 78 for an invalid config.

            Examples:
              herald discover https://www.rfi.fr/cn/
              herald discover https://example.com/ --json | jq .source
              herald source add https://example.com/ --name example     (writes the block into the config)
            """)

    @Argument(help: ArgumentHelp("The site's homepage or a section page.", valueName: "url"))
    var url: String

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: ArgumentHelp("How many article links to show.", valueName: "n"))
    var sample = 10

    @Flag(name: .long, help: "One JSON object: feeds, sitemaps, articles, candidates and the source block.")
    var json = false

    func run() async throws {
        let report = try await DiscoveryRun(url: url, options: options).report()
        if json {
            print(DiscoveryJSON.object(report, sample: sample, name: nil).rendered())
        } else {
            print(DiscoveryText.lines(report, sample: sample).joined(separator: "\n"))
        }
        if report.candidates.isEmpty { throw ExitCode.failure }
    }
}

/// Loads the config (or the defaults when there is none), fetches and reports; errors become sentences and the
/// exit statuses of README's table.
struct DiscoveryRun {
    let url: String
    let options: ConfigOptions

    func report() async throws -> DiscoveryReport {
        guard let canonical = CanonicalURL.canonicalize(url), canonical.hasPrefix("http") else {
            printError("herald: \(url) is not an http(s) URL")
            throw ExitCode.usage
        }
        let config: HeraldConfig
        if FileManager.default.fileExists(atPath: options.configPath) {
            config = try options.load()
        } else if let defaults = SiteDiscoverer.defaultConfig() {
            config = defaults
        } else {
            printError("herald: cannot build the default settings")
            throw ExitCode.failure
        }
        let logger = try options.logger(for: config, quietly: true)
        let (discoverer, fetcher) = SiteDiscoverer.polite(config: config, logger: logger)
        defer { fetcher.shutdown() }
        do {
            return try await discoverer.discover(canonical)
        } catch {
            printError("herald: \(error.description)")
            throw ExitCode.failure
        }
    }
}

enum DiscoveryText {
    static func lines(_ report: DiscoveryReport, sample: Int) -> [String] {
        var lines = ["\(report.url)", ""]
        lines.append("Feeds:" + (report.feeds.isEmpty ? " none found" : ""))
        for feed in report.feeds {
            let newest = feed.newest.map { ", newest \($0.text)" } ?? ""
            let adds = report.articles.isEmpty ? "" : ", \(feed.notOnPage) of them not on the page"
            lines.append(
                "  \(feed.url)  \(feed.kind.rawValue), \(feed.advertised ? "advertised" : "common path"), "
                    + "\(feed.links) items\(newest)\(adds)")
        }
        lines.append("Sitemaps:" + (report.sitemaps.isEmpty ? " none found" : ""))
        for sitemap in report.sitemaps {
            let what =
                sitemap.isIndex
                ? "index of \(sitemap.sitemaps) sitemaps"
                : "\(sitemap.isNews ? "Google News sitemap, " : "")\(sitemap.entries) URLs"
            let newest = sitemap.newest.map { ", newest \($0.text)" } ?? ""
            lines.append("  \(sitemap.url)  \(what) (from \(sitemap.foundIn))\(newest)")
        }
        lines.append("Article links by structure: \(report.articles.count)")
        for article in report.articles.prefix(sample) {
            lines.append("  \(article.url)" + (article.title.isEmpty ? "" : "  \(article.title.prefix(80))"))
        }
        if let pattern = report.linkPattern {
            lines.append(
                String(format: "  linkPattern %@ matches %.0f%% of them", pattern, report.patternCoverage * 100))
        }
        lines.append("")
        guard !report.candidates.isEmpty else {
            lines.append("Nothing to crawl found: no feed, no sitemap, no article links on the page.")
            return lines
        }
        lines.append("Ranked:")
        for (index, candidate) in report.candidates.enumerated() {
            lines.append("  \(index + 1). \(candidate.listing) (\(candidate.kind.rawValue)): \(candidate.why)")
        }
        lines.append("")
        lines.append("Source block for config.json (or: herald source add \(report.url)):")
        lines.append(report.sourceBlock(indent: "") ?? "")
        return lines
    }
}

enum DiscoveryJSON {
    static func object(_ report: DiscoveryReport, sample: Int, name: String?) -> JSONOutput {
        func date(_ value: Instant?) -> JSONOutput { .optional(value?.text) }
        return .object([
            ("url", .string(report.url)),
            (
                "feeds",
                .array(
                    report.feeds.map { feed in
                        .object([
                            ("url", .string(feed.url)), ("kind", .string(feed.kind.rawValue)),
                            ("title", .optional(feed.title)), ("advertised", .bool(feed.advertised)),
                            ("items", .int(feed.links)), ("newest", date(feed.newest)),
                            ("not_on_page", .int(feed.notOnPage)),
                        ])
                    })
            ),
            (
                "sitemaps",
                .array(
                    report.sitemaps.map { sitemap in
                        .object([
                            ("url", .string(sitemap.url)), ("found_in", .string(sitemap.foundIn)),
                            ("index", .bool(sitemap.isIndex)), ("news", .bool(sitemap.isNews)),
                            ("urls", .int(sitemap.entries)),
                            ("sitemaps", .int(sitemap.sitemaps)), ("newest", date(sitemap.newest)),
                        ])
                    })
            ),
            ("article_links", .int(report.articles.count)),
            (
                "articles",
                .array(
                    report.articles.prefix(sample).map { article in
                        .object([
                            ("url", .string(article.url)), ("title", .string(article.title)),
                            ("timestamp", date(article.timestamp)),
                        ])
                    })
            ),
            ("link_pattern", .optional(report.linkPattern)),
            ("link_pattern_coverage", .double(report.patternCoverage)),
            (
                "candidates",
                .array(
                    report.candidates.map { candidate in
                        .object([
                            ("listing", .string(candidate.listing)), ("kind", .string(candidate.kind.rawValue)),
                            ("link_pattern", .optional(candidate.linkPattern)),
                            ("interval", .string(candidate.interval)),
                            ("why", .string(candidate.why)),
                        ])
                    })
            ),
            ("source", .optional(report.sourceBlock(name: name, indent: ""))),
        ])
    }
}
