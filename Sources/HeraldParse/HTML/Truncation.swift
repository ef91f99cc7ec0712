import HeraldURL

/// Did the transfer stop early? A complete HTML page ends with `</html>` (or at least `</body>`) and a `>`; a body cut
/// off by a dropped connection or a size cap ends mid-tag or mid-text. Trailing whitespace and comments are allowed.
package enum Truncation {
    /// Checks a whole HTML body (any ASCII-compatible encoding).
    package static func looksTruncatedHTML(_ body: [UInt8]) -> Bool {
        looksTruncated(body, closingTags: ["html", "body"])
    }

    /// True when none of `closingTags` (`</name`) occurs in the last 16 KB, or the last non-space byte is not `>`.
    static func looksTruncated(_ bytes: [UInt8], closingTags: [String]) -> Bool {
        guard let last = bytes.lastIndex(where: { !MarkupScanner.isSpace($0) && $0 != 0 }) else { return true }
        if bytes[last] != UInt8(ascii: ">") { return true }
        let needles = closingTags.map { Array("</\($0)".utf8) }
        // From the end backwards: a complete page's `</html>` is among its last bytes, where a forward scan of the
        // 16 KB per name looked at every byte (1 % of the generic profile's time).
        let start = max(0, bytes.count - 16384)
        return bytes.withUnsafeBufferPointer { buffer in
            var lt = buffer.count - 1
            while lt >= start {
                if buffer[lt] == UInt8(ascii: "<"), needles.contains(where: { Self.hasTag($0, in: buffer, at: lt) }) {
                    return false
                }
                lt -= 1
            }
            return true
        }
    }

    /// Does `needle` (`</name`, lowercase) start at `index`, ASCII case folded?
    private static func hasTag(_ needle: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + needle.count <= buffer.count else { return false }
        for k in 1..<needle.count where Byte.lowercase(buffer[index + k]) != needle[k] { return false }
        return true
    }
}
