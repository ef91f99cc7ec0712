/// A request to the status socket, and the strict parser that reads it.
///
/// The parser is pure (bytes in, verdict out) so it can be fuzzed and unit-tested without a socket. It enforces the
/// limits that keep a hostile client from costing the daemon memory: the request head (line + headers) fits in
/// `maxHeadBytes`, at most `maxHeaders` headers, bodies up to `maxBodyBytes` and only with Content-Length.
package struct StatusRequest: Sendable, Equatable {
    package var method: String
    /// The path without the query, percent-decoding left to the router.
    package var path: String
    package var query: String?
    package var version: String
    /// Lowercased names; a repeated header keeps its last value.
    package var headers: [String: String]
    package var body: [UInt8]
}

package enum HTTPRequestParser {
    package static let maxHeadBytes = 8192
    package static let maxHeaders = 64
    package static let maxBodyBytes = 65536

    package enum Verdict: Equatable {
        /// More bytes are needed.
        case incomplete
        /// A whole request; `consumed` bytes of the buffer belong to it.
        case complete(StatusRequest, consumed: Int)
        /// Not a request we serve: answer `status` with `reason` and close.
        case invalid(status: Int, reason: String)
    }

    package static func parse(_ buffer: [UInt8]) -> Verdict {
        guard let headEnd = find(crlfcrlf, in: buffer, limit: maxHeadBytes + 4) else {
            if buffer.count > maxHeadBytes {
                return .invalid(status: 431, reason: "request line and headers exceed \(maxHeadBytes) bytes")
            }
            // Reject garbage early instead of waiting for a blank line that will never come.
            if let lineEnd = find([13, 10], in: buffer, limit: buffer.count),
                case .invalid(let s, let r) =
                    parseRequestLine(Array(buffer[..<lineEnd]))
            {
                return .invalid(status: s, reason: r)
            }
            if buffer.contains(where: { $0 == 0 || $0 >= 0x80 }) {
                return .invalid(status: 400, reason: "binary data where a request line was expected")
            }
            return .incomplete
        }
        let lines = split(Array(buffer[..<headEnd]))
        guard let requestLine = lines.first else { return .invalid(status: 400, reason: "empty request") }
        let start: (method: String, target: String, version: String)
        switch parseRequestLine(requestLine) {
        case let .invalid(status, reason): return .invalid(status: status, reason: reason)
        case let .line(method, target, version): start = (method, target, version)
        }
        guard lines.count - 1 <= maxHeaders else {
            return .invalid(status: 431, reason: "more than \(maxHeaders) headers")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0,
                line[..<colon].allSatisfy(isTokenByte)
            else {
                return .invalid(status: 400, reason: "malformed header line")
            }
            guard line.allSatisfy({ $0 == 9 || ($0 >= 32 && $0 != 127) }) else {
                return .invalid(status: 400, reason: "control character in a header")
            }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingASCIISpaces()
            headers[name] = value
        }
        if headers["transfer-encoding"] != nil {
            return .invalid(status: 501, reason: "Transfer-Encoding is not supported; send Content-Length")
        }
        var bodyLength = 0
        if let length = headers["content-length"] {
            guard let parsed = Int(length), parsed >= 0 else {
                return .invalid(status: 400, reason: "invalid Content-Length")
            }
            guard parsed <= maxBodyBytes else {
                return .invalid(status: 413, reason: "body larger than \(maxBodyBytes) bytes")
            }
            bodyLength = parsed
        }
        let bodyStart = headEnd + 4
        guard buffer.count >= bodyStart + bodyLength else { return .incomplete }
        let target = start.target
        let queryStart = target.firstIndex(of: "?")
        let request = StatusRequest(
            method: start.method,
            path: queryStart.map { String(target[..<$0]) } ?? target,
            query: queryStart.map { String(target[target.index(after: $0)...]) },
            version: start.version,
            headers: headers,
            body: Array(buffer[bodyStart..<bodyStart + bodyLength]))
        return .complete(request, consumed: bodyStart + bodyLength)
    }

    private enum RequestLine {
        case line(method: String, target: String, version: String)
        case invalid(status: Int, reason: String)
    }

    private static func parseRequestLine(_ line: [UInt8]) -> RequestLine {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte) else {
            return .invalid(status: 400, reason: "malformed request line")
        }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            return .invalid(
                status: version.hasPrefix("HTTP/") ? 505 : 400, reason: "unsupported protocol \(version.prefix(16))")
        }
        var target = String(decoding: parts[1], as: UTF8.self)
        // Absolute form (`GET http://herald/status`) is legal HTTP/1.1; the host means nothing on a Unix socket.
        if target.hasPrefix("http://") || target.hasPrefix("https://") {
            let afterScheme = target[target.index(target.firstIndex(of: ":")!, offsetBy: 3)...]
            target = afterScheme.firstIndex(of: "/").map { String(afterScheme[$0...]) } ?? "/"
        }
        guard target.hasPrefix("/"), parts[1].allSatisfy({ $0 > 32 && $0 < 127 }) else {
            return .invalid(status: 400, reason: "malformed request target")
        }
        return .line(method: String(decoding: parts[0], as: UTF8.self), target: target, version: version)
    }

    private static let crlfcrlf: [UInt8] = [13, 10, 13, 10]

    private static func find(_ needle: [UInt8], in haystack: [UInt8], limit: Int) -> Int? {
        let end = min(haystack.count, limit) - needle.count
        guard end >= 0 else { return nil }
        var index = 0
        while index <= end {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }

    private static func split(_ head: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < head.count {
            if head[index] == 13, index + 1 < head.count, head[index + 1] == 10 {
                lines.append(current)
                current = []
                index += 2
                continue
            }
            current.append(head[index])
            index += 1
        }
        lines.append(current)
        return lines
    }

    /// RFC 9110 token characters (method and header names).
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[first...last])
    }
}
