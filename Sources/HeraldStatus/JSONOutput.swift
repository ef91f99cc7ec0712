/// JSON for output (`--json`, the status socket, JSON Lines exports): keys in the order written, non-ASCII text as is
/// (readable Chinese), `/` unescaped.
package indirect enum JSONOutput: Sendable, Equatable {
    case object([(String, JSONOutput)])
    case array([JSONOutput])
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null

    package static func == (lhs: JSONOutput, rhs: JSONOutput) -> Bool { lhs.rendered() == rhs.rendered() }

    package static func optional(_ text: String?) -> JSONOutput { text.map(JSONOutput.string) ?? .null }
    package static func optional(_ number: Int?) -> JSONOutput { number.map(JSONOutput.int) ?? .null }
    package static func strings(_ values: [String]) -> JSONOutput { .array(values.map(JSONOutput.string)) }

    /// Compact by default; `pretty` indents by two spaces.
    package func rendered(pretty: Bool = false) -> String {
        String(decoding: renderedBytes(pretty: pretty), as: UTF8.self)
    }

    /// As `rendered`, as UTF-8 bytes: for output written as it is (`herald parse --json` over thousands of pages),
    /// where making a String validated every byte of every body once more.
    package func renderedBytes(pretty: Bool = false) -> [UInt8] {
        var out = JSONBytes()
        write(into: &out, pretty: pretty, indent: 0)
        return out.bytes
    }

    /// Output is built as UTF-8 bytes and made a String once: appending each piece to a String validated it again
    /// (`String(decoding:)` per run of body text), a tenth of `herald parse --json` (speed, issue 10).
    private func write(into out: inout JSONBytes, pretty: Bool, indent: Int) {
        switch self {
        case let .object(members):
            guard !members.isEmpty else {
                out.append("{}")
                return
            }
            out.append("{")
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(",") }
                if pretty { out.newline(indent: indent + 1) }
                out.appendQuoted(key)
                out.append(pretty ? ": " : ":")
                value.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out.newline(indent: indent) }
            out.append("}")
        case let .array(values):
            guard !values.isEmpty else {
                out.append("[]")
                return
            }
            out.append("[")
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(",") }
                if pretty { out.newline(indent: indent + 1) }
                value.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out.newline(indent: indent) }
            out.append("]")
        case let .string(text): out.appendQuoted(text)
        case let .int(number): out.append(String(number))
        case let .double(number): out.append(number.isFinite ? String(number) : "null")
        case let .bool(flag): out.append(flag ? "true" : "false")
        case .null: out.append("null")
        }
    }
}

/// The UTF-8 bytes of JSON being written.
private struct JSONBytes {
    var bytes: [UInt8] = []

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func newline(indent: Int) {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(0x20, count: 2 * indent))
    }

    /// Appends `text` as a JSON string, escaping by scanning its UTF-8 bytes and appending the runs between escapes
    /// whole: a page's body text is mostly characters that need none.
    mutating func appendQuoted(_ text: String) {
        bytes.append(0x22)
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            var index = 0
            while index < utf8.count {
                index = Self.firstSpecial(in: utf8, from: index)
                guard index < utf8.count else { break }
                let byte = utf8[index]
                let escape: StaticString
                var length = 1
                switch byte {
                case 0x22: escape = "\\\""
                case 0x5C: escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0..<0x20:
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                    appendUnicodeEscape(byte)
                    index += 1
                    runStart = index
                    continue
                // U+2028 and U+2029 (E2 80 A8/A9): valid JSON, but not valid in JavaScript string literals.
                case 0xE2
                where index + 2 < utf8.count && utf8[index + 1] == 0x80
                    && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
                    escape = utf8[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    length = 3
                default:
                    index += 1
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                append(escape)
                index += length
                runStart = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(0x22)
    }

    /// The index of the first byte at or after `start` that may need escaping (a control character, `"`, `\`, or
    /// 0xE2, which starts U+2028/U+2029), or `utf8.count`. Eight bytes at a time (SWAR): body text is long and
    /// nearly all of it needs nothing; a byte-at-a-time loop here cost 1 % of `herald parse --json`.
    private static func firstSpecial(in utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // `(w - ones) & ~w & highs` is non-zero exactly when some byte of `w` is zero (its lowest such byte is always
        // flagged; borrows may flag more), so a word with nothing special is never stopped at, and a stop only hands
        // the word to the byte loop below, which decides.
        var index = start
        if let base = UnsafeRawPointer(utf8.baseAddress) {
            while index + 8 <= utf8.count {
                let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let belowSpace = (word &- 0x2020_2020_2020_2020) & ~word & highs
                let quote = word ^ (0x22 &* ones)
                let backslash = word ^ (0x5C &* ones)
                let e2 = word ^ (0xE2 &* ones)
                let zeros =
                    ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((e2 &- ones) & ~e2)
                if belowSpace | (zeros & highs) != 0 { break }
                index += 8
            }
        }
        while index < utf8.count {
            let byte = utf8[index]
            if byte > 0x5C ? byte == 0xE2 : byte < 0x20 || byte == 0x22 || byte == 0x5C { return index }
            index += 1
        }
        return index
    }

    /// `\u00XX` for a control character without a short escape.
    private mutating func appendUnicodeEscape(_ byte: UInt8) {
        let hex = Array("0123456789abcdef".utf8)
        append("\\u00")
        bytes.append(hex[Int(byte >> 4)])
        bytes.append(hex[Int(byte & 0x0F)])
    }
}
