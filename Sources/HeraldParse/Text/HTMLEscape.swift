/// HTML fragment serialisation escapes (HTML Standard "escaping a string"), on UTF-8 bytes.
///
/// Text: `&` `<` `>` and U+00A0 (as `&nbsp;`). Attribute values: `&` `"` and U+00A0. Nothing else is touched, so
/// emoji, CJK and quotes in text stay as they are (the export format depends on it).
enum HTMLEscape {
    static func appendText(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        append(bytes, to: &out, attribute: false)
    }

    static func appendAttribute(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { append($0, to: &out, attribute: true) }
    }

    static func text(_ s: String) -> String {
        var s = s
        var out = [UInt8]()
        s.withUTF8 { appendText($0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Eight bytes at a time are skipped when none of them may need escaping (speed: the body's text is copied through
    /// here; a switch per byte was about seven instructions a byte).
    private static func append(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], attribute: Bool) {
        var i = 0
        var runStart = 0
        let count = bytes.count
        // `"` in attributes, `<` `>` in text; `&` and the lead byte of U+00A0 in both.
        let second: UInt8 = attribute ? UInt8(ascii: "\"") : UInt8(ascii: "<")
        let third: UInt8 = attribute ? UInt8(ascii: "\"") : UInt8(ascii: ">")
        // Bytes before this index are looked at one at a time (the eight after a test that found one).
        var slowUntil = 0
        while i < count {
            if i >= slowUntil, i + 8 <= count, let base = bytes.baseAddress {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if !hasByte(word, UInt8(ascii: "&")), !hasByte(word, second), !hasByte(word, third),
                    !hasByte(word, 0xC2)
                {
                    i += 8
                    continue
                }
                slowUntil = i + 8
            }
            let b = bytes[i]
            let replacement: StaticString?
            var width = 1
            switch b {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = attribute ? nil : "&lt;"
            case UInt8(ascii: ">"): replacement = attribute ? nil : "&gt;"
            case UInt8(ascii: "\""): replacement = attribute ? "&quot;" : nil
            case 0xC2 where i + 1 < bytes.count && bytes[i + 1] == 0xA0:
                replacement = "&nbsp;"
                width = 2
            default: replacement = nil
            }
            if let replacement {
                if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                replacement.withUTF8Buffer { out.append(contentsOf: $0) }
                i += width
                runStart = i
            } else {
                i += 1
            }
        }
        if bytes.count > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
    }

    /// Does one of the eight bytes of `word` equal `byte`? (Exact: the classic zero-byte test on `word ^ byte…`.)
    @inline(__always)
    private static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let v = word ^ (UInt64(byte) &* 0x0101_0101_0101_0101)
        return (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080 != 0
    }
}
