import Foundation

/// What a person typed into `herald search`, as terms that are all required.
///
/// Terms are separated by whitespace; text between double quotes is one term, spaces included (`"White House"`).
/// There are no operators: `AND`, `OR`, `NOT`, `*`, `-`, `:`, `^` and parentheses are searched as ordinary text, so no
/// query can be a syntax error. Each term is a substring match, case-insensitive for Latin letters.
///
/// The trigram index answers terms of three characters or more. Shorter ones (two-character Chinese words such as
/// 台北 or 降息 are common) cannot match a trigram index, so they are checked on the article row instead.
public struct SearchQuery: Sendable, Equatable {
    public let terms: [String]

    public init(_ text: String) {
        var terms: [String] = []
        var current = ""
        var quoted = false
        func flush() {
            let term = current.trimmingASCIIWhitespace()
            if !term.isEmpty, !terms.contains(term) { terms.append(term) }
            current = ""
        }
        for character in text {
            if character == "\"" {
                flush()
                quoted.toggle()
            } else if !quoted, character.isWhitespace {
                flush()
            } else {
                current.append(character)
            }
        }
        flush()   // an unbalanced quote makes the rest one term
        self.terms = terms
    }

    /// Terms the trigram index can answer (three Unicode characters or more).
    public var indexedTerms: [String] { terms.filter { $0.unicodeScalars.count >= 3 } }
    /// Terms too short for a trigram index: checked with `instr`/`LIKE` on the row.
    public var shortTerms: [String] { terms.filter { $0.unicodeScalars.count < 3 } }

    /// The FTS5 expression for the indexed terms: each a quoted phrase (a `"` inside doubled), all required.
    public var matchExpression: String? {
        let phrases = indexedTerms.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return phrases.isEmpty ? nil : phrases.joined(separator: " AND ")
    }

    /// SQL requiring `term` in the title, lead or body of the article row aliased `a`, with its parameters. Terms with
    /// Latin letters use LIKE (case-insensitive for ASCII, `%`, `_` and `\` escaped); others `instr`, which is faster.
    static func rowCondition(for term: String) -> (sql: String, parameters: [SQLValue]) {
        let columns = ["a.title", "a.lead", "a.body_text"]
        if term.unicodeScalars.contains(where: { $0.isASCII && $0.properties.isAlphabetic }) {
            var pattern = "%"
            for character in term {
                if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
                pattern.append(character)
            }
            pattern += "%"
            let sql = columns.map { "\($0) LIKE ? ESCAPE '\\'" }.joined(separator: " OR ")
            return ("(\(sql))", Array(repeating: .text(pattern), count: columns.count))
        }
        let sql = columns.map { "instr(\($0), ?) > 0" }.joined(separator: " OR ")
        return ("(\(sql))", Array(repeating: .text(term), count: columns.count))
    }
}

extension String {
    /// Trims ASCII whitespace only (U+00A0 and U+3000 are text in Chinese pages, not separators).
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
