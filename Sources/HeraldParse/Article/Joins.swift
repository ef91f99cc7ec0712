import HeraldURL

/// Whitespace rule of the generic profile's body text: rule N (`Normalize.whitespace`), except that whitespace which
/// only lays out the source (a run holding a line break or a tab: HTML indentation, `<br>`) is not turned into a space
///
/// - between two CJK characters (CSS Text 3 removes such segment breaks: Chinese and Japanese have no word spaces, so
///   "第一行⏎第二行" reads "第一行第二行", never "第一行 第二行");
/// - before closing punctuation (`public⏎, with` is "public, with").
///
/// A plain space the author typed is kept everywhere (French "mot ; mot" keeps its space). Soft hyphens (U+00AD,
/// `&shy;`) are removed: they only tell a browser where it may break a word.
enum Joins {
    /// The rule, on UTF-8 bytes. Written into the result's storage through a pointer (speed: an `Array.append` per byte, and its capacity check,
    /// was half of the cleaner's block flush).
    static func normalize(_ bytes: [UInt8]) -> [UInt8] {
        let n = bytes.count
        // Whitespace only (the indentation between blocks, most of the cleaner's flushes): no array allocated.
        guard bytes.contains(where: { !Normalize.isASCIIWhitespace($0) }) else { return [] }
        return bytes.withUnsafeBufferPointer { source in
            // The result is never longer than the source: a whitespace run becomes at most one space.
            [UInt8](unsafeUninitializedCapacity: n) { out, written in
                var o = 0
                var i = 0
                while i < n {
                    if i + 8 <= n, let base = source.baseAddress, let outBase = out.baseAddress {
                        let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                        if copiesVerbatim(word) {
                            UnsafeMutableRawPointer(outBase + o).storeBytes(of: word.littleEndian, as: UInt64.self)
                            o += 8
                            i += 8
                            continue
                        }
                    }
                    let byte = source[i]
                    guard Normalize.isASCIIWhitespace(byte) else {
                        // U+00AD SOFT HYPHEN: a hyphenation hint, invisible unless the line breaks there ("Mit&shy;tel").
                        if byte == 0xC2, i + 1 < n, source[i + 1] == 0xAD {
                            i += 2
                            continue
                        }
                        out[o] = byte
                        o += 1
                        i += 1
                        continue
                    }
                    var layout = false
                    var j = i
                    while j < n, Normalize.isASCIIWhitespace(source[j]) {
                        if source[j] != 0x20 { layout = true }
                        j += 1
                    }
                    i = j
                    if o == 0 || j == n { continue }  // leading, trailing
                    if layout,
                        closesPunctuation(source, at: j)
                            || (endsWithCJK(UnsafeBufferPointer(rebasing: out[0..<o])) && startsWithCJK(source, at: j))
                    {
                        continue
                    }
                    out[o] = 0x20
                    o += 1
                }
                written = o
            }
        }
    }

    /// Do these eight bytes (the first at the loop's position, so not inside a whitespace run) come out of the rule
    /// as they are? Yes when no byte is a control character or the lead byte of a soft hyphen and every space is a
    /// single one between two other bytes of the eight: a run of one space, neither leading nor trailing, is kept.
    /// Speed: the rule went a byte at a time over every block of the body, a fifth of the cleaner's time.
    @inline(__always)
    private static func copiesVerbatim(_ word: UInt64) -> Bool {
        let high: UInt64 = 0x8080_8080_8080_8080
        let spaces = zeroBytes(word ^ 0x2020_2020_2020_2020)
        // The bytes up to 0x20 (sums of the low seven bits carry into no other byte): only spaces.
        let upToSpace = ~((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x5F5F_5F5F_5F5F_5F5F) & ~word & high
        return upToSpace == spaces && zeroBytes(word ^ 0xC2C2_C2C2_C2C2_C2C2) == 0
            && spaces & (spaces >> 8) == 0  // no two spaces side by side
            && spaces & 0x8000_0000_0000_0080 == 0  // neither the first byte nor the last (little-endian)
    }

    /// The high bit of each zero byte of `x` (exact: the low seven bits are added without carrying into the next byte).
    @inline(__always)
    private static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & 0x8080_8080_8080_8080
    }

    /// `, . ; : ! ? ) ]` (followed by a space, the end, or a quote: "3.5" after a break is a number) and the CJK
    /// full-width closing marks.
    static func closesPunctuation(_ bytes: [UInt8], at i: Int) -> Bool {
        bytes.withUnsafeBufferPointer { closesPunctuation($0, at: i) }
    }

    static func closesPunctuation(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let byte = bytes[i]
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"),
            UInt8(ascii: "?"), UInt8(ascii: ")"), UInt8(ascii: "]"):
            return i + 1 == bytes.count
                || !Byte.isAlpha(bytes[i + 1]) && !(bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39)
        default:
            guard let scalar = scalar(in: bytes, at: i) else { return false }
            return closingCJK.contains(scalar)
        }
    }

    private static let closingCJK: Set<UInt32> = [
        0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F, 0xFF09, 0x300D, 0x300F, 0x3011, 0x300B, 0x3009,
    ]

    /// CJK ideographs, kana, Hangul syllables, CJK punctuation and full-width forms.
    static func isCJK(_ scalar: UInt32) -> Bool {
        (0x2E80...0x9FFF).contains(scalar) || (0xAC00...0xD7AF).contains(scalar) || (0xF900...0xFAFF).contains(scalar)
            || (0xFF00...0xFFEF).contains(scalar) || (0x20000...0x2FFFF).contains(scalar)
    }

    private static func startsWithCJK(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        scalar(in: bytes, at: i).map(isCJK) ?? false
    }

    private static func endsWithCJK(_ out: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = out.count - 1
        while start > 0, out[start] & 0xC0 == 0x80 { start -= 1 }
        guard start >= 0 else { return false }
        return scalar(in: out, at: start).map(isCJK) ?? false
    }

    /// The scalar whose UTF-8 sequence starts at `i` (3- and 4-byte sequences only: CJK lives there).
    static func scalar(in bytes: [UInt8], at i: Int) -> UInt32? {
        bytes.withUnsafeBufferPointer { scalar(in: $0, at: i) }
    }

    static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt32? {
        let lead = bytes[i]
        if lead & 0xF0 == 0xE0, i + 2 < bytes.count {
            return UInt32(lead & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
        }
        if lead & 0xF8 == 0xF0, i + 3 < bytes.count {
            return UInt32(lead & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                | UInt32(bytes[i + 3] & 0x3F)
        }
        return nil
    }
}
