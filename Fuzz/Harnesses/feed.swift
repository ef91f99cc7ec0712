// libFuzzer target: feed parsing (RSS 2.0, RSS 1.0/RDF, Atom; full-text items; kind detection) and, for a quarter of
// the inputs, HTML listing pages. Input: one selector byte, then the document. The selector picks the declared kind,
// the profile and full-text mode.
import HeraldParse
import HeraldURL

private let kinds: [ListingKind] = [.auto, .rss, .atom, .html]
private let profiles: [Profile] = [.rfi, .generic]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFeed(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 1 else { return 0 }
    let selector = Int(data[0])
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    guard
        let extractor = try? ListingExtractor(
            kind: kinds[selector & 3], profile: profiles[(selector >> 2) & 1],
            linkPattern: nil, fullText: (selector >> 3) & 1 == 1)
    else { return 0 }
    guard
        let listing = try? extractor.extract(
            body: body, contentType: (selector >> 4) & 1 == 1 ? "application/rss+xml" : nil,
            url: "https://www.rfi.fr/cn/rss/index.xml")
    else { return 0 }
    // Every link a listing yields becomes a database key and a request: it must be a canonical http(s) URL.
    for link in listing.links {
        check(link.url.hasPrefix("http://") || link.url.hasPrefix("https://"), "non-http link \(link.url)")
        check(CanonicalURL.canonicalize(link.url) == link.url, "listing link not canonical: \(link.url)")
    }
    return 0
}
