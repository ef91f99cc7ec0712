/// Why a document yielded no article or no listing. Each case says enough for a log line and the status socket.
package enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The page parsed but holds no article (e.g. a section page or a video page).
    case notAnArticle(url: String, reason: String)
    /// The document could not be parsed at all (empty, not HTML/XML).
    case unreadable(url: String, reason: String)
    /// A custom profile's XPath expression does not compile.
    case badXPath(expression: String, reason: String)
    /// A source's `linkPattern` is not a valid regular expression (NSRegularExpression syntax).
    case badLinkPattern(pattern: String, reason: String)

    package var description: String {
        switch self {
        case let .notAnArticle(url, reason): "not an article: \(url): \(reason)"
        case let .unreadable(url, reason): "unreadable document: \(url): \(reason)"
        case let .badXPath(expression, reason): "bad XPath \(expression): \(reason)"
        case let .badLinkPattern(pattern, reason): "bad link pattern \(pattern): \(reason)"
        }
    }
}
