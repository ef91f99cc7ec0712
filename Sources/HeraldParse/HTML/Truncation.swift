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
        // Compared in place, ASCII case folded (no lowercased copy of the tail).
        let start = max(0, bytes.count - 16384)
        return bytes.withUnsafeBufferPointer { buffer in
            !closingTags.contains { name in
                let needle = Array("</\(name)".utf8)
                guard buffer.count - start >= needle.count else { return false }
                var i = start
                while i + needle.count <= buffer.count {
                    if buffer[i] == UInt8(ascii: "<") {
                        var k = 1
                        while k < needle.count {
                            var byte = buffer[i + k]
                            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
                            if byte != needle[k] { break }
                            k += 1
                        }
                        if k == needle.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}
