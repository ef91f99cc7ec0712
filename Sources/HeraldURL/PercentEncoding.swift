/// Percent-encoding normalisation (RFC 3986 §6.2.2.2): decode what is unreserved, uppercase the hex of what stays
/// encoded, encode what may not appear raw (non-ASCII UTF-8 bytes, spaces, quotes, brackets…).
///
/// Reserved characters keep their form: `%2F` inside a segment stays `%2F` (decoding it would split the segment),
/// and a raw `,` stays raw. That is the RFC's safe normalisation; it never changes what a server receives.
package enum PercentEncoding {
    package enum Component {
        case path, query, host

        /// Bytes that may appear unencoded in the component besides unreserved ones.
        func allowsRaw(_ b: UInt8) -> Bool {
            switch self {
            case .path: ASCII.isSubDelim(b) || b == 0x3A || b == 0x40 || b == 0x2F  // : @ /
            case .query: ASCII.isSubDelim(b) || b == 0x3A || b == 0x40 || b == 0x2F || b == 0x3F  // : @ / ?
            case .host: ASCII.isSubDelim(b) || b == 0x3A || b == 0x5B || b == 0x5D  // IPv6 literals
            }
        }
    }

    package static func normalize(_ bytes: [UInt8], component: Component) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 16)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                if i + 2 < bytes.count, ASCII.isHexDigit(bytes[i + 1]), ASCII.isHexDigit(bytes[i + 2]) {
                    let value = ASCII.hexValue(bytes[i + 1]) << 4 | ASCII.hexValue(bytes[i + 2])
                    if ASCII.isUnreserved(value) {
                        out.append(value)
                    } else {
                        appendEncoded(value, to: &out)
                    }
                    i += 3
                    continue
                }
                appendEncoded(b, to: &out)  // a stray "%" becomes "%25"
            } else if ASCII.isUnreserved(b) || component.allowsRaw(b) {
                out.append(b)
            } else {
                appendEncoded(b, to: &out)
            }
            i += 1
        }
        return out
    }

    /// Encodes only what cannot appear in a URI at all (controls, space, non-ASCII, `"<>\^`{|}`), leaving existing
    /// escapes and reserved characters alone: turns an IRI into a URI without otherwise touching it.
    package static func encodeIllegal(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        for b in bytes {
            switch b {
            case 0...0x20, 0x7F...0xFF, 0x22, 0x3C, 0x3E, 0x5C, 0x5E, 0x60, 0x7B, 0x7C, 0x7D: appendEncoded(b, to: &out)
            default: out.append(b)
            }
        }
        return out
    }

    /// Percent-decodes every valid `%XX` (for comparisons such as query parameter names).
    package static func decode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(bytes)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, ASCII.isHexDigit(bytes[i + 1]),
                ASCII.isHexDigit(bytes[i + 2])
            {
                out.append(ASCII.hexValue(bytes[i + 1]) << 4 | ASCII.hexValue(bytes[i + 2]))
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    @inline(__always)
    package static func appendEncoded(_ b: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "%"))
        out.append(ASCII.upperHex[Int(b >> 4)])
        out.append(ASCII.upperHex[Int(b & 0x0F)])
    }
}
