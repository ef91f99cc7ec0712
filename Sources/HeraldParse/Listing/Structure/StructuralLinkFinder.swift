import Foundation
import HeraldURL

/// Which same-site links of an HTML listing are stories, decided by the page's structure rather than by what one URL
/// looks like (for listings without a `linkPattern`).
///
/// 1. Every same-site anchor is described: its text length (CJK, kana and hangul count 3 a character: a 12-character
///    Chinese headline weighs as much as a 36-letter English one), whether it sits in navigation or a footer
///    (`nav`, `footer`, `role=navigation`, menu-like class names), in a header or aside, in a repeated item container
///    (`li`, `article`, or one of several siblings with the same tag and class), and whether that item shows a
///    `<time>` or an image.
/// 2. Links are grouped by URL template (`URLTemplate.key`): one group per kind of link of the site.
/// 3. A group is a list of stories when its template names an item (an id, a slug, a numbered file, an id
///    parameter: not only fixed words or a date), carries none of the tag/topic/author/login/paging words, and
///    scores enough on: headline-length texts (median), many members (its `family`, sections merged), items with a
///    time or image, items repeated in lists, and not living in navigation.
/// 4. A link of an accepted group found only in navigation with a short text stays out; a link of a rejected group
///    with a long headline outside navigation comes in (a lone lead story with its own URL shape).
struct StructuralLinkFinder {
    /// One anchor, as the page shows it.
    struct Anchor {
        let url: String
        let node: Node
        let inNavigation: Bool
        let inSidebar: Bool
    }

    /// The page's own host: links to the site's other hosts (`shop.`, `abo.`, `jobs.`) count against a group when
    /// those hosts carry few of the page's links (a shop teaser), not when they carry many (`news.qq.com` linking
    /// its stories on `new.qq.com`).
    let pageHost: String?

    /// The URLs of `anchors` that are stories.
    func articles(among anchors: [Anchor]) -> Set<String> {
        var byURL: [String: LinkSummary] = [:]
        var order: [String] = []
        var items = ItemContainers()
        let trackers = TrackingParameters.find(in: Array(Set(anchors.map(\.url))))
        for anchor in anchors {
            if byURL[anchor.url] == nil {
                guard let template = URLTemplate(url: anchor.url, ignoring: trackers) else { continue }
                byURL[anchor.url] = LinkSummary(template: template)
                order.append(anchor.url)
            }
            byURL[anchor.url]?.add(anchor, item: items.of(anchor.node))
        }
        var hostCounts: [String: Int] = [:]
        for url in order { hostCounts[CanonicalURL.host(of: url) ?? "", default: 0] += 1 }
        let minorHosts = Set(
            hostCounts.filter { host, count in
                host != pageHost && Double(count) < 0.1 * Double(order.count)
            }.keys)
        var groups: [String: [String]] = [:]
        var families: [String: Set<String>] = [:]
        for url in order {
            guard let summary = byURL[url] else { continue }
            groups[summary.template.key, default: []].append(url)
            families[summary.template.family, default: []].insert(url)
        }
        var accepted: Set<String> = []
        for (_, urls) in groups {
            let summaries = urls.compactMap { byURL[$0] }
            guard let template = summaries.first?.template else { continue }
            let familySize = families[template.family]?.count ?? urls.count
            let onMinorHost = minorHosts.contains(CanonicalURL.host(of: urls[0]) ?? "")
            let groupIsList = Self.isStoryGroup(
                summaries, template: template, familySize: familySize,
                onMinorHost: onMinorHost)
            for (url, summary) in zip(urls, summaries) {
                if groupIsList {
                    if summary.onlyInNavigation, summary.longestText < Self.headline { continue }
                    accepted.insert(url)
                } else if template.namesAnItem, !template.hasNonArticleWord, !summary.onlyInNavigation, !onMinorHost,
                    summary.longestText >= Self.longHeadline
                {
                    accepted.insert(url)
                }
            }
        }
        return accepted
    }

    /// Weighted text length of a typical headline, and of one long enough to stand on its own.
    static let headline = 20
    static let longHeadline = 40

