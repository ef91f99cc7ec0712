import HeraldTime

/// An article as the crawl hands it to the store. Times are ISO 8601 UTC text (`2023-10-28T09:52:00Z`), as stored.
package struct ArticleRecord: Sendable, Equatable {
    package var source: String
    /// The dedup key: canonical form of the URL that was followed.
    package var url: String
    /// What the page declares, as declared.
    package var canonicalURL: String?
    package var contentID: String?
    package var title: String
    package var section: String?
    package var authors: [String]
    package var publishedAt: String?
    package var modifiedAt: String?
    package var lead: String?
    /// The lead exactly as the page has it (decoded, whitespace untouched): what the seed export writes.
    package var leadVerbatim: String?
    package var imageURL: String?
    package var imageCaption: String?
    package var bodyHTML: String
    package var bodyText: String
    package var tags: [String]
    /// What decides "changed" (computed by the crawl from the visible content; equal hash = nothing new to store).
    package var contentHash: String

    package init(
        source: String, url: String, canonicalURL: String?, contentID: String?, title: String,
        section: String?, authors: [String], publishedAt: String?, modifiedAt: String?, lead: String?,
        imageURL: String?, imageCaption: String?, bodyHTML: String, bodyText: String, tags: [String],
        contentHash: String, leadVerbatim: String? = nil
    ) {
        self.source = source
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
        self.bodyHTML = bodyHTML
        self.bodyText = bodyText
        self.tags = tags
        self.contentHash = contentHash
    }
}

/// What `save` did.
package enum SaveOutcome: Sendable, Equatable {
    case inserted(id: Int64)
    /// The content changed: a new revision is now the article's latest.
    case revised(id: Int64, revision: Int)
    /// Same content hash as the stored latest revision: nothing stored but timestamps.
    case unchanged(id: Int64)
    /// The URL is another spelling of a stored article (same declared canonical URL): recorded as an alias.
    case aliased(id: Int64)
    /// The URL belongs to an article retention deleted (a tombstone): nothing stored, so it stays deleted.
    case pruned

    /// The stored article the outcome is about (none for `.pruned`).
    package var articleID: Int64? {
        switch self {
        case let .inserted(id), let .revised(id, _), let .unchanged(id), let .aliased(id): id
        case .pruned: nil
        }
    }
}
