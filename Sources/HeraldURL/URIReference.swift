/// A URI reference split per RFC 3986 appendix B, kept as raw bytes so nothing is decoded or re-encoded by accident.
///
/// Foundation's `URL` is not used: on Linux it rejects IRIs (raw UTF-8 paths, which RFI's navigation uses), and it
/// neither removes dot segments nor normalises percent-encoding the way the dedup key needs.
package struct URIReference: Equatable {
    package var scheme: [UInt8]?
    package var authority: [UInt8]?
    package var path: [UInt8]
    package var query: [UInt8]?
    package var fragment: [UInt8]?

    /// Splits `^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?`. A "scheme" that is not
    /// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )` makes the whole thing a relative path.
    package static func parse(_ bytes: [UInt8]) -> URIReference {
        var index = 0
        var scheme: [UInt8]?
        if let colon = bytes.firstIndex(where: {
            $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "/")
                || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        }),
            bytes[colon] == UInt8(ascii: ":"), colon > 0, isValidScheme(bytes[0..<colon])
        {
            scheme = bytes[0..<colon].map { ASCII.lowercase($0) }
            index = colon + 1
        }
        var authority: [UInt8]?
        if bytes.count - index >= 2, bytes[index] == UInt8(ascii: "/"), bytes[index + 1] == UInt8(ascii: "/") {
            let start = index + 2
            var end = start
            while end < bytes.count, !isOneOf(bytes[end], "/?#") { end += 1 }
            authority = Array(bytes[start..<end])
            index = end
        }
        var end = index
        while end < bytes.count, !isOneOf(bytes[end], "?#") { end += 1 }
        let path = Array(bytes[index..<end])
        index = end
        var query: [UInt8]?
        if index < bytes.count, bytes[index] == UInt8(ascii: "?") {
            end = index + 1
            while end < bytes.count, bytes[end] != UInt8(ascii: "#") { end += 1 }
            query = Array(bytes[(index + 1)..<end])
            index = end
        }
        var fragment: [UInt8]?
        if index < bytes.count, bytes[index] == UInt8(ascii: "#") {
            fragment = Array(bytes[(index + 1)...])
        }
        return URIReference(scheme: scheme, authority: authority, path: path, query: query, fragment: fragment)
    }

    /// RFC 3986 §5.2.2, strict: a reference with a scheme is absolute even if the base has the same scheme.
    package func resolved(against base: URIReference) -> URIReference {
        var target = URIReference(scheme: nil, authority: nil, path: [], query: nil, fragment: fragment)
        if let scheme {
            target.scheme = scheme
            target.authority = authority
            target.path = Self.removeDotSegments(path)
            target.query = query
            return target
        }
        if let authority {
            target.authority = authority
            target.path = Self.removeDotSegments(path)
            target.query = query
        } else {
            if path.isEmpty {
                target.path = base.path
                target.query = query ?? base.query
            } else {
                if path.first == UInt8(ascii: "/") {
                    target.path = Self.removeDotSegments(path)
                } else {
                    target.path = Self.removeDotSegments(Self.merge(base: base, path: path))
                }
                target.query = query
            }
            target.authority = base.authority
        }
        target.scheme = base.scheme
        return target
    }

    /// The reference serialised back (RFC 3986 §5.3).
    package var bytes: [UInt8] {
        var out = [UInt8]()
        if let scheme { out += scheme + [UInt8(ascii: ":")] }
        if let authority { out += Array("//".utf8) + authority }
        out += path
        if let query { out += [UInt8(ascii: "?")] + query }
        if let fragment { out += [UInt8(ascii: "#")] + fragment }
        return out
    }

    private static func merge(base: URIReference, path: [UInt8]) -> [UInt8] {
        if base.authority != nil, base.path.isEmpty { return [UInt8(ascii: "/")] + path }
        guard let slash = base.path.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return Array(base.path[...slash]) + path
    }

    /// RFC 3986 §5.2.4 expressed over segments: `.` vanishes, `..` drops the previous segment (never above the root),
    /// and a trailing `.`/`..` leaves a trailing slash.
    package static func removeDotSegments(_ path: [UInt8]) -> [UInt8] {
        guard path.contains(UInt8(ascii: ".")) else { return path }
        let segments = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        let absolute = path.first == UInt8(ascii: "/")
        var output: [ArraySlice<UInt8>] = []
        for (i, segment) in segments.enumerated() {
            let isLast = i == segments.count - 1
            if segment.elementsEqual([UInt8(ascii: ".")]) {
                if isLast { output.append([]) }
            } else if segment.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                if output.count > (absolute ? 1 : 0) { output.removeLast() }
                if isLast { output.append([]) }
            } else {
                output.append(segment)
            }
        }
        if absolute, output.count == 1 { return [UInt8(ascii: "/")] }
        var joined = [UInt8]()
        for (i, segment) in output.enumerated() {
            if i > 0 { joined.append(UInt8(ascii: "/")) }
            joined += segment
        }
        return joined
    }

    private static func isValidScheme(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, ASCII.isAlpha(first) else { return false }
        return bytes.allSatisfy { ASCII.isAlpha($0) || ASCII.isDigit($0) || isOneOf($0, "+-.") }
    }

    private static func isOneOf(_ byte: UInt8, _ set: StaticString) -> Bool {
        set.withUTF8Buffer { $0.contains(byte) }
    }
}

/// Byte classes used by the URL and HTML code.
package enum ASCII {
    @inlinable package static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inlinable package static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inlinable package static func isHexDigit(_ b: UInt8) -> Bool {
        isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66)
    }
    @inlinable package static func hexValue(_ b: UInt8) -> UInt8 { isDigit(b) ? b - 0x30 : (b | 0x20) - 0x61 + 10 }
    @inlinable package static func lowercase(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
    package static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~".
    @inlinable package static func isUnreserved(_ b: UInt8) -> Bool {
        isAlpha(b) || isDigit(b) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
    }

    /// RFC 3986 sub-delims: "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "=".
    @inlinable package static func isSubDelim(_ b: UInt8) -> Bool {
        switch b {
        case 0x21, 0x24, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x3B, 0x3D: true
        default: false
        }
    }

    package static func lowercased(_ s: String) -> String {
        String(decoding: s.utf8.map(lowercase), as: UTF8.self)
    }
}
