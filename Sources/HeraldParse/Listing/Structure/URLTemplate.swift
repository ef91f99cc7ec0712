import Foundation
import HeraldURL

/// The shape of a URL's path and query: fixed segments kept as they are, variable ones (ids, slugs, dates) replaced
/// by the kind of value they hold. Links to stories of one site share a template (`/articles/{id}/simp`,
/// `/{yyyy}/{nn}/{nn}/{slug}`, `/cn/中国/{date}-{slug}`); navigation links are mostly fixed paths (`/cn/中国/`).
///
/// Two levels: `key` keeps the fixed segments (one group per section: `/cn/中国/…` and `/cn/国际/…` differ), `family`
/// blurs fixed segments that sit before a variable one, so the sections of one site count together as "many
/// members" (`/cn/*/{date}-{slug}`).
struct URLTemplate: Hashable {
    enum Token: Hashable {
        case literal(String)
        case year, number2, date, number, id, slug, dateSlug
        case numberFile(String)  // 12345.html, 20240603123.shtml
        case idFile(String)  // c_1130123456.htm, slug-123.html
        case query(String)  // ?p={n}: the parameter's name

        /// Holds a value that names one story (not only a date: `/2024/06/03/` is a day's archive page).
        var namesAnItem: Bool {
            switch self {
            case .number, .id, .slug, .dateSlug, .numberFile, .idFile, .query: true
            case .literal, .year, .number2, .date: false
            }
        }

        var text: String {
            switch self {
            case let .literal(value): value
            case .year: "{yyyy}"
            case .number2: "{nn}"
            case .date: "{yyyymmdd}"
            case .number: "{n}"
            case .id: "{id}"
            case .slug: "{slug}"
            case .dateSlug: "{yyyymmdd}-{slug}"
            case let .numberFile(ext): "{n}.\(ext)"
            case let .idFile(ext): "{id}.\(ext)"
            case let .query(name): "?\(name)={n}"
            }
        }
    }

    let tokens: [Token]
    /// Lowercased decoded path segments (for the non-article words test).
    let words: [String]
    /// The host's labels before its registrable domain (`games` of `games.gmx.net`).
    let hostWords: [String]
    /// The path's segments as the URL writes them (percent-encoded), for the regular expressions `regex` writes.
    let rawSegments: [String]
    /// The path ends with `/`.
    let trailingSlash: Bool

