/// Whitespace normalisation, rule N of the fixture README.
///
/// Only ASCII whitespace counts (U+0009, U+000A, U+000C, U+000D, U+0020). U+00A0 (from `&nbsp;`) and U+3000 (the
/// ideographic space) are content: Foundation's `.whitespacesAndNewlines` and regex `\s` would eat them, so neither
/// is used here.
package enum Normalize {
    /// Replaces every run of ASCII whitespace with one U+0020 and strips leading and trailing U+0020.
    package static func whitespace(_ s: String) -> String {
        let utf8 = s.utf8
        if let already = utf8.withContiguousStorageIfAvailable({ isNormalized($0) }), already { return s }
        return String(decoding: whitespace(bytes: Array(utf8)), as: UTF8.self)
    }

    /// Rule N on UTF-8 bytes. Safe on multi-byte sequences: ASCII bytes never occur inside them.
    package static func whitespace(bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for byte in bytes {
            if isASCIIWhitespace(byte) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            out.append(byte)
        }
        return out
    }

    @inline(__always)
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C
    }

    /// True when rule N would not change the text (no leading/trailing whitespace, only single U+0020 inside).
    private static func isNormalized(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previousWasSpace = true  // a leading space is not normalised
        for byte in bytes {
            if byte == 0x20 {
                if previousWasSpace { return false }
                previousWasSpace = true
            } else if isASCIIWhitespace(byte) {
                return false
            } else {
                previousWasSpace = false
            }
        }
        return !previousWasSpace || bytes.isEmpty
    }
}
