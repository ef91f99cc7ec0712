import HeraldTime

/// One article: what a page says, in the one set of names every layer uses.
///
/// The parser fills it (`ParsedArticle` adds whether the page looked cut off), the crawl hands it to the store
/// (`ArticleRecord` adds the source and the content hash), the store hands it back (`ArchivedArticle` adds the row's
/// id and its fetch times), and `herald parse --json`, `show`, the exports and the docs print these fields. Where a
/// column or a JSON key must keep an older name, docs/schema.md's table maps property → column → JSON key.
///
/// Times are `Instant`s (whole seconds, UTC). Text fields are decoded and whitespace-normalised; `bodyHTML` is the
/// cleaned body (content tags only, absolute URLs) and `bodyText` its plain text, one block per line.
package struct Article: Sendable, Equatable {
    /// The canonical form of the URL the article was fetched from (the dedup key).
    package var url: String
    /// What the page itself declares (`link[rel=canonical]`, then og:url), as declared.
    package var canonicalURL: String?
    /// The publisher's own id (RFI: the datalayer `content_id`).
    package var contentID: String?
    package var title: String
    package var section: String?
    package var authors: [String]
    package var publishedAt: Instant?
    package var modifiedAt: Instant?
    package var lead: String?
    /// The lead exactly as the page has it, decoded but not normalised (RFI's chapo ends with 8 spaces, which the
    /// seed export format keeps: `<p><strong>` + leadVerbatim + `</strong></p>`). nil when there is no lead element.
    package var leadVerbatim: String?
    /// og:image (or the profile's equivalent), verbatim.
    package var imageURL: String?
    package var imageCaption: String?
    package var tags: [String]
    package var bodyHTML: String
    package var bodyText: String

    package init(
        url: String, canonicalURL: String? = nil, contentID: String? = nil, title: String,
        section: String? = nil, authors: [String] = [], publishedAt: Instant? = nil, modifiedAt: Instant? = nil,
        lead: String? = nil, leadVerbatim: String? = nil, imageURL: String? = nil, imageCaption: String? = nil,
        tags: [String] = [], bodyHTML: String, bodyText: String
    ) {
        self.url = url
        self.canonicalURL = canonicalURL
        self.contentID = contentID
        self.title = title
        self.section = section
        self.authors = authors
        self.publishedAt = publishedAt
        self.modifiedAt = modifiedAt
        self.lead = lead
        self.leadVerbatim = leadVerbatim
        self.imageURL = imageURL
        self.imageCaption = imageCaption
        self.tags = tags
        self.bodyHTML = bodyHTML
        self.bodyText = bodyText
    }

    /// The URL to show people and to link to: the page's declared canonical URL, else the one Herald followed.
    package var displayURL: String { canonicalURL ?? url }
}

/// A type that is an `Article` plus what one layer adds around it (`ParsedArticle`, `ArticleRecord`,
/// `ArchivedArticle`). The protocol is `@dynamicMemberLookup`, so `record.title` reads (and writes) the
/// article's own field: the names are declared once, here, and not copied into each wrapper.
@dynamicMemberLookup
package protocol ArticleWrapper {
    var article: Article { get set }
}

extension ArticleWrapper {
    package subscript<Value>(dynamicMember keyPath: WritableKeyPath<Article, Value>) -> Value {
        get { article[keyPath: keyPath] }
        set { article[keyPath: keyPath] = newValue }
    }

    package subscript<Value>(dynamicMember keyPath: KeyPath<Article, Value>) -> Value {
        article[keyPath: keyPath]
    }
}