    /// nil for URLs without a path (other schemes) or files that are not pages.
    /// - Parameter trackers: query parameters to leave out (`TrackingParameters`: a page's campaign codes).
    init?(url: String, ignoring trackers: Set<String> = []) {
        guard let pathAndQuery = CanonicalURL.pathAndQuery(of: url) else { return nil }
        let parts = pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts.first ?? "")
        let decoded = String(decoding: PercentEncoding.decode(Array(path.utf8)), as: UTF8.self)
        let segments = decoded.split(separator: "/").map(String.init)
        if let last = segments.last, let dot = last.lastIndex(of: "."),
            Self.nonPageExtensions.contains(last[last.index(after: dot)...].lowercased())
        {
            return nil
        }
        var tokens = segments.map(Self.token)
        var words = segments.map { $0.lowercased() }
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(nameValue[0]).lowercased()
                let value = nameValue.count > 1 ? nameValue[1] : ""
                if trackers.contains(name) { continue }
                words.append(name)
                if !value.isEmpty, value.allSatisfy(\.isASCIIDigit) || Self.isMixedID(String(value)) {
                    tokens.append(.query(name))
                } else {
                    tokens.append(.literal("?\(name)=\(value)"))
                }
            }
        }
        self.tokens = tokens
        self.words = words
        // The host's own words (`games.gmx.net`, `shop.zeit.de`), below its registrable domain.
        let host = Self.host(of: url)
        let labels = host.split(separator: ".").map(String.init)
        let own = labels.count - SameSite.registrableDomain(host).split(separator: ".").count
        hostWords = Array(labels.prefix(max(0, own)))
        rawSegments = path.split(separator: "/").map(String.init)
        trailingSlash = path.hasSuffix("/") && path.count > 1
    }

    var key: String { "/" + tokens.map(\.text).joined(separator: "/") + (trailingSlash ? "/" : "") }

    /// The host of a canonical absolute URL by slicing (it is already lowercased and checked): no second parse.
    private static func host(of url: String) -> String {
        guard let start = url.range(of: "://")?.upperBound else { return "" }
        let authority = url[start...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let withoutUser = authority.split(separator: "@").last ?? authority
        return String(withoutUser.prefix { $0 != ":" })
    }

    /// `key` with the fixed segments blurred when a later segment names an item (sections of one site together).
    var family: String {
        guard let last = tokens.lastIndex(where: \.namesAnItem) else { return key }
        let blurred = tokens.enumerated().map { index, token -> String in
            if case .literal = token, index > 0, index < last { return "*" }
            return token.text
        }
        return "/" + blurred.joined(separator: "/")
    }

    /// A regular expression (NSRegularExpression syntax) for the path and query of URLs of this template, the
    /// family's blurred literals as any segment: `/cn/[^/?#]+/[0-9]{8}-[^/?#]+`. Literals match case-insensitively.
    func regex(blurred: Bool) -> String {
        let last = tokens.lastIndex(where: \.namesAnItem)
        var path: [String] = []
        var lookaheads: [String] = []
        for (index, token) in tokens.enumerated() {
            switch token {
            case let .query(name):
                lookaheads.append("(?=[^#]*[?&]\(NSRegularExpression.escapedPattern(for: name))=)")
                continue
            case let .literal(value) where value.hasPrefix("?"):
                let name = String(value.dropFirst().prefix { $0 != "=" })
                lookaheads.append("(?=[^#]*[?&]\(NSRegularExpression.escapedPattern(for: name))=)")
                continue
            case .literal:
                if blurred, let last, index > 0, index < last {
                    path.append("[^/?#]+")
                } else {
                    path.append(
                        index < rawSegments.count
                            ? NSRegularExpression.escapedPattern(for: rawSegments[index])
                            : "[^/?#]+")
                }
            case .year: path.append("[0-9]{4}")
            case .number2: path.append("[0-9]{1,2}")
            case .date: path.append("[0-9]{8}")
            case .number: path.append("[0-9]+")
            case .id, .slug: path.append("[^/?#]+")
            case .dateSlug: path.append("[0-9]{8}-[^/?#]+")
            case let .numberFile(ext): path.append("[0-9]+\\.\(NSRegularExpression.escapedPattern(for: ext))")
            case let .idFile(ext): path.append("[^/?#]+\\.\(NSRegularExpression.escapedPattern(for: ext))")
            }
        }
        return lookaheads.joined() + "/" + path.joined(separator: "/") + (trailingSlash ? "/" : "") + "(?:\\?[^#]*)?"
    }

    /// Some segment names one story (an id, a slug, a numbered file, an id parameter).
    var namesAnItem: Bool { tokens.contains(where: \.namesAnItem) }

    /// A segment or parameter says this is not a story: a tag, topic, author, login, paging, shop or game link
    /// (`listWords`, anywhere in the path), or a service page (`serviceWords`, in the last two segments only: a site's
    /// weather or deals section holds stories below it). The segment that names the item also counts when it starts
    /// with such a word and a separator (`/impressum/autor-0ab8…`, `/kolumne-uwe-vorkoetter/`; not
    /// `/kolumne-uwe-vorkoetter/id_123/slug`, a column's story).
    var hasNonArticleWord: Bool {
        if hostWords.contains(where: { Self.listWords.contains($0) || Self.serviceWords.contains($0) }) { return true }
        let itemIndex = tokens.lastIndex(where: \.namesAnItem)
        for (index, word) in words.enumerated() {
            let stem = word.split(separator: ".").first.map(String.init) ?? word
            if Self.listWords.contains(word) || Self.listWords.contains(stem) { return true }
            if index >= words.count - 2, Self.serviceWords.contains(word) || Self.serviceWords.contains(stem) {
                return true
            }
            if index == itemIndex, let separator = word.firstIndex(where: { $0 == "-" || $0 == "_" }) {
                let head = String(word[..<separator])
                if Self.listWords.contains(head) || Self.serviceWords.contains(head) { return true }
            }
        }
        return false
    }

    /// Paths with a segment in this list lead to lists of stories, to people, to the site's own pages or services,
    /// not to a story. Words of several languages, because a site's path words are its language's.
    static let listWords: Set<String> = [
        // lists of stories
        "tag", "tags", "topic", "topics", "category", "categories", "keyword", "keywords", "label", "labels",
        "archive", "archives", "search", "page", "paged", "feed", "rss", "special", "specials", "zt", "zhuanti",
        "serie", "series", "thema", "themen", "schlagwort", "tema", "temas", "sujet", "sujets", "关键词", "标签", "专题",
        // people
        "author", "authors", "autor", "autoren", "auteur", "people", "person", "columnist", "columnists", "kolumne",
        "contributor", "contributors", "writer", "writers", "profile", "user", "users", "member", "作者",
        // the site's own pages and services
        "login", "signin", "sign-in", "logout", "signup", "register", "account", "impressum", "imprint",
        "shop", "store", "download", "downloads", "stellenanzeigen",
        // not stories
        "games", "spiele", "jeux", "juegos", "horoscope", "horoscopes", "horoskop", "puzzles", "crossword", "raetsel",
    ]

    /// Service pages when they end a path (`/about`, `/weather/`, `/deals/amex-platinum`), sections above stories
    /// when they do not (`/panorama/wetter/id_123/slug`).
    static let serviceWords: Set<String> = [
        "login", "signin", "sign-in", "logout", "signup", "register", "subscribe", "subscription", "account", "abo",
        "about", "about-us", "contact", "contact-us", "kontakt", "impressum", "imprint", "privacy", "datenschutz",
        "terms", "agb", "cookies", "newsletter", "newsletters", "help", "faq", "jobs", "careers", "stellenanzeigen",
        "advertise", "shop", "store", "deals", "download", "downloads", "weather", "wetter", "lotto", "casino",
        "ergebnisse", "results", "scores", "standings", "live-tv", "schedule", "schedules",
    ]

    private static let nonPageExtensions: Set<String> = [
        "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "mp3", "mp4", "m4a", "webm", "pdf", "zip", "xml", "rss",
        "json", "css", "js", "txt", "avif",
    ]

    private static func token(_ segment: String) -> Token {
        let lower = segment.lowercased()
        if !lower.isEmpty, lower.allSatisfy(\.isASCIIDigit) {
            switch lower.count {
            case 4 where lower.hasPrefix("19") || lower.hasPrefix("20"): return .year
            case 1...2: return .number2
            case 8 where lower.hasPrefix("19") || lower.hasPrefix("20"): return .date
            default: return .number
            }
        }
        if let dot = lower.lastIndex(of: "."), dot != lower.startIndex {
            let stem = String(lower[..<dot])
            let ext = String(lower[lower.index(after: dot)...])
            if !stem.isEmpty, stem.allSatisfy(\.isASCIIDigit) { return .numberFile(ext) }
            if longestDigitRun(stem) >= 5 || isMixedID(stem) || slugWords(stem) >= 3 { return .idFile(ext) }
            return .literal(lower)
        }
        // 20231028-slug (RFI and others): a date then words.
        if lower.count > 9, lower.prefix(8).allSatisfy(\.isASCIIDigit), lower.dropFirst(8).first == "-" {
            return .dateSlug
        }
        if longestDigitRun(lower) >= 5 { return .id }
        if isMixedID(lower) { return .id }
        if slugWords(lower) >= 3 { return .slug }
        // A long run of CJK (or other non-ASCII letters) is a title slug.
        if lower.unicodeScalars.filter({ !$0.isASCII }).count >= 8 { return .slug }
        return .literal(lower)
    }

    /// Letters and digits mixed, no separators, 8+ characters: generated ids (`c4n8g5y0lp2o`, `a1b2c3d4`, uuids).
    static func isMixedID(_ text: String) -> Bool {
        guard text.count >= 8 else { return false }
        var letters = 0
        var digits = 0
        for character in text {
            if character.isASCIIDigit {
                digits += 1
            } else if character.isASCII, character.isLetter {
                letters += 1
            } else if character != "-" {
                return false
            }
        }
        return digits >= 2 && letters >= 1 && (text.contains("-") ? text.count >= 32 : true)
    }

    private static func longestDigitRun(_ text: String) -> Int {
        var best = 0
        var run = 0
        for character in text {
            run = character.isASCIIDigit ? run + 1 : 0
            best = max(best, run)
        }
        return best
    }

    private static func slugWords(_ text: String) -> Int {
        text.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "+" }).filter { !$0.isEmpty }.count
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// Query parameters that a page attaches to links of every kind (campaign and placement codes: `?mc=85000314`,
/// `?wt_mc=…`), as opposed to ids (`?p=123` on one path with many values). A parameter is a tracker when it rides
/// on three or more different paths with, on average, fewer than two values per path.
enum TrackingParameters {
    static func find(in urls: [String]) -> Set<String> {
        var usage: [String: [String: Set<Substring>]] = [:]  // name → path → values
        for url in urls where url.contains("?") {
            guard let pathAndQuery = CanonicalURL.pathAndQuery(of: url),
                let question = pathAndQuery.firstIndex(of: "?")
            else { continue }
            let path = String(pathAndQuery[..<question])
            for pair in pathAndQuery[pathAndQuery.index(after: question)...].split(separator: "&") {
                let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                usage[nameValue[0].lowercased(), default: [:]][path, default: []]
                    .insert(nameValue.count > 1 ? nameValue[1] : "")
            }
        }
        return Set(
            usage.compactMap { name, paths in
                let values = paths.values.map(\.count).reduce(0, +)
                return paths.count >= 3 && Double(values) / Double(paths.count) < 2 ? name : nil
            })
    }
}
