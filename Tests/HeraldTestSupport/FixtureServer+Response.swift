import Foundation

extension FixtureServer {
    /// What a route answers. Build one with the factories (`.html`, `.status`, `.redirect`, …) and refine it with
    /// the modifiers (`.gzipped()`, `.stalling()`, `.delayed(by:)`, …), e.g. `.html("<p>hi</p>").gzipped()`.
    public struct Response: Sendable {
        public var status: Int
        /// Sent in order. `Content-Length`, `Date`, `Server` and `Connection` are added by the server unless set here.
        public var headers: [(name: String, value: String)]
        /// The body before `encoding` is applied.
        public var body: [UInt8]
        public var encoding: Encoding
        public var behaviour: Behaviour
        /// Wait before sending anything (ends early if the client goes away or the server stops).
        public var delay: TimeInterval
        /// Close the connection after this response even if the client wants keep-alive.
        public var closeConnection: Bool
        /// Send no Content-Length and close after the body (a close-delimited body, as HTTP/1.0 servers do).
        public var omitContentLength: Bool

        public enum Encoding: Sendable {
            case identity
            /// `Content-Encoding: gzip` with a valid (stored-block) gzip of the body.
            case gzip
            /// `Content-Encoding: gzip` with a body no inflater accepts.
            case corruptGzip
        }

        public enum Behaviour: Sendable {
            /// Send everything.
            case normal
            /// Send the headers (full Content-Length) and half the body, then close with SO_LINGER 0 (a TCP RST).
            case resetMidBody
            /// Send the headers, then nothing, until the client gives up or the server stops.
            case stall
            /// Send the headers, then one body byte per `interval`.
            case trickle(interval: TimeInterval)
            /// Declare a Content-Length `missing` bytes longer than the body, send the body, then close.
            case truncated(missing: Int)
        }

        public init(
            status: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
            encoding: Encoding = .identity, behaviour: Behaviour = .normal, delay: TimeInterval = 0,
            closeConnection: Bool = false, omitContentLength: Bool = false
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.encoding = encoding
            self.behaviour = behaviour
            self.delay = delay
            self.closeConnection = closeConnection
            self.omitContentLength = omitContentLength
        }

        // MARK: Factories

        /// `text/html` with no charset, as the fixture site's static pages are served.
        public static func html(_ text: String, status: Int = 200) -> Response {
            Response(status: status, headers: [("Content-Type", "text/html")], body: Array(text.utf8))
        }

        public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain") -> Response {
            Response(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
        }

        public static func bytes(_ body: [UInt8], contentType: String = "application/octet-stream") -> Response {
            Response(headers: [("Content-Type", contentType)], body: body)
        }

        /// Any status with an optional short text body, e.g. `.status(503, headers: [("Retry-After", "1")])`.
        public static func status(
            _ status: Int, headers: [(name: String, value: String)] = [],
            body: String = ""
        ) -> Response {
            Response(
                status: status, headers: headers + (body.isEmpty ? [] : [("Content-Type", "text/plain")]),
                body: Array(body.utf8))
        }

        /// A redirect to any Location, verbatim (relative, absolute, `file:///etc/passwd`, `ftp://…`, itself…).
        public static func redirect(to location: String, status: Int = 302) -> Response {
            Response(status: status, headers: [("Location", location)])
        }

        public static let notFound = Response.status(404, body: "not found\n")

        /// A gzip body that inflates to `count` copies of `byte` from a few KB on the wire.
        public static func gzipBomb(_ byte: UInt8 = UInt8(ascii: "a"), count: Int) -> Response {
            Response(
                headers: [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                body: Gzip.repeated(byte, count: count))
        }

        // MARK: Modifiers

        public func gzipped() -> Response { with { $0.encoding = .gzip } }
        public func corruptGzipped() -> Response { with { $0.encoding = .corruptGzip } }
        public func resettingMidBody() -> Response { with { $0.behaviour = .resetMidBody } }
        public func stalling() -> Response { with { $0.behaviour = .stall } }
        public func trickling(every interval: TimeInterval) -> Response {
            with { $0.behaviour = .trickle(interval: interval) }
        }
        public func truncated(missing: Int = 1000) -> Response { with { $0.behaviour = .truncated(missing: missing) } }
        public func delayed(by seconds: TimeInterval) -> Response { with { $0.delay = seconds } }
        public func closingConnection() -> Response { with { $0.closeConnection = true } }
        public func withoutContentLength() -> Response { with { $0.omitContentLength = true } }
        public func header(_ name: String, _ value: String) -> Response { with { $0.headers.append((name, value)) } }

        private func with(_ change: (inout Response) -> Void) -> Response {
            var copy = self
            change(&copy)
            return copy
        }

        func headerValue(_ name: String) -> String? {
            headers.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    /// One request as the server saw it.
    public struct Request: Sendable {
        /// Order of arrival, from 0.
        public let index: Int
        public let method: String
        /// The request target exactly as sent (percent-encoding untouched), e.g. `/cn/%E4%B8%AD%E5%9B%BD/?x=1`.
        public let target: String
        /// `target` without query and fragment (still percent-encoded).
        public let path: String
        public let query: String?
        public let version: String
        /// Header names lowercased; repeated headers joined with ", ".
        public let headers: [String: String]
        public let receivedAt: Date
        /// Same number for requests that came over one TCP connection (keep-alive reuse shows here).
        public let connectionID: Int

        public func header(_ name: String) -> String? { headers[name.lowercased()] }
    }
}
