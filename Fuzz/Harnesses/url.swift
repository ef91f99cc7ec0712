// libFuzzer target: URL resolution and canonicalisation (the dedup key). Input: a reference, optionally followed by
// a newline and a base URL. Beyond crashes, it checks the properties the seen check relies on: a canonical URL is a
// fixed point (canonicalising it again changes nothing), it is http(s), and its host can be read back.
import HeraldParse
import HeraldURL

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzURL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let reference = String(parts[0])
    let base = parts.count > 1 ? String(parts[1]) : nil
    _ = CanonicalURL.host(of: reference)
    for candidate in [CanonicalURL.resolve(reference, against: base), CanonicalURL.canonicalize(reference)] {
        guard let canonical = candidate else { continue }
        check(canonical.hasPrefix("http://") || canonical.hasPrefix("https://"), "not http(s): \(canonical)")
        let again = CanonicalURL.canonicalize(canonical)
        check(again == canonical, "not idempotent: \(reference) → \(canonical) → \(again ?? "nil")")
        check(CanonicalURL.host(of: canonical) != nil, "no host in \(canonical)")
    }
    return 0
}
