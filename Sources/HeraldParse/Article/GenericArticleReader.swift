import Foundation
import HeraldArticle
import HeraldTime
import HeraldURL

/// Any news site, without configuration. Metadata: JSON-LD first (`NewsArticle` and kin, also inside `@graph` or
/// arrays), then OpenGraph and `article:*` meta, Dublin Core, then `<time datetime>`, then the page itself (`h1`,
/// `<title>` without the site name). Body: `GenericBody` (main block, JSON-LD `articleBody`, baseline; docs/extraction.md).
///
/// Not an article (`ParseError.notAnArticle`), decided by content: no title at all; an empty body after every
/// fallback; or no article marker (JSON-LD article, `og:type=article`, `article:published_time`, `<article>`) and under
/// `minimumArticleText` characters of body text. `og:type=website` alone decides nothing.
struct GenericArticleReader {
    let page: HTMLPage
    let metadata: PageMetadata
    let url: String
    let jsonLD: JSONLDArticle?
    /// The `<article>` with the most paragraph text, if any has some.
    let mainArticle: Node?
    /// The page's microdata (`itemprop` outside `<meta>`).
    let microdata: Microdata
    /// The headline element, found once (`headlineNode`).
    private let headlineCache = HeadlineCache()

    private final class HeadlineCache {
        var node: Node?? = nil
        /// The title, computed once: `read()` and `headlineNode` both ask (speed: it was computed twice per page).
        var title: String?
    }

    static let minimumUnmarkedTextLength = 200

    init(page: HTMLPage, metadata: PageMetadata, url: String) {
        self.page = page
        self.metadata = metadata
        self.url = url
        jsonLD = JSONLDArticle.find(in: metadata.jsonScripts)
        mainArticle =
            metadata.articles.map { ($0, DensityScorer.paragraphTextLength(in: $0)) }
            .filter { $0.1 > 0 }.max { $0.1 < $1.1 }?.0
        microdata = Microdata(nodes: metadata.itemprops)
    }

    func read() throws(ParseError) -> ParsedArticle {
        let title = self.title
        let body = extractBody(title: title)
        try checkArticle(title: title, body: body)
        let article = Article(
            url: CanonicalURL.canonicalize(url) ?? url, canonicalURL: canonicalURL, contentID: nil, title: title,
            section: section, authors: authors, publishedAt: publishedAt, modifiedAt: modifiedAt, lead: lead,
            leadVerbatim: lead, imageURL: imageURL, imageCaption: imageCaption, tags: tags, bodyHTML: body.html,
            bodyText: body.text)
        return ParsedArticle(article, looksTruncated: page.looksTruncated)
    }

    /// The body from the page's `<body>` (or root), with the headline candidates dropped where they repeat.
    func extractBody(title: String) -> GenericBody {
        guard let root = metadata.body ?? page.document.root else {
            return GenericBody(html: "", text: "", source: .mainBlock, length: 0)
        }
        var headlines = Set(
            [jsonLD?.headline, metadata.meta("og:title"), metadata.title, firstHeading]
                .compactMap { $0.map(Normalize.whitespace) }.filter { !$0.isEmpty })
        headlines.insert(title)
        return GenericBody.extract(root: root, jsonLDBody: jsonLD?.articleBody, headlines: headlines, baseURL: baseURL)
    }

    /// "Not an article", decided by content: a page whose body has `minimumArticleText` characters or more is an
    /// article whatever its `og:type` says; below that, a page with no article markup (an index, a tag page, an error
    /// page, an empty shell) is not, and neither is a page with no body text at all.
    func checkArticle(title: String, body: GenericBody) throws(ParseError) {
        guard !title.isEmpty else { throw .notAnArticle(url: url, reason: "no title (JSON-LD, og:title, h1, title)") }
        let length = body.length
        if length == 0 {
            throw .notAnArticle(
                url: url,
                reason: "empty body: the main block, the JSON-LD articleBody and the "
                    + "page's paragraphs hold no text")
        }
        if length < Self.minimumArticleText, !hasArticleMarkers {
            throw .notAnArticle(
                url: url,
                reason: "no article markup and only \(length) characters of text "
                    + "(\(Self.minimumArticleText) make an article)")
        }
    }

    /// A URL slug given as a headline (`adac-kindersitztest-herbst-2018`): no space, words joined by hyphens.
    static func looksLikeSlug(_ value: String) -> Bool {
        value.utf8.count > 12 && !value.contains(" ") && value.contains("-") && value.lowercased() == value
    }

    /// Characters (CJK counted twice) that make a page an article without any article markup.
    static let minimumArticleText = 200

    private var firstHeading: String? {
        (mainArticle ?? metadata.body ?? page.document.root)?.first { $0.tag == .h1 }?.text
    }

