import HeraldTime

/// A snippet shaped like FTS5's: the first field with a match, a window of text around the first match, every term
/// in it marked, `…` where the field was cut.
enum Snippet {
    static func cut(
        around terms: [String], in fields: [String], highlight: (open: String, close: String),
        before: Int = 12, after: Int = 28
    ) -> String {
        for field in fields {
            // Snippets stay on one line: body_text holds one block per line.
            let lines = field.split(separator: "\n", omittingEmptySubsequences: true)
            for line in lines {
                guard
                    let first = terms.compactMap({ line.range(of: $0, options: .caseInsensitive) })
                        .min(by: { $0.lowerBound < $1.lowerBound })
                else { continue }
                let start =
                    line.index(first.lowerBound, offsetBy: -before, limitedBy: line.startIndex) ?? line.startIndex
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
                .min {
                    $0.lowerBound < $1.lowerBound || ($0.lowerBound == $1.lowerBound && $0.upperBound > $1.upperBound)
                }
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
