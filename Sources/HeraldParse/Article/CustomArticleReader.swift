import HeraldArticle
import HeraldURL

/// A site described by XPath expressions in the config (`profiles`). Each expression runs on the whole document;
/// string results are used as they are, node sets by their text (attributes by their value). A field whose
/// expression is unset, or finds nothing, falls back to the generic profile.
///
/// The document is the stripped one (`ContentStripper`): expressions cannot see non-JSON scripts, styles, SVG or
/// comments.
struct CustomArticleReader {
    let xpaths: Profile.CustomXPaths
    let page: HTMLPage
    let metadata: PageMetadata
    let url: String

    func read() throws(ParseError) -> ParsedArticle {
        let generic = GenericArticleReader(page: page, metadata: metadata, url: url)
        let title = strings(xpaths.title).first ?? generic.title
        guard !title.isEmpty else { throw .notAnArticle(url: url, reason: "title XPath and fallbacks found nothing") }

        let container: Node?
        if let expression = xpaths.body {
            guard let node = nodes(expression).first(where: \.isElement) else {
                throw .notAnArticle(url: url, reason: "body XPath \(expression) matched nothing")
            }
            container = node
        } else {
            try generic.checkArticleLike()
            container = generic.bodyContainer()
        }
        let removed = Set(xpaths.remove.flatMap(nodes))
        var options = generic.cleanerOptions(removed: removed)
        options.dropFurniture = xpaths.body == nil  // an explicit body is trusted; `remove` says what to drop
        let cleaned = container.map { BodyCleaner(options: options).clean($0) } ?? (html: "", text: "")

        let authors = strings(xpaths.authors)
        let lead = strings(xpaths.lead).first ?? generic.lead
        let article = Article(
            url: CanonicalURL.canonicalize(url) ?? url, canonicalURL: generic.canonicalURL, contentID: nil,
            title: title, section: generic.section, authors: authors.isEmpty ? generic.authors : authors,
            publishedAt: strings(xpaths.published).lazy.compactMap(Timestamp.parse).first ?? generic.publishedAt,
            modifiedAt: strings(xpaths.modified).lazy.compactMap(Timestamp.parse).first ?? generic.modifiedAt,
            lead: lead, leadVerbatim: lead,
            imageURL: strings(xpaths.image).first.flatMap { LinkResolver.absolute($0, base: url) }
                ?? generic.imageURL,
            imageCaption: nil, tags: generic.tags, bodyHTML: cleaned.html, bodyText: cleaned.text)
        return ParsedArticle(article, looksTruncated: page.looksTruncated)
    }

    /// Non-empty normalised strings of an expression's result.
    private func strings(_ expression: String?) -> [String] {
        guard let expression, let value = XPath.evaluate(expression, in: page.document) else { return [] }
        return value.strings.map(Normalize.whitespace).filter { !$0.isEmpty }
    }

    private func nodes(_ expression: String) -> [Node] {
        guard case let .nodes(nodes)? = XPath.evaluate(expression, in: page.document) else { return [] }
        return nodes
    }
}