    func checkArticleLike() throws(ParseError) {
        if metadata.meta("og:type").map(ASCII.lowercased) == "website", jsonLD == nil, metadata.articles.isEmpty {
            throw .notAnArticle(url: url, reason: "og:type is website and there is no <article> or JSON-LD article")
        }
    }

    var hasArticleMarkers: Bool {
        jsonLD != nil || !metadata.articles.isEmpty || metadata.meta("article:published_time") != nil
            || metadata.meta("og:type").map(ASCII.lowercased) == "article"
    }

    func cleanerOptions(removed: Set<Node> = []) -> BodyCleaner.Options {
        BodyCleaner.Options(baseURL: baseURL, selfPromoMarkers: false, dropFurniture: true, removed: removed)
    }

    var baseURL: String {
        metadata.baseHref.flatMap { LinkResolver.absolute($0, base: url) } ?? url
    }

    // MARK: Fields

    /// JSON-LD `headline`, og:title, twitter:title, microdata `headline`, the first `h1`, `<title>`; character
    /// references decoded; without the site's name (`TitleCleaner.removeSiteName`: "Headline | Site" when the suffix
    /// is `og:site_name`, names the host, is a date, or the `h1` is the part before it).
    var title: String {
        if let cached = headlineCache.title { return cached }
        let found = findTitle()
        headlineCache.title = found
        return found
    }

    private func findTitle() -> String {
        let heading = {
            (mainArticle ?? page.document.root)?.first { $0.tag == .h1 }.map { Normalize.whitespace($0.text) }
        }
        let candidates: [() -> String?] = [
            { jsonLD?.headline }, { metadata.meta("og:title") },
            { metadata.meta("twitter:title") }, { microdata.headline }, heading, { metadata.title },
        ]
        var slug: String?
        for candidate in candidates {
            guard let value = candidate().map({ TitleCleaner.decodeEntities(Normalize.whitespace($0)) }),
                !value.isEmpty
            else { continue }
            if Self.looksLikeSlug(value) {
                slug = slug ?? value  // a slug is a title only when nothing better exists
                continue
            }
            let host = (canonicalURL.flatMap { AbsoluteURL($0) } ?? AbsoluteURL(url))?.host
            return TitleCleaner.removeSiteName(
                value, siteName: metadata.meta("og:site_name").map(TitleCleaner.decodeEntities), host: host,
                heading: heading)
        }
        return slug ?? ""
    }

    /// The metadata's date (JSON-LD, meta, microdata), else a `<time datetime>`, else the date in the page's URL
    /// (canonical, og:url), else the date printed on the page (`VisibleDate`), else the page's only date, its
    /// modification date. Never in the future (a day's grace for time zones).
    var publishedAt: Instant? {
        let now = Instant.now
        let tomorrow = now.adding(seconds: 86400)
        let fromMeta = [
            jsonLD?.datePublished, metadata.meta("article:published_time"), metadata.meta("datepublished"),
            metadata.meta("pubdate"), metadata.meta("publishdate"), metadata.meta("dc.date.issued"),
            metadata.meta("date"), metadata.meta("dc.date"), metadata.meta("dcterms.created"),
            microdata.datePublished,
        ]
        .lazy.compactMap { $0.flatMap(Self.parseDate) }.first { $0 < tomorrow }
        if let fromMeta { return fromMeta }
        // Any JSON-LD object's date: parses the scripts again, so only when the rest of the metadata has none.
        if let fromJSON = JSONLDArticle.anyDatePublished(in: metadata.jsonScripts).flatMap(Self.parseDate),
            fromJSON < tomorrow
        {
            return fromJSON
        }
        // The searches below walk the page: only when the metadata has no date.
        if let time = timeElement(preferPublished: true).flatMap(Self.parseDate), time < tomorrow {
            return time
        }
        // A loop, not a lazy chain (speed: the chain's nested generic type was instantiated at run time, 665 K
        // instructions over the 19 pages of a 52-page sample that got this far).
        for page in [metadata.canonical, metadata.meta("og:url"), url] {
            if let page, let fromURL = VisibleDate.fromURL(page, now: now) { return fromURL }
        }
        if let scope = mainArticle ?? metadata.body ?? page.document.root,
            let visible = VisibleDate.find(in: scope, headline: headlineNode, monthFirst: monthFirst, now: now)
        {
            return visible
        }
        return modifiedAt.flatMap { $0 < tomorrow ? $0 : nil }
    }

    /// A machine date (ISO 8601, RFC 822), else one written for readers ("5. März 2024") in a `content` attribute.
    private static func parseDate(_ text: String) -> Instant? {
        Timestamp.parse(text) ?? VisibleDate.parse(text)
    }

    /// `3/5/2024` is March 5 on pages in US English (`lang="en"`, `en-US`), 3 May elsewhere.
    private var monthFirst: Bool {
        guard let lang = page.document.root?.attribute("lang").map(ASCII.lowercased) else { return false }
        return lang == "en" || lang == "en-us"
    }

