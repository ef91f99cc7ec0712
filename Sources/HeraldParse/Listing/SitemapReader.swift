import Foundation
import HeraldTime
import HeraldURL

/// Sitemaps (sitemaps.org 0.9): a `<urlset>` of article URLs or a `<sitemapindex>` of further sitemaps, plain or
/// gzip'd, with Google News extensions (`news:publication_date`, `news:title`, `news:language`).
///
/// - Streamed (`XMLStream`): a 50,000-URL, 50 MB sitemap is never held as a tree. Only the `maxEntries` newest
///   entries are kept while reading, so memory is bounded by the limit, not by the file.
/// - Timestamp of an entry: the later of `lastmod` and `news:publication_date`: the listing timestamp the crawl's
///   dedup compares, so an entry whose dates did not move is never refetched.
/// - Order: newest first; entries without a date keep their document order after the dated ones.
/// - A sitemap index yields its child sitemaps (`Listing.sitemaps`, newest first) for the crawl to follow.
struct SitemapReader {
    let bytes: [UInt8]
    let url: String
    let filter: LinkFilter
    let maxEntries: Int
    /// Most bytes a gzip'd sitemap may inflate to (sitemaps.org caps a sitemap at 50 MB uncompressed).
    static let inflateLimit = 64 << 20

    func read() throws(ParseError) -> Listing {
        let listing = try XMLStream.reading(bytes, gzipped: Self.isGzip(bytes), inflateLimit: Self.inflateLimit) {
            stream throws(ParseError) in try read(stream)
        }
        guard let listing else { throw .unreadable(url: url, reason: "not a readable sitemap") }
        return listing
    }

    private func read(_ stream: XMLStream) throws(ParseError) -> Listing {
        var links = NewestEntries(limit: maxEntries)
        var children = NewestEntries(limit: maxEntries)
        var root: String?
        var entry: Entry?
        var field: String?
        var text = ""
        var order = 0
        var sawNews = false
        while let event = stream.next() {
            switch event {
            case let .start(name, namespace, isEmpty):
                if root == nil {
                    root = name
                    guard name == "urlset" || name == "sitemapindex" else {
                        throw .unreadable(url: url, reason: "not a sitemap (root element <\(name)>)")
                    }
                    continue
                }
                if name == "url" || name == "sitemap" {
                    entry = Entry(isSitemap: name == "sitemap")
                } else if entry != nil, !isEmpty, Self.fields.contains(name),
                    name != "title" || namespace?.contains("news") == true
                {
                    field = name
                    text = ""
                }
            case let .text(value):
                if field != nil { text += value }
            case let .end(name):
                if name == field {
                    if name == "publication_date" { sawNews = true }
                    entry?.set(name, Normalize.whitespace(text))
                    field = nil
                } else if name == "url" || name == "sitemap", let finished = entry {
                    entry = nil
                    order += 1
                    guard let loc = finished.loc, let canonical = CanonicalURL.resolve(loc, against: url) else {
                        continue
                    }
                    if finished.isSitemap {
                        children.add(ListingLink(url: canonical, timestamp: finished.timestamp), order: order)
                    } else if filter.accepts(canonical) {
                        links.add(ListingLink(url: canonical, timestamp: finished.timestamp), order: order)
                    }
                }
            }
        }
        if stream.failed { throw .unreadable(url: url, reason: "the gzip'd sitemap is corrupt, cut off or too big") }
        guard root != nil else { throw .unreadable(url: url, reason: "not a well-formed sitemap") }
        var listing = Listing(links: links.newestFirst, kind: .sitemap, sitemaps: children.newestFirst)
        listing.isNewsSitemap = sawNews
        return listing
    }

    /// gzip's magic bytes (a `.xml.gz` served as a file, without `Content-Encoding`, arrives compressed).
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count > 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    private static let fields: Set<String> = ["loc", "lastmod", "publication_date", "title"]

    private struct Entry {
        let isSitemap: Bool
        var loc: String?
        var lastModified: Instant?
        var published: Instant?

        var timestamp: Instant? {
            switch (lastModified, published) {
            case let (a?, b?): max(a, b)
            case let (a, b): a ?? b
            }
        }

        mutating func set(_ field: String, _ value: String) {
            switch field {
            case "loc": loc = value
            case "lastmod": lastModified = Timestamp.parse(value)
            case "publication_date": published = Timestamp.parse(value)
            default: break
            }
        }
    }
}

/// The `limit` newest links seen so far (by timestamp, then document order), kept in at most twice the limit: the
/// list is cut back whenever it doubles, so a 50,000-entry sitemap costs the memory of `2 × limit` entries.
struct NewestEntries {
    let limit: Int
    private var entries: [(link: ListingLink, order: Int)] = []

    init(limit: Int) { self.limit = max(1, limit) }

    mutating func add(_ link: ListingLink, order: Int) {
        entries.append((link, order))
        if entries.count >= 2 * limit { trim() }
    }

    var newestFirst: [ListingLink] {
        var copy = self
        copy.trim()
        return copy.entries.map(\.link)
    }

    private mutating func trim() {
        entries.sort { a, b in
            switch (a.link.timestamp, b.link.timestamp) {
            case let (x?, y?) where x != y: x > y
            case (_?, nil): true
            case (nil, _?): false
            default: a.order < b.order
            }
        }
        var seen: Set<String> = []
        entries = entries.filter { seen.insert($0.link.url).inserted }
        if entries.count > limit { entries.removeLast(entries.count - limit) }
    }
}

/// Links newest first by their listing timestamp; undated ones after, in their given order.
package enum NewestFirst {
    package static func sorted(_ links: [ListingLink]) -> [ListingLink] {
        links.enumerated().sorted { a, b in
            switch (a.element.timestamp, b.element.timestamp) {
            case let (x?, y?) where x != y: x > y
            case (_?, nil): true
            case (nil, _?): false
            default: a.offset < b.offset
            }
        }.map(\.element)
    }
}
