/// A search result: the article, a snippet with the matches between the caller's markers, and the bm25 score
/// (lower is better; nil when the query had to scan instead of using the index).
public struct SearchHit: Sendable, Equatable {
    public var article: ArticleSummary
    public var snippet: String
    public var score: Double?
}
