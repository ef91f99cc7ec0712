import Foundation

/// One article as extracted from a page or a full-text feed item: what the store keeps and `herald parse --json` prints.
///
/// Times are instants (UTC when printed). Text fields are decoded and whitespace-normalised; `bodyHTML` is the cleaned
/// body (content tags only, absolute URLs) and `bodyText` its plain text, one block per line.
package struct ParsedArticle: Sendable, Equatable {
    /// The canonical form of the URL the article was fetched from (the dedup key).
    package var url: String
    /// What the page itself declares (`link[rel=canonical]`, then og:url), as declared.
    package var canonicalURL: String?
    /// The publisher's own id (RFI: the datalayer `content_id`).
    package var contentID: String?
    package var title: String
    package var section: String?
    package var authors: [String]
    package var publishedAt: Date?
    package var modifiedAt: Date?
    package var lead: String?
    /// og:image (or the profile's equivalent), verbatim.
    package var imageURL: String?
    package var imageCaption: String?
    package var tags: [String]
    package var bodyHTML: String
    package var bodyText: String
    /// The lead exactly as the page has it, decoded but not normalised (RFI's chapo ends with 8 spaces, which the
    /// seed export format keeps: `<p><strong>` + leadVerbatim + `</strong></p>`). nil when there is no lead element.
    package var leadVerbatim: String?
    /// The document looked cut off (no closing `</html>`/`</body>`, or it ends mid-tag): an incomplete fetch. The
    /// fields are what the received bytes hold; the crawl should log it and store nothing.
    package var looksTruncated: Bool

    package init(
        url: String, canonicalURL: String? = nil, contentID: String? = nil, title: String,
        section: String? = nil, authors: [String] = [], publishedAt: Date? = nil, modifiedAt: Date? = nil,
        lead: String? = nil, imageURL: String? = nil, imageCaption: String? = nil, tags: [String] = [],
        bodyHTML: String, bodyText: String, leadVerbatim: String? = nil, looksTruncated: Bool = false
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
        self.imageURL = imageURL
        self.imageCaption = imageCaption
        self.tags = tags
        self.bodyHTML = bodyHTML
        self.bodyText = bodyText
        self.leadVerbatim = leadVerbatim
        self.looksTruncated = looksTruncated
    }
}
