import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension FixtureServer {
    /// One TCP connection, served on its own thread: read a request head, answer, repeat while keep-alive holds.
    struct Connection {
        let fd: Int32
        let id: Int
        let core: Core
        /// An idle keep-alive connection is closed after this long (curl reopens transparently).
        static let idleTimeout: TimeInterval = 30
        static let maxHeadBytes = 64 * 1024

        func run() {
            var buffer: [UInt8] = []
            while !core.isStopped {
                guard let head = readHead(&buffer) else { return }
                guard let parsed = ParsedHead(head) else {
                    LoopbackSocket.sendAll(
                        fd, Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
                    return
                }
                // GET and HEAD carry no body, but skip one if declared so the next request parses.
                if let length = parsed.headers["content-length"].flatMap(Int.init), length > 0 {
                    guard discard(length, from: &buffer) else { return }
                }
                let request = core.log.append { index in
                    Request(
                        index: index, method: parsed.method, target: parsed.target, path: parsed.path,
                        query: parsed.query, version: parsed.version, headers: parsed.headers,
                        receivedAt: Date(), connectionID: id)
                }
                let response = respond(to: request, rawBytesInTarget: parsed.hasNonASCIITarget)
                guard write(response, for: request, keepAlive: parsed.wantsKeepAlive) else { return }
            }
        }

        private func respond(to request: Request, rawBytesInTarget: Bool) -> Response {
            // python's http.server decodes such a line as Latin-1 and finds no file; do the same, routes included.
            if rawBytesInTarget { return .notFound }
            if let handler = core.handler(for: request.path) { return handler(request) }
            guard request.method == "GET" || request.method == "HEAD" else {
                return .status(501, body: "unsupported method \(request.method)\n")
            }
            return core.staticResponse(for: request)
        }

        // MARK: Reading

        /// The bytes up to and including the blank line, or nil when the client left, idled out, or the server stops.
        private func readHead(_ buffer: inout [UInt8]) -> [UInt8]? {
            let idleDeadline = Date().addingTimeInterval(Self.idleTimeout)
            while true {
                if let end = Self.headEnd(in: buffer) {
                    let head = Array(buffer[..<end])
                    buffer.removeFirst(end)
                    return head
                }
                guard buffer.count < Self.maxHeadBytes, !core.isStopped, Date() < idleDeadline else { return nil }
                switch LoopbackSocket.waitReadable(fd, milliseconds: 100) {
                case .timedOut: continue
                case .failed: return nil
                case .ready:
                    guard receive(into: &buffer) else { return nil }
                }
            }
        }

        private func discard(_ count: Int, from buffer: inout [UInt8]) -> Bool {
            while buffer.count < count {
                guard !core.isStopped else { return false }
                switch LoopbackSocket.waitReadable(fd, milliseconds: 100) {
                case .timedOut: continue
                case .failed: return false
                case .ready: guard receive(into: &buffer) else { return false }
                }
            }
            buffer.removeFirst(count)
            return true
        }

        private func receive(into buffer: inout [UInt8]) -> Bool {
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return false }
            buffer.append(contentsOf: chunk[..<n])
            return true
        }

        private static func headEnd(in buffer: [UInt8]) -> Int? {
            guard buffer.count >= 4 else { return nil }
            for i in 0...(buffer.count - 4)
            where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
                return i + 4
            }
            return nil
        }

        // MARK: Writing

        /// Sends `response` as its behaviour says; false when the connection must close afterwards.
        private func write(_ response: Response, for request: Request, keepAlive: Bool) -> Bool {
            if response.delay > 0, !pause(response.delay) { return false }
            let body: [UInt8]
            switch response.encoding {
            case .identity: body = response.body
            case .gzip: body = Gzip.stored(response.body)
            case .corruptGzip: body = Gzip.corrupt(response.body)
            }
            let bodyless =
                request.method == "HEAD" || response.status == 204 || response.status == 304
                || (100..<200).contains(response.status)
            var normal = false
            if case .normal = response.behaviour { normal = true }
            let closing = !keepAlive || response.closeConnection || response.omitContentLength || !normal

            var headers = response.headers
            func add(_ name: String, _ value: String) {
                if response.headerValue(name) == nil { headers.append((name, value)) }
            }
            if response.encoding != .identity { add("Content-Encoding", "gzip") }
            if !response.omitContentLength && response.status != 204 && response.status != 304 {
                var declared = body.count
                if case let .truncated(missing) = response.behaviour { declared += missing }
                add("Content-Length", String(declared))
            }
            add("Server", "HeraldFixtureServer")
            add("Date", Self.httpDate(Date()))
            add("Connection", closing ? "close" : "keep-alive")

            var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            head += "\r\n"
            guard LoopbackSocket.sendAll(fd, Array(head.utf8)) else { return false }
            if bodyless { return !closing }

            switch response.behaviour {
            case .normal:
                guard LoopbackSocket.sendAll(fd, body) else { return false }
            case .resetMidBody:
                LoopbackSocket.sendAll(fd, Array(body[..<(body.count / 2)]))
                LoopbackSocket.abortOnClose(fd)
            case .stall:
                while pause(3600) {}
            case let .trickle(interval):
                for byte in body {
                    guard LoopbackSocket.sendAll(fd, [byte]), pause(interval) else { return false }
                }
            case .truncated:
                LoopbackSocket.sendAll(fd, body)
            }
            return !closing
        }

        /// Waits `seconds`; false as soon as the client closes the connection or the server stops.
        private func pause(_ seconds: TimeInterval) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while !core.isStopped {
                let left = deadline.timeIntervalSinceNow
                if left <= 0 { return true }
                let slice = Int(min(left, 0.1) * 1000) + 1
                guard LoopbackSocket.waitReadable(fd, milliseconds: slice) == .ready else { continue }
                var byte: UInt8 = 0
                let peeked = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
                if peeked <= 0 && !(peeked < 0 && (errno == EAGAIN || errno == EINTR)) { return false }
                // The client sent something early (a pipelined request): leave it for later, don't spin.
                Thread.sleep(forTimeInterval: min(max(left, 0), 0.05))
            }
            return false
        }

        static func httpDate(_ date: Date) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            return formatter.string(from: date)
        }

        static func reason(_ status: Int) -> String {
            switch status {
            case 200: "OK"
            case 204: "No Content"
            case 301: "Moved Permanently"
            case 302: "Found"
            case 303: "See Other"
            case 304: "Not Modified"
            case 307: "Temporary Redirect"
            case 308: "Permanent Redirect"
            case 400: "Bad Request"
            case 403: "Forbidden"
            case 404: "Not Found"
            case 410: "Gone"
            case 429: "Too Many Requests"
            case 500: "Internal Server Error"
            case 501: "Not Implemented"
            case 502: "Bad Gateway"
            case 503: "Service Unavailable"
            case 504: "Gateway Timeout"
            default: "Status"
            }
        }
    }

    /// The request line and headers, decoded as Latin-1 the way python's server does.
    struct ParsedHead {
        let method: String
        let target: String
        let path: String
        let query: String?
        let version: String
        let headers: [String: String]
        let hasNonASCIITarget: Bool

        init?(_ head: [UInt8]) {
            let text = String(head.map { Character(Unicode.Scalar($0)) })
            var lines = text.components(separatedBy: "\r\n")
            let requestLine = lines.removeFirst()
            let parts = requestLine.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard parts.count == 3, parts[2].hasPrefix("HTTP/") else { return nil }
            method = parts[0]
            target = parts[1]
            version = parts[2]
            hasNonASCIITarget = requestLine.unicodeScalars.contains { $0.value >= 0x80 }
            let withoutFragment = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let pieces = withoutFragment.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            path = String(pieces[0])
            query = pieces.count > 1 ? String(pieces[1]) : nil
            var headers: [String: String] = [:]
            for line in lines where !line.isEmpty {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                headers[name] = headers[name].map { "\($0), \(value)" } ?? value
            }
            self.headers = headers
        }

        var wantsKeepAlive: Bool {
            let connection = headers["connection"]?.lowercased() ?? ""
            if version == "HTTP/1.0" { return connection.contains("keep-alive") }
            return !connection.contains("close")
        }
    }
}
