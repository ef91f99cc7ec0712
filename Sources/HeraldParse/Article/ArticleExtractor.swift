import HeraldURL

/// Bytes of an article page in, a `ParsedArticle` out. Holds no document, so one extractor can serve every worker.
package struct ArticleExtractor: Sendable {
    package let profile: Profile

    /// Checks a custom profile's XPath expressions; `.badXPath` names the first that does not compile.
    package init(profile: Profile) throws(ParseError) {
        if case let .custom(xpaths) = profile.kind {
            try Self.validate(xpaths)
        }
        self.profile = profile
    }

    /// - Parameters:
    ///   - body: the raw HTTP body bytes (any encoding; see `Charset`).
    ///   - contentType: the HTTP `Content-Type` header, or nil.
    ///   - url: the canonical URL fetched: the base for relative links, stored (canonicalised) as `ParsedArticle.url`.
    /// - Throws: `.notAnArticle` for pages that hold no article, `.unreadable` for empty or unparsable input.
    ///   A page that looks cut off is still extracted, with `looksTruncated` set.
    package func extract(body: [UInt8], contentType: String?, url: String) throws(ParseError) -> ParsedArticle {
        try extract(body: body, contentType: contentType, pageURL: url)
    }

    /// As above; with `pageURL` nil the page's own declaration (`link rel=canonical`, then og:url) is its URL, for
    /// pages saved to disk (`herald parse`). Without either, relative links stay unresolved.
    package func extract(body: [UInt8], contentType: String?, pageURL: String?) throws(ParseError) -> ParsedArticle {
        let label = pageURL ?? "(saved page)"
        guard !body.isEmpty else { throw .unreadable(url: label, reason: "empty body") }
        // The generic profile reads a known set of attributes; the others never reach libxml2.
        let readAttributesOnly = if case .generic = profile.kind { true } else { false }
        guard
            let page = HTMLPage.load(
                body: body, contentType: contentType, furniture: furniture, readAttributesOnly: readAttributesOnly)
        else {
            throw .unreadable(url: label, reason: "no HTML document could be built")
        }
        let metadata = PageMetadata(document: page.document)
        let url = pageURL ?? (metadata.canonical ?? metadata.meta("og:url")).flatMap(CanonicalURL.canonicalize) ?? ""
        switch profile.kind {
        case .rfi:
            return try RFIArticleReader(page: page, metadata: metadata, url: url).read()
        case .generic:
            return try GenericArticleReader(page: page, metadata: metadata, url: url).read()
        case let .custom(xpaths):
            return try CustomArticleReader(xpaths: xpaths, page: page, metadata: metadata, url: url).read()
        }
    }

    /// Page furniture outside `<article>` the profile never reads, removed before parsing (`ContentStripper`).
    /// RFI's header, nav, aside (related articles) and footer hold nothing the profile reads; the generic profile
    /// keeps headers and footers (titles, dates and JSON-LD sometimes live there); custom XPaths see everything.
    private var furniture: Set<ContentStripper.Furniture> {
        switch profile.kind {
        case .rfi: [.header, .nav, .aside, .footer]
        case .generic: [.nav, .aside]
        case .custom: []
        }
    }

    static func validate(_ xpaths: Profile.CustomXPaths) throws(ParseError) {
        let expressions =
            [
                xpaths.title, xpaths.published, xpaths.modified, xpaths.authors, xpaths.lead, xpaths.image,
                xpaths.body, xpaths.links,
            ].compactMap { $0 } + xpaths.remove
        for expression in expressions where !XPath.compiles(expression) {
            throw .badXPath(expression: expression, reason: "libxml2 cannot compile it")
        }
    }
}
