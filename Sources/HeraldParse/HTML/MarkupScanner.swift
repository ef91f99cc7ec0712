import Glibc
import HeraldURL

/// Byte-level HTML lexing just good enough to step over tags, comments and raw-text elements without building a
/// tree: the charset prescan and the content stripper run on every page before libxml2 does, so they use `memchr`
/// and never allocate per byte.
///
/// Quote handling follows the HTML tokenizer: a quote is significant only right after `=`, so `<a title="x>y">` is one
/// tag and a stray `"` inside an attribute name is not.
struct MarkupScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var count: Int { bytes.count }

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Index of the next `byte` at or after `from`, or nil.
    @inline(__always)
    func find(_ byte: UInt8, from: Int) -> Int? {
        guard from < count, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), count - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// Index of the next `byte` in `from..<end`, or nil.
    @inline(__always)
    func find(_ byte: UInt8, from: Int, before end: Int) -> Int? {
        guard from < end, end <= count, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), end - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    @inline(__always)
    func byte(at index: Int) -> UInt8? { index < count ? bytes[index] : nil }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C }

    /// Does a tag name equal to `name` (lowercase ASCII) start at `index`, followed by a delimiter (space, `/`, `>`
    /// or the end of input)?
    func hasName(_ name: StaticString, at index: Int) -> Bool {
        let length = name.utf8CodeUnitCount
        guard index + length <= count else { return false }
        let matched = name.withUTF8Buffer { expected in
            for k in 0..<length where Byte.lowercase(bytes[index + k]) != expected[k] { return false }
            return true
        }
        guard matched else { return false }
        guard let next = byte(at: index + length) else { return true }
        return Self.isSpace(next) || next == UInt8(ascii: "/") || next == UInt8(ascii: ">")
    }

    /// The lowercased ASCII tag name starting at `index` (letters, digits, `-`, `:`), and the index after it.
    func tagName(at index: Int) -> (name: [UInt8], end: Int) {
        var end = index
        var name = [UInt8]()
        while end < count {
            let b = bytes[end]
            guard Byte.isAlpha(b) || Byte.isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ":") else {
                break
            }
            name.append(Byte.lowercase(b))
            end += 1
        }
        return (name, end)
    }

    /// Index just past the `>` closing the tag whose attributes start at `index`; `count` if unterminated.
    func endOfTag(from index: Int) -> Int {
        var i = index
        while i < count {
            let b = bytes[i]
            if b == UInt8(ascii: ">") { return i + 1 }
            if b == UInt8(ascii: "=") {
                i += 1
                while i < count, Self.isSpace(bytes[i]) { i += 1 }
                if i < count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                    guard let close = find(bytes[i], from: i + 1) else { return count }
                    i = close + 1
                }
                continue
            }
            i += 1
        }
        return count
    }

    /// For `<!--` at `index`: the index just past the comment's end (`-->`, `--!>`, or the abrupt `<!-->` / `<!--->`);
    /// `count` when it never ends (browsers read the rest as comment too).
    func endOfComment(from index: Int) -> Int {
        let start = index + 4
        if byte(at: start) == UInt8(ascii: ">") { return start + 1 }
        if byte(at: start) == UInt8(ascii: "-"), byte(at: start + 1) == UInt8(ascii: ">") { return start + 2 }
        var i = start
        while let gt = find(UInt8(ascii: ">"), from: i) {
            if gt - 2 >= start, bytes[gt - 1] == UInt8(ascii: "-"), bytes[gt - 2] == UInt8(ascii: "-") { return gt + 1 }
            if gt - 3 >= start, bytes[gt - 1] == UInt8(ascii: "!"), bytes[gt - 2] == UInt8(ascii: "-"),
                bytes[gt - 3] == UInt8(ascii: "-")
            {
                return gt + 1
            }
            i = gt + 1
        }
        return count
    }

    func isCommentStart(at index: Int) -> Bool {
        byte(at: index + 1) == UInt8(ascii: "!") && byte(at: index + 2) == UInt8(ascii: "-")
            && byte(at: index + 3) == UInt8(ascii: "-")
    }

    /// The next `</name…>` at or after `from`, case-insensitively: its start and the index past its `>`.
    /// With `nests`, inner `<name` start tags are counted (an `<svg>` inside an `<svg>`).
    func closingTag(_ name: StaticString, from: Int, nests: Bool = false) -> (start: Int, end: Int)? {
        var depth = 0
        var i = from
        while let lt = find(UInt8(ascii: "<"), from: i) {
            if byte(at: lt + 1) == UInt8(ascii: "/"), hasName(name, at: lt + 2) {
                if depth == 0 { return (lt, endOfTag(from: lt + 2 + name.utf8CodeUnitCount)) }
                depth -= 1
            } else if nests, hasName(name, at: lt + 1) {
                let end = endOfTag(from: lt + 1 + name.utf8CodeUnitCount)
                if end >= 2, bytes[end - 2] != UInt8(ascii: "/") { depth += 1 }  // `<svg/>` opens nothing
            }
            i = lt + 1
        }
        return nil
    }

    /// Attributes of the start tag whose attribute list spans `range` (names lowercased, values raw).
    func attributes(in range: Range<Int>) -> [(name: [UInt8], value: [UInt8])] {
        attributeSpans(in: range).map { span in
            (Array(span.name.map(Byte.lowercase)), Array(bytes[span.value]))
        }
    }

    /// Each attribute of a start tag: its name bytes, the range of its value (without quotes), and the range to
    /// cut to remove it (from the whitespace before the name to the end of the value).
    func attributeSpans(in range: Range<Int>) -> [(name: ArraySlice<UInt8>, value: Range<Int>, whole: Range<Int>)] {
        var result: [(name: ArraySlice<UInt8>, value: Range<Int>, whole: Range<Int>)] = []
        forEachAttribute(in: range) { name, value, whole in
            result.append((Array(bytes[name])[...], value, whole))
            return false
        }
        return result
    }

    /// Calls `body` with the name, value and whole span (as `attributeSpans`) of each attribute of the start tag whose
    /// attribute list spans `range`, until it returns true. Allocates nothing.
    func forEachAttribute(
        in range: Range<Int>, _ body: (_ name: Range<Int>, _ value: Range<Int>, _ whole: Range<Int>) -> Bool
    ) {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let wholeStart = i
            while i < end, Self.isSpace(bytes[i]) || bytes[i] == UInt8(ascii: "/") { i += 1 }
            guard i < end, bytes[i] != UInt8(ascii: ">") else { break }
            let nameStart = i
            while i < end, !Self.isSpace(bytes[i]), bytes[i] != UInt8(ascii: "="), bytes[i] != UInt8(ascii: ">"),
                bytes[i] != UInt8(ascii: "/") || i == nameStart
            {
                i += 1
            }
            let name = nameStart..<i
            var afterName = i
            while afterName < end, Self.isSpace(bytes[afterName]) { afterName += 1 }
            var value = i..<i
            if afterName < end, bytes[afterName] == UInt8(ascii: "=") {
                i = afterName + 1
                while i < end, Self.isSpace(bytes[i]) { i += 1 }
                if i < end, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                    let quote = bytes[i]
                    let valueStart = i + 1
                    i = find(quote, from: valueStart, before: end) ?? end
                    value = valueStart..<i
                    if i < end { i += 1 }
                } else {
                    let valueStart = i
                    while i < end, !Self.isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">") { i += 1 }
                    value = valueStart..<i
                }
            }
            if !name.isEmpty, body(name, value, wholeStart..<i) { return }
        }
    }

    /// Does `byte` occur in `range`?
    func find(_ byte: UInt8, in range: Range<Int>) -> Bool {
        guard let hit = find(byte, from: range.lowerBound) else { return false }
        return hit < range.upperBound
    }

    /// Calls `body` with each whitespace-separated token of `range` until it returns true; true if one did.
    func hasToken(in range: Range<Int>, where body: (Range<Int>) -> Bool) -> Bool {
        var start = range.lowerBound
        for k in range.lowerBound...range.upperBound where k == range.upperBound || Self.isSpace(bytes[k]) {
            if k > start, body(start..<k) { return true }
            start = k + 1
        }
        return false
    }

    /// Are the bytes in `range` equal to `word` (lowercase ASCII bytes), ASCII case folded?
    func equalsLowercased(_ range: Range<Int>, _ word: [UInt8]) -> Bool {
        guard range.count == word.count else { return false }
        for k in 0..<word.count where Byte.lowercase(bytes[range.lowerBound + k]) != word[k] { return false }
        return true
    }

    /// Do the bytes in `range`, ASCII case folded, hold `word` (lowercase ASCII)?
    func containsLowercased(_ range: Range<Int>, _ word: StaticString) -> Bool {
        word.withUTF8Buffer { word in
            guard range.count >= word.count else { return false }
            for start in range.lowerBound...(range.upperBound - word.count) {
                var k = 0
                while k < word.count, Byte.lowercase(bytes[start + k]) == word[k] { k += 1 }
                if k == word.count { return true }
            }
            return false
        }
    }

    /// Are the bytes in `range` equal to `word` (lowercase ASCII), ASCII case folded?
    func equals(_ range: Range<Int>, _ word: StaticString) -> Bool {
        word.withUTF8Buffer { word in
            guard range.count == word.count else { return false }
            for k in 0..<word.count where Byte.lowercase(bytes[range.lowerBound + k]) != word[k] { return false }
            return true
        }
    }
}