    static func isStoryGroup(
        _ links: [LinkSummary], template: URLTemplate, familySize: Int,
        onMinorHost: Bool
    ) -> Bool {
        guard template.namesAnItem, !template.hasNonArticleWord, !links.isEmpty else { return false }
        let lengths = links.map(\.longestText).sorted()
        let median = lengths[lengths.count / 2]
        let count = Double(links.count)
        func share(_ predicate: (LinkSummary) -> Bool) -> Double { Double(links.filter(predicate).count) / count }
        var score = 0
        switch median {
        case 30...: score += 3
        case headline...: score += 2
        case 12...: score += 0
        default: score -= 3
        }
        if familySize >= 3 { score += 1 }
        if familySize >= 6 { score += 1 }
        if share({ $0.itemHasTime || $0.itemHasImage }) >= 0.3 { score += 1 }
        if share(\.inRepeatedItem) >= 0.5 { score += 1 }
        if share(\.onlyInNavigation) >= 0.6 { score -= 3 }
        if share(\.onlyInSidebar) >= 0.6 { score -= 1 }
        if onMinorHost { score -= 1 }
        return score >= 3
    }

    /// Every anchor pointing at one URL, summed up.
    struct LinkSummary {
        let template: URLTemplate
        var longestText = 0
        var onlyInNavigation = true
        var onlyInSidebar = true
        var inRepeatedItem = false
        var itemHasTime = false
        var itemHasImage = false

        init(template: URLTemplate) { self.template = template }

        mutating func add(_ anchor: Anchor, item: ItemContainer?) {
            longestText = max(longestText, HeadlineLength.of(anchor.node, item: item?.node))
            onlyInNavigation = onlyInNavigation && anchor.inNavigation
            onlyInSidebar = onlyInSidebar && (anchor.inSidebar || anchor.inNavigation)
            if let item {
                inRepeatedItem = inRepeatedItem || item.repeated
                itemHasTime = itemHasTime || item.hasTime
                itemHasImage = itemHasImage || item.hasImage
            }
        }
    }
}

/// The list item an anchor belongs to: the closest `li` or `article`, or the closest element repeated among its
/// siblings (same tag and class), within a few levels.
struct ItemContainer {
    let node: Node
    let repeated: Bool
    let hasTime: Bool
    let hasImage: Bool
}

/// Finds `ItemContainer`s, remembering what each parent's children look like and what each item holds, so a list
/// of a thousand items costs a thousand steps, not a million.
struct ItemContainers {
    private var siblingCounts: [Node: [String: Int]] = [:]
    private var contents: [Node: (time: Bool, image: Bool)] = [:]

    mutating func of(_ anchor: Node) -> ItemContainer? {
        var current: Node? = anchor
        for _ in 0..<6 {
            guard let node = current, let parent = node.parent, parent.isElement else { break }
            if node.tag == .li || node.tag == .article || (node.tag != .a && isRepeated(node, in: parent)) {
                let held =
                    contents[node] ?? (
                        node.first { $0.tag == .time } != nil,
                        node.first { $0.tag == .img || $0.tag == .picture } != nil
                    )
                contents[node] = held
                return ItemContainer(node: node, repeated: true, hasTime: held.time, hasImage: held.image)
            }
            current = parent
        }
        return nil
    }

    private mutating func isRepeated(_ node: Node, in parent: Node) -> Bool {
        let counts =
            siblingCounts[parent]
            ?? {
                var counts: [String: Int] = [:]
                for sibling in parent.elementChildren { counts[Self.signature(sibling), default: 0] += 1 }
                return counts
            }()
        siblingCounts[parent] = counts
        return (counts[Self.signature(node)] ?? 0) >= 3
    }

    private static func signature(_ node: Node) -> String {
        node.name + "." + (node.attribute("class") ?? "")
    }
}

/// How long an anchor's text reads: letters count 1, CJK ideographs, kana and hangul 3 (one carries a word).
/// An anchor without text (an image link, or an empty overlay over a whole teaser) is as long as its `title`, else
/// its image's `alt`, else the heading of its item (the teaser's headline).
enum HeadlineLength {
    static func of(_ anchor: Node, item: Node?) -> Int {
        var text = Normalize.whitespace(anchor.text)
        if text.isEmpty {
            text = anchor.attribute("title") ?? anchor.first { $0.tag == .img }?.attribute("alt") ?? ""
        }
        if text.isEmpty, let item {
            let heading = item.first { [.h1, .h2, .h3, .h4, .h5, .h6].contains($0.tag) }
            text = heading.map { Normalize.whitespace($0.text) } ?? ""
        }
        return weighted(text)
    }