    /// The page's headline element: the first `h1` of the main `<article>` (else of the page) whose text is the
    /// title (a site's logo is often an `h1` too), else the first `h1`. Found once per page, when a rule asks.
    private var headlineNode: Node? {
        if let cached = headlineCache.node { return cached }
        guard let scope = mainArticle ?? metadata.body ?? page.document.root else { return nil }
        let found = Self.headline(in: scope, title: title)
        headlineCache.node = .some(found)
        return found
    }

    private static func headline(in scope: Node, title: String) -> Node? {
        let headings = scope.all { $0.tag == .h1 }
        guard headings.count > 1 else { return headings.first }
        let title = Normalize.whitespace(title).lowercased()
        return headings.first { heading in
            let text = Normalize.whitespace(heading.text).lowercased()
            return !text.isEmpty && (text == title || title.contains(text) || text.contains(title))
        } ?? headings.first
    }

    var modifiedAt: Instant? {
        [
            jsonLD?.dateModified, metadata.meta("article:modified_time"), metadata.meta("og:updated_time"),
            metadata.meta("datemodified"), microdata.dateModified,
        ]
        .lazy.compactMap { $0.flatMap(Timestamp.parse) }.first
    }

    /// JSON-LD authors, else `<meta name=author>`, `article:author`, Dublin Core `dc.creator`, else microdata
    /// (`itemprop=author`), else the byline printed on the page (`Byline`); "By …" prefixes removed.
    var authors: [String] {
        let fromJSON = (jsonLD?.authors ?? []).map(TitleCleaner.author).filter { !$0.isEmpty }
        if !fromJSON.isEmpty { return fromJSON }
        let fromMeta =
            (metadata.allMeta("author") + metadata.allMeta("article:author") + metadata.allMeta("dc.creator"))
            .map(TitleCleaner.author).filter { !$0.isEmpty && !$0.hasPrefix("http") }
        var seen = Set<String>()
        let unique = fromMeta.filter { seen.insert($0).inserted }
        if !unique.isEmpty { return unique }
        if !microdata.authors.isEmpty { return microdata.authors }
        guard let scope = mainArticle ?? metadata.body ?? page.document.root else { return [] }
        return Byline.find(in: scope, headline: headlineNode)
    }

    var lead: String? {
        [jsonLD?.description, metadata.meta("og:description"), metadata.meta("description")]
            .lazy.compactMap { $0.map(Normalize.whitespace) }.first { !$0.isEmpty }
    }

    var imageURL: String? {
        [jsonLD?.image, metadata.meta("og:image"), metadata.meta("twitter:image"), microdata.image].lazy
            .compactMap { $0 }.first
    }

    /// The lead image's caption: JSON-LD `image.caption`, else `LeadImage`'s (the first `<figure>` with an image and
    /// a caption at the top of the article).
    var imageCaption: String? {
        if let caption = jsonLD?.imageCaption { return caption }
        guard let scope = mainArticle ?? metadata.body ?? page.document.root else { return nil }
        return LeadImage.caption(in: scope, headline: headlineNode)
    }

    var section: String? {
        [jsonLD?.section, metadata.meta("article:section")].lazy.compactMap { $0.map(Normalize.whitespace) }
            .first { !$0.isEmpty }
    }

    var tags: [String] {
        let fromJSON = jsonLD?.keywords ?? []
        if !fromJSON.isEmpty { return fromJSON }
        return metadata.allMeta("article:tag").map(Normalize.whitespace).filter { !$0.isEmpty }
    }

    var canonicalURL: String? { metadata.canonical ?? metadata.meta("og:url") }

    // MARK: Body

    /// The densest text block inside the main `<article>` when it holds most of the article's text (that drops the
    /// article's header and byline), else the `<article>` itself; without an `<article>`, the densest block of the page.
    func bodyContainer() -> Node? {
        guard let root = page.document.root else { return nil }
        if let article = mainArticle {
            guard let best = DensityScorer.bestContainer(in: article) else { return article }
            let share =
                Double(DensityScorer.paragraphTextLength(in: best))
                / Double(max(1, DensityScorer.paragraphTextLength(in: article)))
            return share >= 0.6 ? best : article
        }
        return DensityScorer.bestContainer(in: metadata.body ?? root)
    }

    /// `<time datetime>`: one marked as the publication time (`pubdate`, `itemprop=datePublished`) first.
    private func timeElement(preferPublished: Bool) -> String? {
        guard let scope = mainArticle ?? metadata.body ?? page.document.root else { return nil }
        let times = scope.all { $0.tag == .time && $0.hasAttribute("datetime") }
        let marked = times.first { $0.hasAttribute("pubdate") || $0.attribute("itemprop") == "datePublished" }
        return (marked ?? times.first)?.attribute("datetime")
    }
}
