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

    private static func append(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], attribute: Bool) {
        var i = 0
        var runStart = 0
        while i < bytes.count {
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
}
