/// An absolute URL taken apart by Herald's one URL parser (`URIReference`, `Authority`), for the places that need its
/// parts rather than its canonical form: politeness origins, robots.txt paths, checks of the config's URLs.
///
/// Foundation's `URLComponents` is not used for this: on Linux it refuses IRIs (raw UTF-8 in a path, as RFI's
/// navigation links have) and knows no IDNA, so a URL Herald fetches could have no origin (see `URIReference`).
package struct AbsoluteURL: Sendable, Equatable {
    /// Lowercased (`https`).
    package var scheme: String
    /// Lowercased and IDNA-mapped (`xn--…`), brackets kept for IPv6; nil when the URL has no authority or an empty
    /// one (`file:///etc/passwd`).
    package var host: String?
    /// As written when it is not the scheme's default (for http and https), else nil.
    package var port: Int?
    /// The path with dot segments removed, existing percent-encoding as written and raw UTF-8 (an IRI) encoded; empty
    /// when the URL has none.
    package var path: String
    package var query: String?
    package var fragment: String?

    /// nil when `text` is not an absolute URL (no scheme) or its authority is unusable (bad port, illegal host).
    package init?(_ text: String) {
        let reference = URIReference.parse(CanonicalURL.preprocess(text))
        guard let scheme = reference.scheme, !scheme.isEmpty else { return nil }
        self.scheme = String(decoding: scheme.map(ASCII.lowercase), as: UTF8.self)
        if let raw = reference.authority, !raw.isEmpty {
            guard let authority = Authority.parse(raw, scheme: scheme) else { return nil }
            host = authority.host
            port = authority.port
        }
        path = String(
            decoding: PercentEncoding.encodeIllegal(URIReference.removeDotSegments(reference.path)),
            as: UTF8.self)
        query = reference.query.map { String(decoding: PercentEncoding.encodeIllegal($0), as: UTF8.self) }
        fragment = reference.fragment.map { String(decoding: $0, as: UTF8.self) }
    }

    /// `port`, or the scheme's default (80 for http, 443 for https; nil for other schemes without one).
    package var effectivePort: Int? {
        port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil)
    }

    /// `path?query`, as a request line carries it (an empty path is `/`).
    package var pathAndQuery: String {
        let path = path.isEmpty ? "/" : path
        return query.map { path + "?" + $0 } ?? path
    }
}
