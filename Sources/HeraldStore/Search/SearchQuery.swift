import Foundation

/// What a person typed into `herald search`: words and quoted phrases, all required unless joined by `OR`, with
/// `-word` or `NOT word` excluding, and `title:` / `author:` limiting a word to a field.
///
///     台北 降息                both words
///     "White House" 拜登       a phrase (text between double quotes, spaces included) and a word
///     台北 OR 高雄 -选举         one of the first two, and not the third (`NOT 选举` says the same)
///     title:习近平 author:王毅   in the title; in the authors
///
/// `OR`, `AND` and `NOT` are operators only in capitals; anything else (`*`, `:`, `^`, parentheses, `-` inside a word)
/// is searched as text: the text of every word reaches FTS5 inside a quoted string, never as syntax. A query that cannot
/// be read (an unbalanced quote, `OR` with nothing on one side, only excluded words) is a `SearchQueryError` whose
/// description is one sentence for the user. Each word is a substring match, case-insensitive for Latin letters (see
/// `ArchiveReader.search` for how short Latin words match).
package struct SearchQuery: Sendable, Equatable {
    package enum Field: String, Sendable, Equatable { case title, author }

    package struct Term: Sendable, Equatable {
        package var text: String
        package var field: Field?
        package init(_ text: String, field: Field? = nil) {
            self.text = text
            self.field = field
        }
    }

    /// Every group is required; a group matches when any of its terms does (`a OR b`).
    package let groups: [[Term]]
    /// Terms no result may contain.
    package let excluded: [Term]

    /// The required and alternative words, in order, each once: what snippets highlight.
    package var terms: [String] {
        var seen: [String] = []
        for term in groups.joined() where !seen.contains(term.text) { seen.append(term.text) }
        return seen
    }

    package init(_ text: String) throws(SearchQueryError) {
        var groups: [[Term]] = []
        var excluded: [Term] = []
        var joinNext = false  // after OR
        var negateNext = false  // after NOT
        var lastWasExcluded = false
        var previousWasOperand = false
        for token in try Self.tokens(text) {
            switch token {
            case .or:
                guard previousWasOperand, !groups.isEmpty else {
                    throw SearchQueryError("OR needs a word on each side (台北 OR 高雄); put it in quotes to search for it")
                }
                guard !lastWasExcluded else {
                    throw SearchQueryError("an excluded word cannot be part of an OR; exclude it on its own")
                }
                guard !joinNext else { throw SearchQueryError("OR OR: one OR joins two words") }
                joinNext = true
                previousWasOperand = false
            case .and:
                guard previousWasOperand else {
                    throw SearchQueryError("AND needs a word on each side; put it in quotes to search for it")
                }
                previousWasOperand = false
            case .not:
                guard !negateNext, !joinNext else {
                    throw SearchQueryError(
                        "NOT must be followed by the word to exclude; put it in quotes to search for it")
                }
                negateNext = true
                previousWasOperand = false
            case let .term(term, negated):
                if negated || negateNext {
                    if joinNext {
                        throw SearchQueryError("an excluded word cannot be part of an OR; exclude it on its own")
                    }
                    if !excluded.contains(term) { excluded.append(term) }
                    lastWasExcluded = true
                } else if joinNext {
                    if !groups[groups.count - 1].contains(term) { groups[groups.count - 1].append(term) }
                    lastWasExcluded = false
                } else {
                    if !groups.contains([term]) { groups.append([term]) }
                    lastWasExcluded = false
                }
                joinNext = false
                negateNext = false
                previousWasOperand = true
            }
        }
        if joinNext {
            throw SearchQueryError("OR needs a word on each side (台北 OR 高雄); put it in quotes to search for it")
        }
        if negateNext {
            throw SearchQueryError("NOT must be followed by the word to exclude; put it in quotes to search for it")
        }
        if groups.isEmpty, !excluded.isEmpty {
            throw SearchQueryError("every word is excluded: a search needs at least one word to find")
        }
        if !previousWasOperand, !groups.isEmpty {
            throw SearchQueryError("AND needs a word on each side; put it in quotes to search for it")
        }
        self.groups = groups
        self.excluded = excluded
    }

    private enum Token {
        case term(Term, negated: Bool)
        case or, and, not
    }

    /// Splits the text into words, quoted phrases and operators. Throws for an unbalanced quote.
    private static func tokens(_ text: String) throws(SearchQueryError) -> [Token] {
        let characters = Array(text)
        var tokens: [Token] = []
        var index = 0
        func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" }
        while index < characters.count {
            if isSpace(characters[index]) {
                index += 1
                continue
            }
            let start = index
            var negated = false
            var field: Field?
            // `-word`, `-"a phrase"` (a lone `-` is text)
            if characters[index] == "-", index + 1 < characters.count, !isSpace(characters[index + 1]) {
                negated = true
                index += 1
            }
            // `title:word`, `author:"a phrase"`
            for candidate in [Field.title, Field.author] {
                let prefix = Array(candidate.rawValue + ":")
                let end = index + prefix.count
                if end < characters.count, !isSpace(characters[end]),
                    String(characters[index..<end]).lowercased() == candidate.rawValue + ":"
                {
                    field = candidate
                    index = end
                    break
                }
            }
            if characters[index] == "\"" {
                guard let close = characters[(index + 1)...].firstIndex(of: "\"") else {
                    throw SearchQueryError("unbalanced quote: \(String(characters[start...])) has no closing \"")
                }
                let phrase = String(characters[(index + 1)..<close]).trimmingASCIIWhitespace()
                index = close + 1
                if !phrase.isEmpty { tokens.append(.term(Term(phrase, field: field), negated: negated)) }
                continue
            }
            var word = ""
            while index < characters.count, !isSpace(characters[index]), characters[index] != "\"" {
                word.append(characters[index])
                index += 1
            }
            if word.isEmpty {
                // `-` or `title:` right before a quote that follows immediately is handled above; here the prefix
                // itself was all there was.
                word = String(characters[start..<index])
            }
            if !negated, field == nil, index - start == word.count {
                switch word {
                case "OR":
                    tokens.append(.or)
                    continue
                case "AND":
                    tokens.append(.and)
                    continue
                case "NOT":
                    tokens.append(.not)
                    continue
                default: break
                }
            }
            tokens.append(.term(Term(word, field: field), negated: negated))
        }
        return tokens
    }
}

/// A query `SearchQuery` cannot read, as one sentence for the user.
package struct SearchQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
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
