import Foundation

/// `herald search`: the FTS5 trigram index when it can answer, a row scan when it cannot.
extension ArchiveReader {
    /// Articles containing every term of `query` (see `SearchQuery`).
    ///
    /// - With at least one term of three characters or more: the trigram index finds candidates (`MATCH`, a phrase
    ///   per term), shorter terms are checked on those rows, results are ranked by bm25 (title weighted 10, lead 5,
    ///   body 1) and the snippet is FTS5's, from the best-matching column.
    /// - With only shorter terms: every row is checked (`instr`, or `LIKE` for Latin letters) newest first by
    ///   publication time, so the scan stops as soon as a page of results is found; the snippet is cut around the
    ///   first match.
    ///
    /// - Parameters:
    ///   - highlight: what goes before and after each match in the snippet (e.g. `[` and `]`, or terminal bold).
    public func search(_ query: SearchQuery, source: String? = nil, limit: Int = 20, offset: Int = 0,
                       highlight: (open: String, close: String) = ("[", "]")) throws -> [SearchHit] {
        guard !query.terms.isEmpty else { throw ArchiveError.emptyQuery }
        var conditions: [String] = []
        var parameters: [SQLValue] = []
        if let source {
            conditions.append("a.source = ?")
            parameters.append(.text(source))
        }
        for term in query.shortTerms {
            let condition = SearchQuery.rowCondition(for: term)
            conditions.append(condition.sql)
            parameters += condition.parameters
        }

        if let match = query.matchExpression {
            let sql = """
                SELECT \(Self.summaryColumns),
                       snippet(articles_fts, -1, ?, ?, '…', 32), bm25(articles_fts, 10.0, 5.0, 1.0) AS score
                FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                WHERE articles_fts MATCH ?\(conditions.map { " AND " + $0 }.joined())
                ORDER BY score, a.id DESC LIMIT ? OFFSET ?
                """
            let all: [SQLValue] = [.text(highlight.open), .text(highlight.close), .text(match)] + parameters
                + [.integer(limit), .integer(offset)]
            return try db.query(sql, all) { row in
                SearchHit(article: Self.summary(row), snippet: row.text(10) ?? "", score: row.double(11))
            }
        }

        let sql = """
            SELECT \(Self.summaryColumns), a.lead, a.body_text FROM articles a
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?
            """
        return try db.query(sql, parameters + [.integer(limit), .integer(offset)]) { row in
            let summary = Self.summary(row)
            let snippet = Snippet.cut(around: query.terms,
                                      in: [summary.title, row.text(10) ?? "", row.text(11) ?? ""],
                                      highlight: highlight)
            return SearchHit(article: summary, snippet: snippet, score: nil)
        }
    }
}

/// A snippet for scan results, shaped like FTS5's: the first field with a match, a window of text around the first
/// match, every term in it marked, `…` where the field was cut.
enum Snippet {
    static func cut(around terms: [String], in fields: [String], highlight: (open: String, close: String),
                    before: Int = 12, after: Int = 28) -> String {
        for field in fields {
            // Snippets stay on one line: body_text holds one block per line.
            let lines = field.split(separator: "\n", omittingEmptySubsequences: true)
            for line in lines {
                guard let first = terms.compactMap({ line.range(of: $0, options: .caseInsensitive) })
                    .min(by: { $0.lowerBound < $1.lowerBound }) else { continue }
                let start = line.index(first.lowerBound, offsetBy: -before, limitedBy: line.startIndex) ?? line.startIndex
                let end = line.index(first.upperBound, offsetBy: after, limitedBy: line.endIndex) ?? line.endIndex
                let window = line[start..<end]
                return (start > line.startIndex ? "…" : "") + mark(terms, in: window, highlight: highlight)
                    + (end < line.endIndex ? "…" : "")
            }
        }
        return String(fields.first?.prefix(40) ?? "")
    }

    /// `text` with each occurrence of any term (leftmost first, no overlaps) between the markers.
    static func mark(_ terms: [String], in text: Substring, highlight: (open: String, close: String)) -> String {
        var out = ""
        var rest = text[...]
        while !rest.isEmpty {
            let next = terms.compactMap { rest.range(of: $0, options: .caseInsensitive) }
                .min { $0.lowerBound < $1.lowerBound || ($0.lowerBound == $1.lowerBound && $0.upperBound > $1.upperBound) }
            guard let next else {
                out += rest
                break
            }
            out += rest[rest.startIndex..<next.lowerBound]
            out += highlight.open + rest[next] + highlight.close
            rest = rest[next.upperBound...]
        }
        return out
    }
}
