/// The dedup key for article URLs (design.md "Deduplication").
///
/// - scheme and host lowercased; only `http` and `https` survive; default ports dropped;
/// - the fragment and the tracking parameters `utm_*`, `fbclid`, `gclid`, `xtor` dropped, other parameters kept in
///   order; an emptied query loses its `?`;
/// - percent-encoding normalised (`PercentEncoding`): unreserved characters decoded, hex uppercased, raw UTF-8
///   (IRIs such as RFI's navigation links) encoded as UTF-8 with uppercase hex; `%2F` is never decoded;
/// - dot segments removed, an empty path becomes `/`, a trailing `index.html` is dropped;
/// - a non-ASCII host goes through IDNA with the UTS #46 mapping (`IDNA`, libidn2: `xn--…` labels); ASCII hosts are
///   only lowercased.
///
/// So `/cn/中国/x`, `/cn/%e4%b8%ad%e5%9b%bd/x`, `/cn/%E4%B8%AD%E5%9B%BD/x#top` and `…/x?xtor=RSS&utm_source=a`
/// are one URL.
package enum CanonicalURL {
    /// Resolves `reference` against `base` (RFC 3986 §5, dot segments included), then canonicalises.
    /// `nil` for non-http(s) schemes (`javascript:`, `mailto:`…), empty references, a relative reference without a
    /// usable base, and unparsable authorities (bad port, empty or illegal host).
    package static func resolve(_ reference: String, against base: String?) -> String? {
        guard let target = absoluteReference(reference, against: base) else { return nil }
        return canonical(target)
    }

    /// Canonicalises an absolute URL (or IRI); `nil` when it is not an absolute http(s) URL.
    package static func canonicalize(_ url: String) -> String? {
        resolve(url, against: nil)
    }

    /// Lowercased `host[:port]` (port only when not the scheme's default), e.g. `www.rfi.fr`, `127.0.0.1:8080`.
    package static func host(of url: String) -> String? {
        guard let target = absoluteReference(url, against: nil), let scheme = target.scheme,
            let authority = target.authority.flatMap({ Authority.parse($0, scheme: scheme) })
        else { return nil }
        return authority.hostAndPort
    }

    /// Scheme + host + port of a canonical URL, the unit of "same site" for listings.
    package static func origin(of url: String) -> String? {
        guard let target = absoluteReference(url, against: nil), let scheme = target.scheme,
            let authority = target.authority.flatMap({ Authority.parse($0, scheme: scheme) })
        else { return nil }
        return String(decoding: scheme, as: UTF8.self) + "://" + authority.hostAndPort
    }

    /// The path (with query) of an absolute URL, e.g. for pattern checks and test comparisons.
    package static func pathAndQuery(of url: String) -> String? {
        guard let target = absoluteReference(url, against: nil) else { return nil }
        var out = target.path
        if let query = target.query { out += [UInt8(ascii: "?")] + query }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Internals

    package static func absoluteReference(_ reference: String, against base: String?) -> URIReference? {
        let bytes = preprocess(reference)
        guard !bytes.isEmpty else { return nil }
        let parsed = URIReference.parse(bytes)
        if let scheme = parsed.scheme {
            guard isHTTP(scheme) else { return nil }
            var absolute = parsed
            absolute.path = URIReference.removeDotSegments(parsed.path)
            return absolute
        }
        guard let base else { return nil }
        let baseReference = URIReference.parse(preprocess(base))
        guard let baseScheme = baseReference.scheme, isHTTP(baseScheme), baseReference.authority != nil else {
            return nil
        }
        return parsed.resolved(against: baseReference)
    }

    private static func canonical(_ target: URIReference) -> String? {
        guard let scheme = target.scheme, isHTTP(scheme), let rawAuthority = target.authority,
            let authority = Authority.parse(rawAuthority, scheme: scheme)
        else { return nil }
        var out = scheme + Array("://".utf8)
        if let userinfo = authority.userinfo { out += userinfo + [UInt8(ascii: "@")] }
        out += Array(authority.hostAndPort.utf8)
        var path = URIReference.removeDotSegments(PercentEncoding.normalize(target.path, component: .path))
        if path.isEmpty { path = [UInt8(ascii: "/")] }
        let index = Array("/index.html".utf8)
        if path.count >= index.count, path.suffix(index.count).elementsEqual(index) {
            path.removeLast(index.count - 1)
        }
        out += path
        if let query = target.query {
            let kept = query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true)
                .filter { !isTrackingParameter($0) }
                .map { PercentEncoding.normalize(Array($0), component: .query) }
            if !kept.isEmpty {
                out.append(UInt8(ascii: "?"))
                for (i, parameter) in kept.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: "&")) }
                    out += parameter
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isTrackingParameter(_ parameter: ArraySlice<UInt8>) -> Bool {
        let name =
            parameter.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            .first ?? []
        let decoded = PercentEncoding.decode(name).map(ASCII.lowercase)
        if decoded.starts(with: Array("utm_".utf8)) { return true }
        let lowered = String(decoding: decoded, as: UTF8.self)
        return lowered == "fbclid" || lowered == "gclid" || lowered == "xtor"
    }

    package static func isHTTP(_ scheme: [UInt8]) -> Bool {
        scheme.elementsEqual("http".utf8) || scheme.elementsEqual("https".utf8)
    }

    /// WHATWG-style input cleanup: strip leading/trailing C0 controls and spaces, remove tabs and newlines anywhere,
    /// and read `\` as `/` before the query (browsers do, for http(s) and relative references).
    package static func preprocess(_ input: String) -> [UInt8] {
        var bytes = Array(input.utf8)
        while let last = bytes.last, last <= 0x20 { bytes.removeLast() }
        let start = bytes.firstIndex(where: { $0 > 0x20 }) ?? bytes.count
        bytes.removeFirst(start)
        bytes.removeAll(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
        let lower = bytes.prefix(6).map(ASCII.lowercase)
        let hasOtherScheme: Bool = {
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
            let candidate = bytes[..<colon]
            guard
                candidate.allSatisfy({
                    ASCII.isAlpha($0) || ASCII.isDigit($0) || $0 == 0x2B || $0 == 0x2D
                        || $0 == 0x2E
                }), candidate.first.map(ASCII.isAlpha) == true
            else { return false }
            return !(lower.starts(with: "http:".utf8) || lower.starts(with: "https:".utf8))
        }()
        if !hasOtherScheme {
            for i in bytes.indices {
                if bytes[i] == UInt8(ascii: "?") || bytes[i] == UInt8(ascii: "#") { break }
                if bytes[i] == UInt8(ascii: "\\") { bytes[i] = UInt8(ascii: "/") }
            }
        }
        return bytes
    }
}

/// `[userinfo@]host[:port]`, validated and normalised.
package struct Authority {
    package var userinfo: [UInt8]?
    package var host: String
    package var port: Int?

    package var hostAndPort: String { port.map { "\(host):\($0)" } ?? host }

    package static func parse(_ raw: [UInt8], scheme: [UInt8]) -> Authority? {
        var rest = raw[...]
        var userinfo: [UInt8]?
        if let at = rest.lastIndex(of: UInt8(ascii: "@")) {
            let info = Array(rest[..<at])
            if !info.isEmpty { userinfo = PercentEncoding.normalize(info, component: .host) }
            rest = rest[(at + 1)...]
        }
        var hostBytes: ArraySlice<UInt8>
        var portBytes: ArraySlice<UInt8>?
        if rest.first == UInt8(ascii: "[") {
            guard let close = rest.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostBytes = rest[rest.startIndex...close]
            let after = rest[(close + 1)...]
            if let first = after.first {
                guard first == UInt8(ascii: ":") else { return nil }
                portBytes = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: UInt8(ascii: ":")) {
            hostBytes = rest[..<colon]
            portBytes = rest[(colon + 1)...]
        } else {
            hostBytes = rest
        }
        guard let host = normalizeHost(Array(hostBytes)) else { return nil }
        var port: Int?
        if let portBytes, !portBytes.isEmpty {
            guard portBytes.count <= 5, portBytes.allSatisfy(ASCII.isDigit) else { return nil }
            let value = portBytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard value <= 65535 else { return nil }
            let defaultPort = scheme.elementsEqual("https".utf8) ? 443 : 80
            if value != defaultPort { port = value }
        }
        return Authority(userinfo: userinfo, host: host, port: port)
    }

    /// Percent-decodes, lowercases, rejects forbidden host code points, and maps a non-ASCII host through IDNA.
    private static func normalizeHost(_ raw: [UInt8]) -> String? {
        let decoded = PercentEncoding.decode(raw)
        guard !decoded.isEmpty else { return nil }
        if decoded.first == UInt8(ascii: "[") {
            // An IP literal (RFC 3986 §3.2.2): hex digits, colons and dots between the brackets, nothing else. (Letting
            // other bytes through sent `[::é]` down the IDNA path and produced a "canonical" host that is no host.)
            let inner = decoded.dropFirst().dropLast()
            guard decoded.last == UInt8(ascii: "]"), !inner.isEmpty,
                inner.allSatisfy({ ASCII.isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
            else { return nil }
            return String(decoding: decoded.map(ASCII.lowercase), as: UTF8.self)
        }
        for b in decoded where b <= 0x20 || b == 0x7F || isForbidden(b) {
            return nil
        }
        if decoded.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: decoded.map(ASCII.lowercase), as: UTF8.self)
        }
        guard let unicode = String(validating: decoded, as: UTF8.self) else { return nil }
        return IDNA.toASCII(unicode)
    }

    private static func isForbidden(_ b: UInt8) -> Bool {
        switch b {
        // # % / : < > ? @ [ \ ] ^ |
        case 0x23, 0x25, 0x2F, 0x3A, 0x3C, 0x3E, 0x3F, 0x40, 0x5B, 0x5C, 0x5D, 0x5E, 0x7C: true
        default: false
        }
    }
}
