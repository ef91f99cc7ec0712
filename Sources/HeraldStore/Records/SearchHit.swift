/// A search result: the article, a snippet with the matches between the caller's markers, and the bm25 score
/// (lower is better; nil when the query had to scan instead of using the index).
package struct SearchHit: Sendable, Equatable {
    package var article: ArticleSummary
    package var snippet: String
    package var score: Double?
}