    static func weighted(_ text: String) -> Int {
        var total = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x2FFFF:
                total += 3
            default:
                total += 1
            }
        }
        return total
    }
}

/// Every `a[href]` of a page with where it sits: in navigation (`nav`, `footer`, `role=navigation|contentinfo|
/// menubar`, or an element whose class or id names a menu, navigation, footer, breadcrumb or pagination) or in a
/// sidebar (`aside`, a `header` that is not an article's own). One walk, keeping a stack of open regions.
enum AnchorRegions {
    static func collect(_ root: Node) -> [(node: Node, inNavigation: Bool, inSidebar: Bool)] {
        var found: [(node: Node, inNavigation: Bool, inSidebar: Bool)] = []
        var stack: [(navigation: Bool, sidebar: Bool, story: Bool)] = [(false, false, false)]
        var verdicts: [String: Bool] = [:]  // class and id values repeat: judge each once
        root.walk(
            { node in
                guard node.isElement else { return .skipChildren }
                let outer = stack[stack.count - 1]
                let tag = node.tag
                if tag == .script || tag == .style || tag == .template || tag == .noscript {
                    return .skipChildren
                }
                let story = outer.story || tag == .article
                // Class and id words are read on block containers only: menus are lists and divs, not spans or links
                // (and a page has thousands of those).
                let container = Self.containers.contains(tag)
                let navigation =
                    outer.navigation || tag == .nav || tag == .footer
                    || (container && Self.namesNavigation(node, verdicts: &verdicts))
                let sidebar = outer.sidebar || tag == .aside || (tag == .header && !story)
                if tag == .a, node.hasAttribute("href") {
                    found.append((node, navigation, sidebar))
                }
                stack.append((navigation, sidebar, story))
                return .continue
            },
            exit: { _ in
                if stack.count > 1 { stack.removeLast() }
            })
        return found
    }

    private static let containers: TagSet = [.div, .ul, .ol, .section, .header, .aside, .menu, .table, .dl, .other]

    private static let navigationWords: Set<String> = [
        "nav", "navbar", "navigation", "menu", "submenu", "megamenu", "footer", "breadcrumb", "breadcrumbs",
        "pagination", "pager", "sitemap", "topnav", "subnav", "mainnav", "sitenav", "share", "social",
    ]

    private static func namesNavigation(_ node: Node, verdicts: inout [String: Bool]) -> Bool {
        if node.hasAttribute("role"), let role = node.attribute("role")?.lowercased(),
            role == "navigation" || role == "contentinfo" || role == "menubar" || role == "menu"
        {
            return true
        }
        for attribute in ["class", "id"] where node.hasAttribute(attribute) {
            guard let value = node.attribute(attribute), !value.isEmpty else { continue }
            if let known = verdicts[value] {
                if known { return true }
                continue
            }
            let verdict = value.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
                .contains { navigationWords.contains(String($0)) }
            verdicts[value] = verdict
            if verdict { return true }
        }
        return false
    }
}

/// Two hosts belong to one site when they share their registrable domain, approximated without a public-suffix list:
/// the last two labels, or three when the second-to-last is a generic second level under a country code
/// (`news.bbc.co.uk`, `sina.com.cn`). So `news.qq.com` and `new.qq.com`, `www.spiegel.de` and `abo.spiegel.de` are one
/// site; `example.co.uk` and `other.co.uk` are not.
enum SameSite {
    static func matches(_ a: String, _ b: String) -> Bool {
        registrableDomain(a) == registrableDomain(b)
    }

    static func registrableDomain(_ host: String) -> String {
        let labels = host.lowercased().split(separator: ".")
        guard labels.count > 2 else { return labels.joined(separator: ".") }
        let keep =
            labels[labels.count - 1].count == 2 && genericSecondLevels.contains(String(labels[labels.count - 2]))
            ? 3 : 2
        return labels.suffix(keep).joined(separator: ".")
    }

    private static let genericSecondLevels: Set<String> = [
        "co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "gob", "gv", "mil", "nic", "ltd", "plc",
    ]
}
