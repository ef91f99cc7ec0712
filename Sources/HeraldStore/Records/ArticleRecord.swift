import HeraldArticle

/// An article as the crawl hands it to the store: the article, the source whose pass fetched it, and its content
/// hash. Its fields read as the article's own (`record.title`; see `ArticleWrapper`).
package struct ArticleRecord: ArticleWrapper, Sendable, Equatable {
    package var source: String
    package var article: Article
    /// What decides "changed" (computed by the crawl from the visible content; equal hash = nothing new to store).
    package var contentHash: String

    package init(source: String, article: Article, contentHash: String) {
        self.source = source
        self.article = article
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
