/// Makes links inside article bodies absolute without canonicalising them: a body keeps the publisher's URL
/// (fragment, query and spelling included) so the exported HTML matches the page.
package enum LinkResolver {
    /// Schemes a cleaned body may link to. `javascript:`, `data:` and the like are dropped.
    private static let allowedSchemes: Set<String> = ["http", "https", "mailto", "ftp", "tel"]

    /// An absolute reference is returned as written (trimmed); a relative one is resolved against `base` and gets its
    /// illegal bytes (raw UTF-8, spaces) percent-encoded. `nil` for disallowed schemes or when there is no base.
    package static func absolute(_ reference: String, base: String?) -> String? {
        if let written = writtenHTTP(reference) { return written }
        let bytes = CanonicalURL.preprocess(reference)
        guard !bytes.isEmpty else { return nil }
        let parsed = URIReference.parse(bytes)
        if let scheme = parsed.scheme {
            guard allowedSchemes.contains(String(decoding: scheme, as: UTF8.self)) else { return nil }
            return trimmed(reference)
        }
        guard let base else { return nil }
        let baseReference = URIReference.parse(CanonicalURL.preprocess(base))
        guard let scheme = baseReference.scheme, CanonicalURL.isHTTP(scheme), baseReference.authority != nil else {
            return nil
        }
        return String(
            decoding: PercentEncoding.encodeIllegal(parsed.resolved(against: baseReference).bytes),
            as: UTF8.self)
    }

    /// A reference written as `http://…` or `https://…` (any case; spaces and controls around it), trimmed: the answer
    /// of the general path (its cleanup leaves such a start alone, and the parse reads the scheme, lowercased, as
    /// `http` or `https`), without the cleanup and the parse. Speed: most links of a body are written so, and the two
    /// built a dozen arrays per link. Nil for other references.
    private static func writtenHTTP(_ reference: String) -> String? {
        var reference = reference
        return reference.withUTF8 { bytes -> String? in
            guard let first = bytes.firstIndex(where: { $0 > 0x20 }), let last = bytes.lastIndex(where: { $0 > 0x20 })
            else { return nil }
            let trimmed = UnsafeBufferPointer(rebasing: bytes[first...last])
            guard startsWithIgnoringCase(trimmed, httpPrefix) || startsWithIgnoringCase(trimmed, httpsPrefix) else {
                return nil
            }
            return String(decoding: trimmed, as: UTF8.self)
        }
    }

    private static let httpPrefix = Array("http://".utf8)
    private static let httpsPrefix = Array("https://".utf8)

    /// Does `bytes` start with `prefix` (lowercase ASCII), ASCII letters compared without case?
    private static func startsWithIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        for k in 0..<prefix.count where ASCII.lowercase(bytes[k]) != prefix[k] { return false }
        return true
    }

    /// `reference` without the bytes up to 0x20 at either end. Speed: built from one contiguous slice (the
    /// `reversed()` views made `String(decoding:)` take its generic path, a dynamic cast and a type lookup per link:
    /// about 8,000 instructions per absolute link of a body).
    private static func trimmed(_ reference: String) -> String {
        let bytes = Array(reference.utf8)
        guard let first = bytes.firstIndex(where: { $0 > 0x20 }), let last = bytes.lastIndex(where: { $0 > 0x20 })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
