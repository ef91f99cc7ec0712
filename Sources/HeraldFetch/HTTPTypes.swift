import Foundation

/// One GET. Conditional headers are set for listings (validators stored per source).
package struct HTTPRequest: Sendable, Equatable {
    /// Absolute http or https URL, percent-encoded (no raw non-ASCII).
    package var url: String
    package var ifNoneMatch: String?
    package var ifModifiedSince: String?
    /// Sent as `Accept:`; nil leaves curl's default.
    package var accept: String?

    package init(url: String, ifNoneMatch: String? = nil, ifModifiedSince: String? = nil, accept: String? = nil) {
        self.url = url
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.accept = accept
    }
}

/// A complete response (any status: 2xx, 304 and errors the caller wants to see are values, not throws).
package struct HTTPResponse: Sendable, Equatable {
    package var status: Int
    /// The URL after redirects.
    package var finalURL: String
    /// Header names lowercased; for repeated headers the last value wins.
    package var headers: [String: String]
    /// Decompressed body bytes.
    package var body: [UInt8]
    /// Seconds from start to the last byte.
    package var elapsed: Double
    package var redirectCount: Int

    package init(
        status: Int, finalURL: String, headers: [String: String] = [:], body: [UInt8] = [],
        elapsed: Double = 0, redirectCount: Int = 0
    ) {
        self.status = status
        self.finalURL = finalURL
        self.headers = headers
        self.body = body
        self.elapsed = elapsed
        self.redirectCount = redirectCount
    }

    package var contentType: String? { headers["content-type"] }
    package var etag: String? { headers["etag"] }
    package var lastModified: String? { headers["last-modified"] }
}

/// Why a fetch produced no usable response. Always carries the URL; `description` is one log-ready sentence.
package struct FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// Connect or total timeout, or the low-speed limit (a stalled or trickling server).
        case timeout
        /// The body (after decompression) passed `maxBodyBytes`; the transfer was aborted, nothing kept.
        case bodyTooLarge(limit: Int)
        case tooManyRedirects(limit: Int)
        /// A scheme other than http/https, in the request or in a redirect.
        case unsupportedScheme(String)
        /// The target resolved to a loopback/private/link-local address while `blockPrivateAddresses` is on.
        case blockedAddress
        /// The URL cannot be fetched as written (no host, malformed).
        case invalidURL(String)
        /// The host name does not resolve: no such name, or no DNS server answered.
        case dnsFailure(message: String)
        /// The host answered but nothing accepts connections on that port: the machine's network works.
        case connectionRefused(message: String)
        /// No route to the host or its network, or the connection attempt failed otherwise.
        case unreachable(message: String)
        /// The TLS handshake or the certificate check failed.
        case tls(message: String)
        /// The connection broke after it was made: reset, truncated or corrupt body, protocol error.
        case transfer(message: String)
        /// A final non-2xx, non-304 status. `retryAfter` in seconds when the server sent one (429/503).
        case http(status: Int, retryAfter: Double?)
        /// robots.txt forbids the URL for our User-Agent.
        case robotsDisallowed
        /// robots.txt could not be fetched (5xx, 429, network error, timeout). RFC 9309 says to assume complete
        /// disallow meanwhile; the cache asks again after a short time. `reason` says what went wrong.
        case robotsUnavailable(reason: String)
        /// The client was shut down (daemon stopping).
        case cancelled
    }

    package var url: String
    package var kind: Kind

    package init(url: String, kind: Kind) {
        self.url = url
        self.kind = kind
    }

    /// Worth trying again later: network errors, timeouts, 5xx, 429, an unreachable robots.txt. Not 4xx, not policy
    /// refusals.
    package var isTransient: Bool {
        switch kind {
        case .timeout, .dnsFailure, .connectionRefused, .unreachable, .tls, .transfer, .robotsUnavailable: true
        case let .http(status, _): status == 429 || status >= 500
        default: false
        }
    }

    /// The failure happened below HTTP: the server could not be reached, or the connection broke. What a caller needs
    /// to tell a dead server or a network outage from a server that answered.
    package var isNetworkLevel: Bool {
        switch kind {
        case .timeout, .dnsFailure, .connectionRefused, .unreachable, .tls, .transfer: true
        default: false
        }
    }

    package var description: String {
        switch kind {
        case .timeout: "timed out: \(url)"
        case let .bodyTooLarge(limit): "body larger than maxBodyBytes (\(limit) bytes), aborted: \(url)"
        case let .tooManyRedirects(limit): "more than \(limit) redirects: \(url)"
        case let .unsupportedScheme(scheme): "unsupported scheme \"\(scheme)\" (only http and https): \(url)"
        case .blockedAddress: "refused: resolves to a private or loopback address (blockPrivateAddresses): \(url)"
        case let .invalidURL(reason): "invalid URL (\(reason)): \(url)"
        case let .dnsFailure(message): "the host name does not resolve (\(message)): \(url)"
        case let .connectionRefused(message): "connection refused (\(message)): \(url)"
        case let .unreachable(message): "host unreachable (\(message)): \(url)"
        case let .tls(message): "TLS failure (\(message)): \(url)"
        case let .transfer(message): "transfer failed (\(message)): \(url)"
        case let .http(status, retryAfter):
            "HTTP \(status)\(retryAfter.map { " (Retry-After \(Int($0))s)" } ?? ""): \(url)"
        case .robotsDisallowed: "disallowed by robots.txt: \(url)"
        case let .robotsUnavailable(reason):
            "robots.txt unavailable (\(reason)), treated as disallow-all for now (RFC 9309): \(url)"
        case .cancelled: "cancelled (shutting down): \(url)"
        }
    }
}

/// The seam between the crawl and the network: the real `PoliteFetcher`, or a stub in tests.
package protocol Fetching: Sendable {
    /// Performs the request. HTTP 2xx and 304 come back as `.success`; every other outcome is a `FetchError`.
    func fetch(_ request: HTTPRequest) async -> Result<HTTPResponse, FetchError>
}
