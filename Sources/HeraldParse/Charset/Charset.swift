import HeraldURL

/// Turns an HTTP body into UTF-8 before libxml2 sees it.
///
/// libxml2 2.9.14 left to itself gets two fixture pages wrong (fixtures README): a BOM with a contradicting
/// `<meta charset>` yields an empty document, and invalid UTF-8 flips it to Latin-1 for the rest of the page. So the
/// encoding is chosen and decoded here, and the parser is told "UTF-8, ignore the document's own hints".
///
/// Order (HTML Standard "encoding sniffing", with the BOM first as it prescribes):
/// 1. a byte-order mark (UTF-8, UTF-16LE/BE) — wins even over the HTTP header;
/// 2. the `charset` parameter of the HTTP `Content-Type`;
/// 3. `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">` anywhere in the head
///    (`MetaPrescan`, which skips scripts, styles and comments, so a 190 KB inline style cannot hide it);
/// 4. UTF-8.
/// Invalid bytes become U+FFFD (one per maximal invalid subsequence, as WHATWG specifies); decoding never fails.
package enum Charset {
    /// The body as UTF-8 (BOM removed) and the WHATWG name of the encoding it was decoded from.
    package static func decode(_ bytes: [UInt8], contentType: String?) -> (utf8: [UInt8], encoding: String) {
        let encoding = detect(bytes, contentType: contentType)
        let decoded = bytes.withUnsafeBufferPointer { buffer -> [UInt8]? in
            let body = UnsafeBufferPointer(rebasing: buffer[encoding.bomLength...])
            // The common case: valid UTF-8 without a BOM goes through as it came, without a copy.
            if encoding.encoding == .utf8, encoding.bomLength == 0, UTF8Validation.isValid(body) { return nil }
            return decode(body, as: encoding.encoding)
        }
        return (decoded ?? bytes, encoding.encoding.name)
    }

    /// The encoding `decode` would use, and the length of the BOM to skip.
    static func detect(_ bytes: [UInt8], contentType: String?) -> (encoding: TextEncoding, bomLength: Int) {
        if let bom = byteOrderMark(bytes) { return bom }
        if let label = contentType.flatMap(charsetParameter), let encoding = TextEncoding(label: label) {
            return (encoding, 0)
        }
        if let label = MetaPrescan.charsetLabel(in: bytes), let encoding = TextEncoding(label: label) {
            // HTML Standard: a meta declaring UTF-16 means UTF-8 (the bytes in hand are ASCII-compatible).
            return (encoding.isUTF16 ? .utf8 : encoding, 0)
        }
        return (.utf8, 0)
    }

    static func byteOrderMark(_ bytes: [UInt8]) -> (encoding: TextEncoding, bomLength: Int)? {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return (.utf8, 3) }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return (.utf16BE, 2) }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return (.utf16LE, 2) }
        return nil
    }

    /// `text/html; charset="GBK"` → `gbk`. Parameter names are case-insensitive; quotes are optional.
    static func charsetParameter(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, ASCII.lowercased(Normalize.whitespace(String(pair[0]))) == "charset" else {
                continue
            }
            var value = Normalize.whitespace(String(pair[1]))
            if value.hasPrefix("\"") || value.hasPrefix("'") { value.removeFirst() }
            if value.hasSuffix("\"") || value.hasSuffix("'") { value.removeLast() }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, as encoding: TextEncoding) -> [UInt8] {
        switch encoding {
        case .utf8:
            if UTF8Validation.isValid(bytes) { return Array(bytes) }
            // Swift's decoder replaces each maximal invalid subsequence with one U+FFFD, exactly like WHATWG.
            return Array(String(decoding: bytes, as: UTF8.self).utf8)
        case .utf16LE, .utf16BE:
            var units = [UInt16]()
            units.reserveCapacity(bytes.count / 2)
            var i = 0
            while i + 1 < bytes.count {
                let (a, b) = (UInt16(bytes[i]), UInt16(bytes[i + 1]))
                units.append(encoding == .utf16LE ? a | b << 8 : a << 8 | b)
                i += 2
            }
            var text = String(decoding: units, as: UTF16.self)
            if bytes.count % 2 == 1 { text.append("\u{FFFD}") }
            return Array(text.utf8)
        case .windows1252:
            return Windows1252.decode(bytes)
        case let .iconv(name, _):
            return Iconv.decode(bytes, from: name) ?? Array(String(decoding: bytes, as: UTF8.self).utf8)
        }
    }
}

/// An encoding Herald can decode, named after WHATWG's Encoding Standard.
enum TextEncoding: Equatable {
    case utf8
    case utf16LE
    case utf16BE
    /// Also what `iso-8859-1`, `latin1` and `us-ascii` mean on the web (bytes 0x80–0x9F are `’`, `œ`, `€`…).
    case windows1252
    /// Decoded by glibc iconv: `iconvName` is glibc's name, `name` the WHATWG one.
    case iconv(iconvName: String, name: String)

    var name: String {
        switch self {
        case .utf8: "utf-8"
        case .utf16LE: "utf-16le"
        case .utf16BE: "utf-16be"
        case .windows1252: "windows-1252"
        case let .iconv(_, name): name
        }
    }

    var isUTF16: Bool { self == .utf16LE || self == .utf16BE }

    /// WHATWG label matching for the encodings news sites use; other labels are tried on iconv as written.
    init?(label raw: String) {
        let label = ASCII.lowercased(Normalize.whitespace(raw))
        guard !label.isEmpty else { return nil }
        switch label {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8":
            self = .utf8
        case "utf-16", "utf-16le", "unicode", "ucs-2", "csunicode", "iso-10646-ucs-2", "unicodefeff":
            self = .utf16LE
        case "utf-16be", "unicodefffe":
            self = .utf16BE
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "iso88591", "latin1", "l1", "us-ascii", "ascii",
            "ansi_x3.4-1968", "windows-1252", "cp1252", "x-cp1252", "cp819", "ibm819", "csisolatin1",
            "iso-ir-100", "iso_8859-1:1987":
            self = .windows1252
        // WHATWG's GBK decoder is its gb18030 decoder; GB18030 is a superset of GBK and GB2312.
        case "gbk", "x-gbk", "gb2312", "gb_2312", "gb_2312-80", "chinese", "csgb2312", "csiso58gb231280",
            "iso-ir-58":
            self = .iconv(iconvName: "GB18030", name: "gbk")
        case "gb18030":
            self = .iconv(iconvName: "GB18030", name: "gb18030")
        // WHATWG's Big5 is Big5-HKSCS (Big5 plus the Hong Kong and CP950 extensions).
        case "big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5":
            self = .iconv(iconvName: "BIG5-HKSCS", name: "big5")
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "ms932", "windows-31j", "csshiftjis":
            self = .iconv(iconvName: "CP932", name: "shift_jis")
        case "euc-kr", "cseuckr", "ks_c_5601-1987", "ks_c_5601-1989", "korean", "windows-949":
            self = .iconv(iconvName: "CP949", name: "euc-kr")
        case "x-user-defined":
            self = .windows1252
        default:
            guard label.utf8.allSatisfy({ ASCII.isAlpha($0) || ASCII.isDigit($0) || "-_.:".utf8.contains($0) }),
                Iconv.isSupported(label.uppercased())
            else { return nil }
            self = .iconv(iconvName: label.uppercased(), name: label)
        }
    }
}
