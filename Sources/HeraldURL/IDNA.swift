internal import CIDN2

/// A non-ASCII host name to its ASCII form (`Bücher.example` → `xn--bcher-kva.example`), by libidn2: IDNA2008 with
/// the UTS #46 non-transitional mapping, which is what browsers and libcurl do. The mapping matters for canonical
/// URLs: full-width letters and dots (`ｅｘａｍｐｌｅ。中国`), case and compatibility forms all become the one spelling
/// a browser would request, so two spellings of a host are one URL. (Herald had its own Punycode encoder, which
/// lowercased and encoded but did no mapping: `ｅｘａｍｐｌｅ.com` became an `xn--` label no DNS server knows.)
package enum IDNA {
    /// The ASCII form of `host` (UTF-8, percent-decoded), lowercased; nil when UTS #46 processing rejects it
    /// (a disallowed code point, a label too long, a bidi violation).
    package static func toASCII(_ host: String) -> String? {
        var output: UnsafeMutablePointer<CChar>?
        let flags = Int32(IDN2_NONTRANSITIONAL.rawValue | IDN2_NFC_INPUT.rawValue)
        let status = idn2_to_ascii_8z(host, &output, flags)
        guard status == Int32(IDN2_OK.rawValue), let output else { return nil }
        defer { idn2_free(output) }
        let ascii = String(cString: output)
        return ascii.isEmpty ? nil : String(decoding: ascii.utf8.map(ASCII.lowercase), as: UTF8.self)
    }
}
