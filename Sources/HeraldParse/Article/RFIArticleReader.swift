import HeraldArticle
import HeraldURL

/// RFI's article pages, field by field (fixtures README "Article page anatomy").
struct RFIArticleReader {
    let page: HTMLPage
    let metadata: PageMetadata
    let url: String

    func read() throws(ParseError) -> ParsedArticle {
        guard let root = page.document.root else { throw .unreadable(url: url, reason: "empty document") }
        guard let article = metadata.articles.first(where: { $0.hasAttribute("data-article-content") }) else {
            let reason =
                metadata.meta("og:type").map(ASCII.lowercased) == "website"
                ? "og:type is website and there is no article[data-article-content]"
                : "no article[data-article-content]"
            throw .notAnArticle(url: url, reason: reason)
        }
        // JSON-LD is only a fallback for the dates: parse it only if the meta tags lack them.
        var jsonLDCache: JSONLDArticle??
        var jsonLD: JSONLDArticle? {
            if jsonLDCache == nil { jsonLDCache = .some(JSONLDArticle.find(in: metadata.jsonScripts)) }
            return jsonLDCache!
        }

        let heading = article.first { $0.tag == .h1 && $0.hasClass("t-content__title") }
        let title =
            heading.map { Normalize.whitespace($0.text) }
            ?? [metadata.meta("og:title"), metadata.title].compactMap { $0.map(Normalize.whitespace) }.first ?? ""
        guard !title.isEmpty else { throw .notAnArticle(url: url, reason: "no h1.t-content__title") }

        let chapo = article.first { $0.tag == .p && $0.hasClass("t-content__chapo") }
        let datesTime = article.first { $0.hasClass("t-content__dates") }?
            .first { $0.tag == .time && $0.hasAttribute("datetime") }?.attribute("datetime")
        let published =
            metadata.meta("article:published_time").flatMap(Timestamp.parse)
            ?? jsonLD?.datePublished.flatMap(Timestamp.parse) ?? datesTime.flatMap(Timestamp.parse)
        let modified =
            metadata.meta("article:modified_time").flatMap(Timestamp.parse)
            ?? jsonLD?.dateModified.flatMap(Timestamp.parse)

        // Programme episodes put the author block after the body, so search the whole article.
        let authors = article.all { $0.tag == .a && $0.hasClass("m-from-author__name") }
            .map { Normalize.whitespace($0.attribute("title") ?? $0.text) }.filter { !$0.isEmpty }

        let caption = article.first { $0.hasClass("t-content__main-media") }
            .flatMap { media in media.first { $0.tag == .figcaption && $0.hasClass("a-figcaption") } }
            .flatMap { caption in caption.elementChildren.first { $0.tag == .span } }
            .map { Normalize.whitespace($0.text) }

        // The tag list sits after </article>; the header's nav uses the same a-hot-tag class, so scope by container.
        let tags =
            root.first { $0.hasClass("t-content__tags") }
            .map { list in list.all { $0.tag == .a && $0.hasClass("a-hot-tag") } }?
            .map { Normalize.whitespace($0.text) }.filter { !$0.isEmpty } ?? []

        let body =
            article.first { $0.tag == .div && $0.hasClass("t-content__body") }
            ?? root.first { $0.tag == .div && $0.hasClass("t-content__body") }
        let cleaned = body.map { BodyCleaner(options: .init(baseURL: baseURL)).clean($0) } ?? (html: "", text: "")

        let extracted = Article(
            url: CanonicalURL.canonicalize(url) ?? url,
            canonicalURL: metadata.canonical ?? metadata.meta("og:url"),
            contentID: DataLayer.contentID(in: metadata.jsonScripts),
            title: title,
            section: metadata.meta("article:section").map(Normalize.whitespace),
            authors: authors,
            publishedAt: published,
            modifiedAt: modified,
            lead: chapo.map { Normalize.whitespace($0.text) },
            leadVerbatim: chapo?.text,
            imageURL: metadata.meta("og:image"),
            imageCaption: caption,
            tags: tags,
            bodyHTML: cleaned.html,
            bodyText: cleaned.text)
        return ParsedArticle(extracted, looksTruncated: page.looksTruncated)
    }

    /// Relative links in the body resolve against the first `<base href>` (itself resolved against the page URL).
    private var baseURL: String {
        metadata.baseHref.flatMap { LinkResolver.absolute($0, base: url) } ?? url
    }
}
