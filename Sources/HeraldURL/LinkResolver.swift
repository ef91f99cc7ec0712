/// Makes links inside article bodies absolute without canonicalising them: a body keeps the publisher's URL
/// (fragment, query and spelling included) so the exported HTML matches the page.
package enum LinkResolver {
    /// Schemes a cleaned body may link to. `javascript:`, `data:` and the like are dropped.
    private static let allowedSchemes: Set<String> = ["http", "https", "mailto", "ftp", "tel"]

    /// An absolute reference is returned as written (trimmed); a relative one is resolved against `base` and gets its
    /// illegal bytes (raw UTF-8, spaces) percent-encoded. `nil` for disallowed schemes or when there is no base.
    package static func absolute(_ reference: String, base: String?) -> String? {
        let bytes = CanonicalURL.preprocess(reference)
        guard !bytes.isEmpty else { return nil }
        let parsed = URIReference.parse(bytes)
        if let scheme = parsed.scheme {
            guard allowedSchemes.contains(String(decoding: scheme, as: UTF8.self)) else { return nil }
            let trimmed = Array(reference.utf8).drop(while: { $0 <= 0x20 })
            return String(decoding: trimmed.reversed().drop(while: { $0 <= 0x20 }).reversed(), as: UTF8.self)
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
}
