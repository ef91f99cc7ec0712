import Foundation
import HeraldURL

/// Which canonical URLs of a listing are articles.
enum LinkFilter: Sendable {
    /// A source's `linkPattern`, or a profile's default (NSRegularExpression syntax, matched against the whole
    /// canonical absolute URL; anchor it yourself).
    case pattern(NSRegularExpression)
    /// The old generic default: `GenericArticleURL`, a guess from each URL's shape alone (kept for feeds' and
    /// custom profiles' `links` results, and as the benchmark's baseline).
    case articleLooking
    /// HTML listings without a `linkPattern`: the page's structure decides (`StructuralLinkFinder`). Asked about one
    /// URL on its own (outside an HTML page), it falls back to the URL-shape guess.
    case structural
    /// Every URL (feeds without a `linkPattern`: every item is an article).
    case all

    func accepts(_ url: String) -> Bool {
        switch self {
        case let .pattern(regex):
            regex.firstMatch(in: url, range: NSRange(url.startIndex..., in: url)) != nil
        case .articleLooking, .structural:
            GenericArticleURL.looksLikeArticle(url)
        case .all:
            true
        }
    }

    /// RFI: `/cn/<section>/<yyyymmdd>-<slug>` or `/cn/专栏检索/<programme>/<yyyymmdd>-<slug>` (fixtures README
    /// "expected/listings.json", rule 6), with any query (tracking parameters are already gone).
    static let rfiArticlePattern =
        #"^https?://[^/?#]+/cn/(?:%E4%B8%93%E6%A0%8F%E6%A3%80%E7%B4%A2/[^/?#]+|[^/?#]+)/[0-9]{8}-[^/?#]+(?:\?[^#]*)?$"#

    static func compile(_ pattern: String) throws(ParseError) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern)
        } catch {
            throw .badLinkPattern(pattern: pattern, reason: "\(error)")
        }
    }
}

/// The generic profile's idea of an article URL, for sites nobody configured.
///
/// Accepts a path whose last segment looks like a story: it holds a run of 5+ digits (an id or a `yyyymmdd` date),
/// or at least three words joined by `-` or `_` (a slug), or the path has a `/yyyy/mm/` date. Rejects the root,
/// paths through tag/category/author/search/page/feed-like segments, and files that are not pages (images, media,
/// feeds, scripts, PDFs).
enum GenericArticleURL {
    private static let nonArticleSegments: Set<String> = [
        "tag", "tags", "topic", "topics", "category", "categories", "author", "authors", "search", "page", "feed",
        "rss", "login", "signin", "signup", "register", "subscribe", "account", "about", "contact", "privacy",
        "terms", "cookies", "newsletter", "newsletters", "archive", "archives",
    ]

    private static let nonPageExtensions: Set<String> = [
        "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "mp3", "mp4", "m4a", "webm", "pdf", "zip", "xml", "rss",
        "json", "css", "js", "txt",
    ]

    static func looksLikeArticle(_ url: String) -> Bool {
        guard let pathAndQuery = CanonicalURL.pathAndQuery(of: url) else { return false }
        let path = pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let decoded = String(decoding: PercentEncoding.decode(Array(path.utf8)), as: UTF8.self).lowercased()
        let segments = decoded.split(separator: "/").map(String.init)
        guard let last = segments.last else { return false }
        if segments.contains(where: { nonArticleSegments.contains($0) }) { return false }
        if let dot = last.lastIndex(of: "."), nonPageExtensions.contains(String(last[last.index(after: dot)...])) {
            return false
        }
        let digitRun = last.split(whereSeparator: { !$0.isASCII || !$0.isNumber }).map(\.count).max() ?? 0
        if digitRun >= 5 { return true }
        let stem = last.split(separator: ".").first.map(String.init) ?? last
        if stem.split(whereSeparator: { $0 == "-" || $0 == "_" }).count >= 3 { return true }
        // /2024/06/03/slug
        let numeric = segments.dropLast().map { $0.allSatisfy(\.isNumber) ? $0.count : 0 }
        return zip(numeric, numeric.dropFirst()).contains { $0 == 4 && $1 <= 2 && $1 > 0 }
    }
}
