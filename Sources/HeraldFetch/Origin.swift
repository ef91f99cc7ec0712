import HeraldURL

/// scheme://host:port of a URL: the unit of politeness (HostGate), robots.txt and connection reuse.
package struct Origin: Sendable, Hashable, CustomStringConvertible {
    package let scheme: String
    package let host: String
    package let port: Int

    /// nil for URLs without a scheme or host. Scheme and host are lowercased; the default port is made explicit.
    package init?(url: String) {
        guard let parsed = AbsoluteURL(url), let host = parsed.host, !host.isEmpty,
            let port = parsed.effectivePort
        else { return nil }
        scheme = parsed.scheme
        // Authority keeps IPv6 brackets; the origin holds the bare address and brackets it when printed.
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = port
    }

    /// Always with the port, so `http://a` and `http://a:80` are one origin.
    package var description: String {
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed):\(port)"
    }

    /// Where this origin's robots.txt lives.
    package var robotsURL: String {
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let defaultPort = (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
        return "\(scheme)://\(bracketed)\(defaultPort ? "" : ":\(port)")/robots.txt"
    }
}
