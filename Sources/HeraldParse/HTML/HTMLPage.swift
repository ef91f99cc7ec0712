/// One HTML response, ready for extraction: decoded to UTF-8 (`Charset`), stripped of script/style/svg/comment bytes
/// (`ContentStripper`), parsed by libxml2.
struct HTMLPage {
    let document: MarkupDocument
    /// WHATWG name of the encoding the body was decoded from.
    let encoding: String
    /// The bytes look cut off (`Truncation`).
    let looksTruncated: Bool

    /// nil when libxml2 builds no tree (empty or binary input). `furniture`: elements outside `<article>` the caller
    /// never reads (see `ContentStripper`).
    static func load(body: [UInt8], contentType: String?,
                     furniture: Set<ContentStripper.Furniture> = []) -> HTMLPage? {
        let decoded = Charset.decode(body, contentType: contentType)
        let truncated = Truncation.looksTruncated(decoded.utf8, closingTags: ["html", "body"])
        guard let document = MarkupDocument.html(utf8: ContentStripper.strip(decoded.utf8, furniture: furniture)),
              document.root != nil else { return nil }
        return HTMLPage(document: document, encoding: decoded.encoding, looksTruncated: truncated)
    }
}

/// Did the transfer stop early? A complete HTML page ends with `</html>` (or at least `</body>`) and a `>`; a body cut
/// off by a dropped connection or a size cap ends mid-tag or mid-text. Trailing whitespace and comments are allowed.
public enum Truncation {
    /// Checks a whole HTML body (any ASCII-compatible encoding).
    public static func looksTruncatedHTML(_ body: [UInt8]) -> Bool {
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
