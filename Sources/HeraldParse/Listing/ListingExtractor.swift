import Foundation
import HeraldURL

/// Bytes of a listing (HTML page or feed) in, article links out. Holds no document, so it can be shared.
package struct ListingExtractor: Sendable {
    package let kind: ListingKind
    package let profile: Profile
    package let fullText: Bool
    /// Sitemaps: how many entries one sitemap yields at most, the newest (a pass fetches at most
    /// `maxArticlesPerPass` articles, so the crawl sets that). Other kinds list every link they hold.
    package var maxSitemapEntries = 50_000
    private let filter: LinkFilter
    /// Feeds are filtered only by an explicit pattern: every item of a feed is an article.
    private let feedFilter: LinkFilter

    /// - Parameters:
    ///   - linkPattern: a regular expression (NSRegularExpression syntax) matched against each canonical absolute
    ///     URL; nil = the profile's default (rfi: RFI's article paths; generic: the page's structure,
    ///     `StructuralLinkFinder`; custom: every link its `links` XPath finds, else the structure).
    ///   - fullText: feed items carry the article HTML; `Listing.fullTextArticles` holds them.
    /// - Throws: `.badLinkPattern` for a pattern that does not compile, `.badXPath` for a custom profile's bad XPath.
    ///   - genericLinks: how HTML listings without a pattern pick their article links: by the page's structure (the
    ///     default), or by each URL's shape alone (the rule structure replaced; kept as the benchmark's baseline).
    package init(
        kind: ListingKind, profile: Profile, linkPattern: String?, fullText: Bool,
        genericLinks: GenericLinkRule = .structure
    ) throws(ParseError) {
        let generic: LinkFilter = genericLinks == .structure ? .structural : .articleLooking
        self.kind = kind
        self.profile = profile
        self.fullText = fullText
        if let linkPattern {
            let regex = try LinkFilter.compile(linkPattern)
            filter = .pattern(regex)
            feedFilter = .pattern(regex)
        } else {
            switch profile.kind {
            case .rfi: filter = .pattern(try LinkFilter.compile(LinkFilter.rfiArticlePattern))
            case .generic: filter = generic
            case let .custom(xpaths):
                try ArticleExtractor.validate(xpaths)
                filter = xpaths.links == nil ? generic : .all
            }
            feedFilter = .all
        }
    }

    /// - Parameters:
    ///   - body: the raw HTTP body bytes.
    ///   - contentType: the HTTP `Content-Type` header, or nil.
    ///   - url: the listing's URL as fetched (base of relative links; its host is the "same site" of HTML listings).
    /// - Throws: `.unreadable` for an empty body or a feed that is not XML.
    package func extract(body: [UInt8], contentType: String?, url: String) throws(ParseError) -> Listing {
        try extract(body: body, contentType: contentType, pageURL: url)
    }

    /// As above; with `pageURL` nil an HTML listing's own `link rel=canonical` (or og:url) is its URL, for pages saved
    /// to disk (`herald parse --listing`). Feeds link absolutely and need no base.
    package func extract(body: [UInt8], contentType: String?, pageURL: String?) throws(ParseError) -> Listing {
        let label = pageURL ?? "(saved page)"
        guard !body.isEmpty else { throw .unreadable(url: label, reason: "empty body") }
        let actual = kind == .auto ? Self.detectKind(body: body, contentType: contentType) : kind
        switch actual {
        case .sitemap:
            return try SitemapReader(
                bytes: body, url: pageURL ?? "", filter: feedFilter,
                maxEntries: maxSitemapEntries
            ).read()
        case .rss, .atom:
            return try FeedReader(
                bytes: body, kind: actual, url: pageURL ?? "", profile: profile, filter: feedFilter,
                fullText: fullText
            ).read()
        case .html, .auto:
            guard let page = HTMLPage.load(body: body, contentType: contentType) else {
                throw .unreadable(url: label, reason: "no HTML document could be built")
            }
            let url =
                pageURL
                ?? {
                    let metadata = PageMetadata(document: page.document)
                    return (metadata.canonical ?? metadata.meta("og:url")).flatMap(CanonicalURL.canonicalize) ?? ""
                }()
            return HTMLListingReader(page: page, url: url, profile: profile, filter: filter).read()
        }
    }

    /// What a listing is, from its first element (after any BOM, XML declaration, comments and doctype), else from
    /// the Content-Type: `<rss>`/`<rdf:RDF>` → rss, `<feed>` → atom, `<urlset>`/`<sitemapindex>` (or gzip'd bytes)
    /// → sitemap, otherwise html. The bytes win over the header because servers label feeds `text/html` or
    /// `application/xml` indiscriminately.
    package static func detectKind(body: [UInt8], contentType: String?) -> ListingKind {
        if SitemapReader.isGzip(body) { return .sitemap }
        switch FirstElement.name(in: body) {
        case "rss", "rdf:rdf": return .rss
        case "feed": return .atom
        case "urlset", "sitemapindex": return .sitemap
        case "html", "head", "body": return .html
        default: break
        }
        let type = contentType.map(ASCII.lowercased) ?? ""
        if type.contains("atom") { return .atom }
        if type.contains("rss") || type.contains("xml") && !type.contains("html") { return .rss }
        return .html
    }
}

/// How HTML listings without a `linkPattern` choose their article links.
package enum GenericLinkRule: Sendable {
    /// `StructuralLinkFinder`: URL templates, DOM position and item scoring.
    case structure
    /// `GenericArticleURL`: each URL's shape alone (the rule before issue 11).
    case urlShape
}

/// The lowercased name of a document's first element.
enum FirstElement {
    static func name(in bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { buffer -> String? in
            let scanner = MarkupScanner(UnsafeBufferPointer(rebasing: buffer.prefix(4096)))
            var i = 0
            while let lt = scanner.find(UInt8(ascii: "<"), from: i) {
                if scanner.isCommentStart(at: lt) {
                    i = scanner.endOfComment(from: lt)
                    continue
                }
                guard let next = scanner.byte(at: lt + 1) else { return nil }
                if next == UInt8(ascii: "?") || next == UInt8(ascii: "!") {
                    i = scanner.endOfTag(from: lt + 2)
                    continue
                }
                guard ASCII.isAlpha(next) else { return nil }
                return String(decoding: scanner.tagName(at: lt + 1).name, as: UTF8.self)
            }
            return nil
        }
    }
}
