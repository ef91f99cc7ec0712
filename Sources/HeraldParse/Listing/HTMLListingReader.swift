import Foundation
import HeraldTime
import HeraldURL

/// Article links of an HTML listing page (homepage, section page).
///
/// 1. The candidates: the profile's anchors (rfi: `a[data-article-item-link]` and the rolling-news box's
///    `.m-item-news-feed a`; custom: its `links` XPath) or, when the
///    profile finds none or has no opinion (generic), every `a[href]`. Their order is the page's: the first
///    occurrence of each URL among all anchors (an article linked from the news feed before its own item is listed
///    there).
/// 2. Each `href` resolves against the first `<base href>` (itself resolved against the page URL) or the page URL,
///    and is canonicalised (`CanonicalURL`); unusable ones (`javascript:`, `mailto:`, empty) drop out.
/// 3. Only links on the page's own scheme, host and port are kept (protocol-relative links to another host are off
///    site), then those the link filter accepts, de-duplicated in first-occurrence order. Without a pattern
///    (`LinkFilter.structural`) the page's structure decides (`StructuralLinkFinder`), and links to the site's other
///    hosts (`news.example.com` from `www.example.com`) count as the site's own.
/// 4. The timestamp of a link is the `<time datetime>` of its item: the closest `[data-article-list]`, `li` or
///    `article` ancestor. Any anchor to the same URL can supply it (RFI's homepage dates only its "滚动新闻" items,
///    which link without `data-article-item-link`); with several, the latest instant wins.
/// 5. `next` is `link[rel=next]`, else `a[rel=next]`, absolute and canonical.
struct HTMLListingReader {
    let page: HTMLPage
    let url: String
    let profile: Profile
    let filter: LinkFilter

    func read() -> Listing {
        readWithTitles(false).listing
    }

    /// The listing and, when `titles`, each link's longest anchor text (for `PageDiscovery`'s sample), gathered in the
    /// same pass over the anchors.
    func readWithTitles(_ titles: Bool) -> (listing: Listing, titles: [String: String]) {
        var texts: [String: String] = [:]
        let metadata = PageMetadata(document: page.document)
        guard let root = page.document.root else {
            return (Listing(kind: .html, looksTruncated: page.looksTruncated), [:])
        }
        let base = metadata.baseHref.flatMap { LinkResolver.absolute($0, base: url) } ?? url
        let origin = CanonicalURL.origin(of: url)

        let everyAnchor = root.all { $0.tag == .a && $0.hasAttribute("href") }
        var canonicalCache: [String: String?] = [:]
        func canonical(_ href: String) -> String? {
            if let cached = canonicalCache[href] { return cached }
            let value = CanonicalURL.resolve(href, against: base)
            canonicalCache[href] = value
            return value
        }

        // The profile decides which links are candidates…
        let candidates: [String]
        switch profile.kind {
        case .rfi:
            // The article items' links, and the rolling-news box's (its AFP wires link without the marker and are
            // often listed nowhere else on the page).
            let marked = everyAnchor.filter { anchor in
                anchor.hasAttribute("data-article-item-link")
                    || anchor.ancestor(limit: 6) { $0.hasClass("m-item-news-feed") } != nil
            }
            candidates = (marked.isEmpty ? everyAnchor : marked).compactMap { $0.attribute("href") }
        case .generic:
            candidates = everyAnchor.compactMap { $0.attribute("href") }
        case let .custom(xpaths):
            let custom = xpaths.links.map(customLinks) ?? []
            candidates = custom.isEmpty ? everyAnchor.compactMap { $0.attribute("href") } : custom
        }
        var accepted: Set<String> = []
        if case .structural = filter {
            accepted = structuralArticles(root: root, candidates: Set(candidates), canonical: canonical)
        } else {
            for href in candidates {
                guard let url = canonical(href), !accepted.contains(url),
                    origin == nil || CanonicalURL.origin(of: url) == origin, filter.accepts(url)
                else { continue }
                accepted.insert(url)
            }
        }

        // …and the page decides their order: first occurrence among all anchors, then any not linked by an anchor.
        var links: [ListingLink] = []
        var position: [String: Int] = [:]
        var itemTimes: [Node: Instant?] = [:]  // one lookup per item, however many links it holds
        func timestamp(beside anchor: Node) -> Instant? {
            guard let item = self.item(holding: anchor) else { return nil }
            if let cached = itemTimes[item] { return cached }
            let time = item.first { $0.tag == .time && $0.hasAttribute("datetime") }?.attribute("datetime")
                .flatMap(Timestamp.parse)
            itemTimes[item] = time
            return time
        }
        for anchor in everyAnchor {
            guard let href = anchor.attribute("href"), let url = canonical(href), accepted.contains(url) else {
                continue
            }
            if position[url] == nil {
                position[url] = links.count
                links.append(ListingLink(url: url))
            }
            if titles {
                let text = Normalize.whitespace(anchor.text)
                if (texts[url]?.count ?? 0) < text.count { texts[url] = text }
            }
            if let index = position[url], let time = timestamp(beside: anchor),
                links[index].timestamp.map({ $0 < time }) ?? true
            {
                links[index].timestamp = time
            }
        }
        for href in candidates {
            guard let url = canonical(href), accepted.contains(url), position[url] == nil else { continue }
            position[url] = links.count
            links.append(ListingLink(url: url))
        }

        let nextHref =
            metadata.nextLink
            ?? root.first { anchor in
                anchor.tag == .a
                    && (anchor.attribute("rel").map { rel in
                        rel.lowercased().split(separator: " ").contains("next")
                    } ?? false)
            }?.attribute("href")
        let next = nextHref.flatMap { CanonicalURL.resolve($0, against: base) }
        return (Listing(links: links, next: next, kind: .html, looksTruncated: page.looksTruncated), texts)
    }

    /// The stories among the candidate anchors, by the page's structure (`StructuralLinkFinder`): same-site links
    /// (subdomains of the page's site count), the page itself left out.
    private func structuralArticles(root: Node, candidates: Set<String>, canonical: (String) -> String?) -> Set<String>
    {
        let host = CanonicalURL.host(of: url)
        let pageURL = CanonicalURL.canonicalize(url)
        var anchors: [StructuralLinkFinder.Anchor] = []
        for found in AnchorRegions.collect(root) {
            guard let href = found.node.attribute("href"), candidates.contains(href), let link = canonical(href),
                link != pageURL, link.hasPrefix("http")
            else { continue }
            if let host {
                guard let linkHost = CanonicalURL.host(of: link), SameSite.matches(host, linkHost) else { continue }
            }
            anchors.append(
                .init(
                    url: link, node: found.node, inNavigation: found.inNavigation,
                    inSidebar: found.inSidebar))
        }
        return StructuralLinkFinder(pageHost: host).articles(among: anchors)
    }

    /// The listing item holding `anchor`: the closest `[data-article-list]`, `li` or `article` ancestor.
    private func item(holding anchor: Node) -> Node? {
        anchor.ancestor(limit: 8) { node in
            node.hasAttribute("data-article-list") || node.tag == .li || node.tag == .article
        }
    }

    /// A custom `links` expression: attribute nodes by value, elements by their `href` (else text), strings as they are.
    private func customLinks(_ expression: String) -> [String] {
        switch XPath.evaluate(expression, in: page.document) {
        case let .nodes(nodes)?:
            return nodes.map { node in node.isElement ? (node.attribute("href") ?? node.text) : XPath.stringValue(node)
            }
        case let .string(value)?:
            return [value]
        case nil:
            return []
        }
    }
}
