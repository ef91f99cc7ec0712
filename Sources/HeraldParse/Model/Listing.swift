import Foundation
import HeraldTime
import HeraldURL

/// An article link found on a listing page or in a feed.
package struct ListingLink: Sendable, Equatable, Hashable {
    /// Canonical URL (see `CanonicalURL`): the dedup key, known before any fetch.
    package var url: String
    /// The listing's own timestamp for the item (feed pubDate/updated, `<time datetime>` beside the link), if any.
    package var timestamp: Instant?

    package init(url: String, timestamp: Instant? = nil) {
        self.url = url
        self.timestamp = timestamp
    }
}

/// What one listing page or feed yields.
package struct Listing: Sendable, Equatable {
    /// Article links, de-duplicated, in document order.
    package var links: [ListingLink]
    /// The next page (`link[rel=next]`), absolute and canonical, when there is one.
    package var next: String?
    /// For full-text feeds: the articles carried by the items, keyed by the same canonical URLs as `links`.
    package var fullTextArticles: [ParsedArticle]
    /// The kind of document this was: the source's kind, or what `.auto` detected (never `.auto`).
    package var kind: ListingKind
    /// The document looked cut off (no closing `</html>`, `</rss>`, `</feed>`): the links are what the received bytes
    /// hold, and more may be missing.
    package var looksTruncated: Bool
    /// For a sitemap index: the sitemaps it lists (with their `lastmod`), newest first, for the crawl to follow.
    package var sitemaps: [ListingLink]
    /// A Google News sitemap (its entries carry `news:publication_date`).
    package var isNewsSitemap = false

    package init(
        links: [ListingLink] = [], next: String? = nil, fullTextArticles: [ParsedArticle] = [],
        kind: ListingKind = .html, looksTruncated: Bool = false, sitemaps: [ListingLink] = []
    ) {
        self.sitemaps = sitemaps
        self.links = links
        self.next = next
        self.fullTextArticles = fullTextArticles
        self.kind = kind
        self.looksTruncated = looksTruncated
    }
}

/// What kind of document a source's listing is.
package enum ListingKind: String, Sendable, Codable, CaseIterable {
    case html, rss, atom
    /// A sitemap (sitemaps.org `urlset` or `sitemapindex`, plain or gzip'd, Google News extensions read).
    case sitemap
    /// Decide from the Content-Type and the first bytes of the document.
    case auto
}
