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
        let tail = bytes[max(0, bytes.count - 16384)...].map(ASCII.lowercase)
        return !closingTags.contains { name in
            let needle = Array("</\(name)".utf8)
            guard tail.count >= needle.count else { return false }
            var i = tail.startIndex
            while i + needle.count <= tail.endIndex {
                if tail[i] == needle[0], tail[i..<(i + needle.count)].elementsEqual(needle) { return true }
                i += 1
            }
            return false
        }
    }
}
