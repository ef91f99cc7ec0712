import Foundation
import HeraldTime
import HeraldURL

/// RSS 2.0 (and RSS 1.0) and Atom 1.0 feeds, parsed with libxml2's XML parser.
///
/// - Links: RSS `<link>` (else a permalink `<guid>`), Atom `<link rel="alternate" href>` (or a link with no `rel`).
///   They resolve against the feed URL and are canonicalised, so IRIs (feedx's raw UTF-8 paths) become
///   percent-encoded URLs with uppercase hex. No same-host rule: feeds link to the publisher's canonical host.
/// - Timestamps: Atom `updated`, else `published`; RSS `pubDate`, else `dc:date`.
/// - `next`: a feed-level `atom:link rel="next"` (RFC 5005), canonical.
/// - Full text (`fullText`): each item's HTML (RSS `content:encoded`, else `description`; Atom `content`, else
///   `summary`) becomes a `ParsedArticle` through `FullTextItem`.
struct FeedReader {
    let bytes: [UInt8]
    let kind: ListingKind
    let url: String
    let profile: Profile
    let filter: LinkFilter
    let fullText: Bool

    func read() throws(ParseError) -> Listing {
        let prepared = XMLBytes.prepare(bytes)
        guard let document = MarkupDocument.xml(prepared.bytes, encoding: prepared.encoding), document.root != nil
        else {
            throw .unreadable(url: url, reason: "not a well-formed \(kind.rawValue) feed")
        }
        let items: [Node]
        switch XPath.evaluate(kind == .atom ? "//atom:entry" : "//item | //rss1:item", in: document) {
        case let .nodes(nodes)?: items = nodes
        default: items = []
        }
        var links: [ListingLink] = []
        var articles: [ParsedArticle] = []
        var seen: Set<String> = []
        for element in items {
            let item = FeedItem(element, atom: kind == .atom)
            guard let link = item.link, let canonical = CanonicalURL.resolve(link, against: url),
                filter.accepts(canonical), seen.insert(canonical).inserted
            else { continue }
            links.append(ListingLink(url: canonical, timestamp: item.listingTimestamp))
            if fullText, let html = item.html {
                articles.append(FullTextItem(item: item, html: html, url: canonical, profile: profile).article())
            }
        }
        let truncated = Truncation.looksTruncated(bytes, closingTags: ["rss", "feed", "rdf:rdf"])
        return Listing(
            links: links, next: nextPage(in: document), fullTextArticles: articles, kind: kind,
            looksTruncated: truncated)
    }

    /// RFC 5005 paging: the feed-level `<atom:link rel="next" href>` (Atom feeds, and RSS feeds that borrow it).
    private func nextPage(in document: MarkupDocument) -> String? {
        let expression = "/atom:feed/atom:link[@rel='next']/@href | /rss/channel/atom:link[@rel='next']/@href"
        guard case let .nodes(nodes)? = XPath.evaluate(expression, in: document), let node = nodes.first else {
            return nil
        }
        return CanonicalURL.resolve(XPath.stringValue(node), against: url)
    }
}

/// The fields of one `<item>` / `<entry>`, read from its child elements by local name.
struct FeedItem {
    private(set) var title: String?
    private(set) var link: String?
    private(set) var html: String?
    private(set) var published: Instant?
    private(set) var updated: Instant?
    private(set) var authors: [String] = []
    private(set) var category: String?
    /// RSS `guid isPermaLink="false"`: the publisher's id.
    private(set) var identifier: String?
    let atom: Bool

    /// The timestamp the crawl compares: Atom `updated` (else `published`), RSS `pubDate` (else `dc:date`).
    var listingTimestamp: Instant? { atom ? (updated ?? published) : published }

    init(_ element: Node, atom: Bool) {
        self.atom = atom
        var permalink: String?
        var summary: String?
        var encoded: String?
        var dcDate: Instant?
        for child in element.elementChildren {
            let text = { Normalize.whitespace(child.text) }
            switch child.name {
            case "title": title = text()
            case "link":
                if atom || child.namespace == XPath.atomNamespace {
                    let rel = child.attribute("rel") ?? "alternate"
                    if rel == "alternate", link == nil, let href = child.attribute("href") { link = href }
                } else if link == nil {
                    link = text()
                }
            case "guid":
                if child.attribute("isPermaLink")?.lowercased() == "false" {
                    identifier = text()
                } else {
                    permalink = text()
                }
            case "description", "summary": summary = child.text
            case "encoded", "content": encoded = child.text
            case "pubDate", "published": published = Timestamp.parse(text())
            case "date": dcDate = Timestamp.parse(text())
            case "updated", "modified": updated = Timestamp.parse(text())
            case "creator": authors.append(text())
            case "author":
                let name = child.elementChildren.first { $0.name == "name" }.map { Normalize.whitespace($0.text) }
                authors.append(name ?? text())
            case "category":
                if category == nil { category = child.attribute("term").map(Normalize.whitespace) ?? text() }
            default: break
            }
        }
        if link == nil || link?.isEmpty == true { link = permalink }
        if published == nil { published = dcDate }
        html = encoded ?? summary
        authors = authors.filter { !$0.isEmpty }
    }
}

/// Bytes handed to libxml2's XML parser. A feed declared (or defaulting to) UTF-8 is repaired here, so an invalid
/// byte becomes U+FFFD instead of ending the parse; other declared encodings are left to libxml2.
enum XMLBytes {
    static func prepare(_ bytes: [UInt8]) -> (bytes: [UInt8], encoding: String?) {
        if let bom = Charset.byteOrderMark(bytes), bom.encoding.isUTF16 { return (bytes, nil) }
        let head = String(decoding: bytes.prefix(200), as: UTF8.self)
        if let declaration = head.range(of: "encoding=") {
            let rest = head[declaration.upperBound...].dropFirst()
            let label = rest.prefix { $0 != "\"" && $0 != "'" }
            if let encoding = TextEncoding(label: String(label)), encoding != .utf8 { return (bytes, nil) }
        }
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let repaired = bytes.withUnsafeBufferPointer {
            Charset.decode(UnsafeBufferPointer(rebasing: $0[start...]), as: .utf8)
        }
        return (repaired, "UTF-8")
    }
}
