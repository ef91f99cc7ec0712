/// IRI → URI (RFC 3987 §3.1): non-ASCII and other illegal bytes percent-encoded as UTF-8 with uppercase hex, nothing
/// else changed. What `new URL(link).href` gives for feedx's raw UTF-8 links.
package enum IRI {
    package static func toURI(_ iri: String) -> String {
        String(decoding: PercentEncoding.encodeIllegal(CanonicalURL.preprocess(iri)), as: UTF8.self)
    }
}
