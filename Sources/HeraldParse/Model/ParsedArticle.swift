import HeraldArticle

/// What the parser returns for an article page: the article, and whether the page looked cut off. Its fields read as
/// the article's own (`parsed.title`; see `ArticleWrapper`).
package struct ParsedArticle: ArticleWrapper, Sendable, Equatable {
    package var article: Article
    /// The document looked cut off (no closing `</html>`/`</body>`, or it ends mid-tag): an incomplete fetch. The
    /// fields are what the received bytes hold; the crawl should log it and store nothing.
    package var looksTruncated: Bool

    package init(_ article: Article, looksTruncated: Bool = false) {
        self.article = article
        self.looksTruncated = looksTruncated
    }
}
