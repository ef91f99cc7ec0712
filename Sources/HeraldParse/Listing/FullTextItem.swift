import HeraldArticle
import HeraldURL

/// A full-text feed item as an article, without fetching the page (fixtures README "Full-text ingestion from
/// feedx" and "Relation to feedx").
///
/// feedx's item HTML is `<div>date</div><img src><p><strong>lead</strong></p><div>body…</div><div>share…</div>`:
/// - image: the first `<img src>`, verbatim;
/// - lead: the text of the first `<p>` that starts with `<strong>`, normalised (rule N); `leadVerbatim` keeps it as is;
/// - body: the `<div>` right after that paragraph, cleaned exactly like a page body, so `bodyHTML` is the export's
///   body and `bodyText` (and its SHA-256) equals the page's;
/// - title, URL (IRI → percent-encoded), published, authors and section come from the item.
/// An item whose HTML has no such lead paragraph is taken whole as the body. Outside the `rfi` profile, an item whose
/// layout is not feedx's (the lead paragraph not followed by a `<div>`, or a body with no text) goes whole through
/// the generic cleaner, so malformed item HTML (a live blog's loose list items) keeps every text block.
struct FullTextItem {
    let item: FeedItem
    let html: String
    /// The item's canonical URL.
    let url: String
    let profile: Profile

    func article() -> ParsedArticle {
        let document = MarkupDocument.html(utf8: ContentStripper.strip(Array(html.utf8)))
        let body = document?.root?.first { $0.tag == .body } ?? document?.root
        let image = body?.first { $0.tag == .img && $0.hasAttribute("src") }?.attribute("src")
        let leadParagraph = body?.first { node in
            node.tag == .p && node.elementChildren.first?.tag == .strong
        }
        var leadText = leadParagraph?.elementChildren.first?.text
        var container = body
        if let leadParagraph {
            if let next = leadParagraph.nextElementSibling, next.tag == .div {
                container = next
            } else {
                container = nil
            }
        }
        var options = BodyCleaner.Options(baseURL: url)
        options.selfPromoMarkers = profile.kind == .rfi
        var cleaned = container.map { BodyCleaner(options: options).clean($0) } ?? (html: "", text: "")
        if profile.kind != .rfi, container == nil || cleaned.text.isEmpty, let body {
            // Not feedx's layout (a live blog: list items after a "关注焦点：" paragraph, outside any div): the whole
            // item is the body, through the generic cleaner, so no text block is lost.
            cleaned = Self.genericClean(body, baseURL: url)
            leadText = nil
        }
        let article = Article(
            url: url,
            canonicalURL: item.link.map(IRI.toURI),
            contentID: item.identifier,
            title: item.title ?? "",
            section: item.category,
            authors: item.authors,
            publishedAt: item.published ?? item.updated,
            modifiedAt: item.atom ? item.updated : nil,
            lead: leadText.map(Normalize.whitespace),
            leadVerbatim: leadText,
            imageURL: image,
            imageCaption: nil,
            tags: [],
            bodyHTML: cleaned.html,
            bodyText: cleaned.text)
        return ParsedArticle(article)
    }
}

extension FullTextItem {
    /// Every block of the item outside furniture (share bars, ads), with the generic profile's block rules.
    static func genericClean(_ root: Node, baseURL: String) -> (html: String, text: String) {
        let map = ContentMap(root: root)
        var options = BodyCleaner.Options(baseURL: baseURL, selfPromoMarkers: false, dropClasses: [])
        options.pruned = map.pruned
        options.genericBlockRules = true
        return BodyCleaner(options: options).clean(root)
    }
}
