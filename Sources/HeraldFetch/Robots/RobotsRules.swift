import Foundation
import HeraldURL

/// The rules of one robots.txt that apply to one crawler (RFC 9309).
///
/// - Groups: consecutive `User-agent` lines open a group; the rules after them belong to it. Every group naming our
///   product token (case-insensitive) is merged; if none does, every `*` group is merged; if neither exists,
///   everything is allowed.
/// - Matching: on the percent-encoded path (plus query), with both sides normalised the same way: non-ASCII and
///   unsafe octets percent-encoded with uppercase hex, `%XX` of unreserved characters decoded. `*` matches any
///   run of octets, a final `$` anchors the end. The longest matching pattern wins; on a tie `Allow` wins.
/// - `Crawl-delay` (not in the RFC, widely used) is kept from the chosen groups.
package struct RobotsRules: Sendable, Equatable {
    package struct Rule: Sendable, Equatable {
        package let allow: Bool
        /// Normalised pattern (may contain `*` and a final `$`).
        package let pattern: String

        package init(allow: Bool, pattern: String) {
            self.allow = allow
            self.pattern = RobotsRules.normalise(pattern)
        }
    }

    package let rules: [Rule]
    /// Seconds between requests the site asks for, if it says.
    package let crawlDelay: TimeInterval?

    package static let allowAll = RobotsRules(rules: [], crawlDelay: nil)
    package static let disallowAll = RobotsRules(rules: [Rule(allow: false, pattern: "/")], crawlDelay: nil)

    package init(rules: [Rule], crawlDelay: TimeInterval?) {
        self.rules = rules
        self.crawlDelay = crawlDelay
    }

    /// Parses robots.txt `text` for the crawler whose User-Agent is `userAgent` (its product token is the part
    /// before the first `/` or space: `Herald/0.1 (+url)` → `herald`). RFC 9309 asks parsers to read at least
    /// 500 KiB; the rest is ignored.
    package init(parsing text: String, userAgent: String) {
        let token = Self.productToken(userAgent)
        var groups: [Group] = []
        var current: Group?
        var lastLineWasAgent = false

        for rawLine in Self.lines(text) {
            guard let (key, value) = Self.keyValue(rawLine) else { continue }
            switch key {
            case "user-agent", "useragent", "user agent":
                if !lastLineWasAgent {
                    if let current { groups.append(current) }
                    current = Group()
                }
                current?.agents.append(Self.productToken(value))
                lastLineWasAgent = true
            case "allow", "disallow":
                lastLineWasAgent = false
                // An empty pattern matches nothing (RFC 9309 §2.2.2): `Disallow:` alone allows everything.
                guard !value.isEmpty else { continue }
                current?.rules.append(Rule(allow: key == "allow", pattern: value))
            case "crawl-delay":
                lastLineWasAgent = false
                if let seconds = Double(value), seconds.isFinite, seconds >= 0 { current?.crawlDelay = seconds }
            default:
                continue  // Sitemap and unknown keys belong to no group and change nothing.
            }
        }
        if let current { groups.append(current) }

        var chosen = groups.filter { $0.agents.contains(token) }
        if chosen.isEmpty { chosen = groups.filter { $0.agents.contains("*") } }
        rules = chosen.flatMap(\.rules)
        crawlDelay = chosen.compactMap(\.crawlDelay).max()
    }

    /// Whether `url` (absolute, or a path with optional query) may be fetched.
    package func isAllowed(_ url: String) -> Bool {
        let target = Self.normalise(Self.pathAndQuery(url))
        if target == "/robots.txt" { return true }  // RFC 9309 §2.2.2: always accessible
        var best: Rule?
        for rule in rules where Self.matches(pattern: rule.pattern, target) {
            guard let current = best else {
                best = rule
                continue
            }
            let (length, bestLength) = (rule.pattern.utf8.count, current.pattern.utf8.count)
            if length > bestLength || (length == bestLength && rule.allow && !current.allow) { best = rule }
        }
        return best?.allow ?? true
    }

    // MARK: - Parsing helpers

    private struct Group {
        var agents: [String] = []
        var rules: [Rule] = []
        var crawlDelay: TimeInterval?
    }

    private static let maxBytes = 500 * 1024

    private static func lines(_ text: String) -> [Substring] {
        var text = Substring(text)
        if text.utf8.count > maxBytes {
            text = Substring(String(decoding: Array(text.utf8.prefix(maxBytes)), as: UTF8.self))
        }
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        return text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    }

    /// `key: value` with the comment removed; key lowercased, both trimmed. Nil for blank or malformed lines.
    private static func keyValue(_ line: Substring) -> (String, String)? {
        let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard let colon = content.firstIndex(of: ":") else { return nil }
        let key = String(content[..<colon]).trimmingASCIIWhitespace().lowercased()
        let value = String(content[content.index(after: colon)...]).trimmingASCIIWhitespace()
        return key.isEmpty ? nil : (key, value)
    }

    /// `Herald/0.1 (+https://…)` → `herald`; `*` stays `*`.
    static func productToken(_ userAgent: String) -> String {
        let trimmed = userAgent.trimmingASCIIWhitespace()
        let end = trimmed.firstIndex { $0 == "/" || $0 == " " || $0 == "\t" } ?? trimmed.endIndex
        return trimmed[..<end].lowercased()
    }

    static func pathAndQuery(_ url: String) -> String {
        guard !url.hasPrefix("/"), let parsed = AbsoluteURL(url) else { return url.isEmpty ? "/" : url }
        return parsed.pathAndQuery
    }

    // MARK: - Normalisation and matching

    /// One canonical spelling for paths and patterns: `%xx` of unreserved octets decoded, other `%xx` uppercased,
    /// non-ASCII, controls, space and URI-unsafe ASCII percent-encoded. `*` and `$` are left alone.
    static func normalise(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "%"), i + 2 < bytes.count,
                let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2])
            {
                let value = high << 4 | low
                if isUnreserved(value) { out.append(value) } else { appendEscaped(value, to: &out) }
                i += 3
                continue
            }
            if byte >= 0x80 || byte <= 0x20 || byte == 0x7F || unsafeASCII.contains(byte) {
                appendEscaped(byte, to: &out)
            } else {
                out.append(byte)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let unsafeASCII: Set<UInt8> = Set("\"<>\\^`{|}".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "~")
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    private static func appendEscaped(_ byte: UInt8, to out: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
    }

    /// Prefix match with `*` wildcards; a final `$` requires the whole target to match. Classic greedy wildcard
    /// matching with backtracking to the last `*`: linear for typical patterns, never exponential.
    static func matches(pattern: String, _ target: String) -> Bool {
        var p = Array(pattern.utf8)
        let t = Array(target.utf8)
        let anchored = p.last == UInt8(ascii: "$")
        if anchored { p.removeLast() } else { p.append(UInt8(ascii: "*")) }
        let star = UInt8(ascii: "*")
        var (pi, ti) = (0, 0)
        var backtrack: (p: Int, t: Int)?
        while ti < t.count {
            if pi < p.count, p[pi] == star {
                backtrack = (pi, ti)
                pi += 1
            } else if pi < p.count, p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if let last = backtrack {
                pi = last.p + 1
                ti = last.t + 1
                backtrack = (last.p, last.t + 1)
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == star { pi += 1 }
        return pi == p.count
    }
}
