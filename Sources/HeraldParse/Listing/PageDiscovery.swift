import Foundation
import HeraldTime
import HeraldURL

/// What a homepage or section page offers a new source, read from its bytes alone (`herald discover` adds what the
/// network says: robots.txt's sitemaps, common feed paths):
/// - the feeds it advertises (`<link rel="alternate" type="application/rss+xml|atom+xml" href>`);
/// - its article links, found by structure (`StructuralLinkFinder`), each with its headline;
/// - a `linkPattern` inferred from those links' URL templates, and the share of them it matches.
package struct PageDiscovery: Sendable {
    package struct AdvertisedFeed: Sendable, Equatable {
        package var url: String
        /// `rss` or `atom`.
        package var kind: ListingKind
        package var title: String?
    }

    package struct ArticleLink: Sendable, Equatable {
        package var url: String
        package var title: String
        package var timestamp: Instant?
    }

    package var feeds: [AdvertisedFeed]
    package var articles: [ArticleLink]
    /// Anchored, for the whole canonical URL (the config's `linkPattern`); nil when no article link was found.
    package var suggestedLinkPattern: String?
    /// The share of `articles` the suggested pattern matches (0...1).
    package var patternCoverage: Double

    /// - Throws: `.unreadable` when the bytes hold no HTML document.
    package static func read(body: [UInt8], contentType: String?, url: String) throws(ParseError) -> PageDiscovery {
        guard !body.isEmpty, let page = HTMLPage.load(body: body, contentType: contentType) else {
            throw .unreadable(url: url, reason: "no HTML document could be built")
        }
        let (listing, titles) = HTMLListingReader(page: page, url: url, profile: .generic, filter: .structural)
            .readWithTitles(true)
        // Feeds are advertised in the head: read its links only (the body was walked by the listing reader).
        let head = page.document.root?.elementChildren.first { $0.tag == .head }
        let base =
            head?.elementChildren.first { $0.tag == .base }?.attribute("href")
            .flatMap { LinkResolver.absolute($0, base: url) } ?? url
        var feeds: [AdvertisedFeed] = []
        for node in head?.elementChildren ?? [] where node.tag == .link {
            guard let rel = node.attribute("rel")?.lowercased(), rel.split(separator: " ").contains("alternate"),
                let type = node.attribute("type")?.lowercased(), let href = node.attribute("href"),
                let feed = CanonicalURL.resolve(href, against: base)
            else { continue }
            let kind: ListingKind? = type.contains("rss") ? .rss : type.contains("atom") ? .atom : nil
            if let kind, !feeds.contains(where: { $0.url == feed }) {
                feeds.append(
                    AdvertisedFeed(url: feed, kind: kind, title: node.attribute("title").map(Normalize.whitespace)))
            }
        }
        let articles = listing.links.map { link in
            ArticleLink(url: link.url, title: titles[link.url] ?? "", timestamp: link.timestamp)
        }
        let suggestion = LinkPatternSuggestion(urls: articles.map(\.url))
        return PageDiscovery(
            feeds: feeds, articles: articles, suggestedLinkPattern: suggestion.pattern,
            patternCoverage: suggestion.coverage)
    }
}

/// A `linkPattern` for a set of article URLs: the URL templates' families that cover them (the largest first, up to
/// three, until 90% are covered), as one anchored alternation, on their host (or any host when they use several).
struct LinkPatternSuggestion {
    let pattern: String?
    let coverage: Double

    init(urls: [String]) {
        var families: [String: (template: URLTemplate, count: Int)] = [:]
        var hosts: Set<String> = []
        for url in urls {
            guard let template = URLTemplate(url: url) else { continue }
            families[template.family, default: (template, 0)].count += 1
            if let authority = Self.authority(of: url) { hosts.insert(authority) }
        }
        guard !urls.isEmpty, !families.isEmpty else {
            pattern = nil
            coverage = 0
            return
        }
        var chosen: [String] = []
        var covered = 0
        for family in families.values.sorted(by: { $0.count > $1.count }) where chosen.count < 3 {
            chosen.append(family.template.regex(blurred: true))
            covered += family.count
            if Double(covered) >= 0.9 * Double(urls.count) { break }
        }
        let host = hosts.count == 1 ? NSRegularExpression.escapedPattern(for: hosts.first!) : "[^/?#]+"
        let alternatives = chosen.count == 1 ? chosen[0] : "(?:" + chosen.joined(separator: "|") + ")"
        let candidate = "(?i)^https?://" + host + alternatives + "$"
        // Coverage on at most 200 of the links, spread over the page (regular expressions are slow on Linux).
        let step = max(1, urls.count / 200)
        let checked = stride(from: 0, to: urls.count, by: step).map { urls[$0] }
        let matched =
            (try? NSRegularExpression(pattern: candidate)).map { regex in
                checked.filter { regex.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }.count
            } ?? 0
        pattern = matched > 0 ? candidate : nil
        coverage = Double(matched) / Double(checked.count)
    }

    /// `host[:port]` of an absolute URL, as written.
    static func authority(of url: String) -> String? {
        guard let start = url.range(of: "://")?.upperBound else { return nil }
        let rest = url[start...]
        return String(rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" })
    }
}
