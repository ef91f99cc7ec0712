import Dispatch
import Foundation
import Logging
import Synchronization

/// A small HTTP/1.1 server on a Unix socket, for the status endpoint.
///
/// Why not a library: FlyingFox 0.27 (the light option) has no request-size limits, no read timeout and closes
/// malformed requests without a 400; Hummingbird would do all of that but brings SwiftNIO's build and threads for a
/// socket that answers a handful of small requests. This server is event-driven on one Dispatch queue and enforces:
/// a request head ≤ 8 KiB, a body ≤ 64 KiB, the whole request within `requestTimeout`, the response written within the
/// same budget, at most `maxConnections` clients (more are closed at once), one request per connection. Handlers run
/// as tasks, so a slow handler never blocks reading other clients, and clients can never block the crawler.
package final class UnixHTTPServer: Sendable {
    package struct Response: Sendable {
        package var status: Int
        package var contentType: String
        package var body: [UInt8]
        /// Extra header lines (`Allow` on a 405).
        package var headers: [(name: String, value: String)] = []

        package init(status: Int, contentType: String = "application/json", body: [UInt8]) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }

        package init(status: Int, json: JSONOutput) {
            self.init(status: status, body: Array((json.rendered(pretty: true) + "\n").utf8))
        }

        package init(status: Int, text: String) {
            self.init(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
        }
    }

    package typealias Handler = @Sendable (StatusRequest) async -> Response

    /// Where the server listens: the status socket, or a TCP address for the metrics listener.
    package enum Endpoint: Sendable, Equatable {
        case unix(path: String)
        case tcp(MetricsAddress)
    }

    package let endpoint: Endpoint
    /// The socket file, for a Unix-socket server ("" for TCP).
    package var path: String {
        if case let .unix(path) = endpoint { return path }
        return ""
    }
    private let handler: Handler
    private let logger: Logger
    private let maxConnections: Int
    private let requestTimeout: Double
    private let queue = DispatchQueue(label: "herald.status-socket")
    private let state = Mutex(State())

    private struct State {
        var listener: Int32 = -1
        var acceptSource: (any DispatchSourceRead)?
        var connections: [Int32: Connection] = [:]
    }

    /// One client. Lives in `state.connections`; only the server queue touches its sources.
    private struct Connection {
        var buffer: [UInt8] = []
        var readSource: any DispatchSourceRead
        var deadline: any DispatchSourceTimer
        var writeSource: (any DispatchSourceWrite)?
        var pending: [UInt8] = []
        var responding = false
        /// The client half-closed after its request: reading is paused so EOF does not fire again and again.
        var readSuspended = false
    }

    package convenience init(
        path: String, maxConnections: Int = 256, requestTimeout: Double = 10, logger: Logger,
        handler: @escaping Handler
    ) {
        self.init(
            endpoint: .unix(path: path), maxConnections: maxConnections, requestTimeout: requestTimeout,
            logger: logger, handler: handler)
    }

    package init(
        endpoint: Endpoint, maxConnections: Int = 256, requestTimeout: Double = 10, logger: Logger,
        handler: @escaping Handler
    ) {
        self.endpoint = endpoint
        self.handler = handler
        self.logger = logger
        self.maxConnections = maxConnections
        self.requestTimeout = requestTimeout
    }

    /// How many clients are connected now (tests use it to prove nothing leaks).
    package var connectionCount: Int { state.withLock { $0.connections.count } }

    // MARK: - Listening

    /// Binds the socket (mode 0660), replacing a stale socket file left by a crashed run, and starts accepting.
    package func start() throws(StatusSocketError) {
        let listener: Int32
        switch endpoint {
        case let .unix(path): listener = try UnixSocket.listen(path: path)
        case let .tcp(address): listener = try TCPSocket.listen(address)
        }
        state.withLock { state in
            // Sources are created inside the lock so they never leave the state that owns them.
            let source = DispatchSource.makeReadSource(fileDescriptor: listener, queue: queue)
            source.setEventHandler { [self] in acceptClients(listener) }
            source.resume()
            state.listener = listener
            state.acceptSource = source
        }
    }

    /// Stops accepting, drops every client and removes the socket file.
    package func stop() {
        queue.sync {
            let (listener, source, connections) = state.withLock { state in
                let taken = (state.listener, state.acceptSource, state.connections)
                state.listener = -1
                state.acceptSource = nil
                state.connections = [:]
                return taken
            }
            source?.cancel()
            if listener >= 0 { close(listener) }
            for (fd, connection) in connections { Self.tearDown(fd, connection) }
            if listener >= 0, case let .unix(path) = endpoint { unlink(path) }
        }
    }

    private func acceptClients(_ listener: Int32) {
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { return }  // EAGAIN: accepted everything pending
            // accept4() is a GNU extension Swift's Glibc module does not export; set the flags by hand.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            if connectionCount >= maxConnections {
                close(fd)
                logger.warning(
                    "status socket: too many clients, connection refused", metadata: ["max": "\(maxConnections)"])
                continue
            }
            open(fd)
        }
    }

    private func open(_ fd: Int32) {
        // Handlers run on `queue`, where this runs too: they cannot fire before the connection is registered.
        state.withLock { state in
            let read = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            let deadline = DispatchSource.makeTimerSource(queue: queue)
            read.setEventHandler { [self] in readable(fd) }
            deadline.setEventHandler { [self] in expired(fd) }
            deadline.schedule(deadline: .now() + requestTimeout)
            read.resume()
            deadline.resume()
            state.connections[fd] = Connection(readSource: read, deadline: deadline)
        }
    }

    /// The client did not send a whole request, or did not read the answer, in time.
    private func expired(_ fd: Int32) {
        logger.debug("status socket: client too slow, closed")
        if state.withLock({ $0.connections[fd]?.responding }) == false {
            respondNow(fd, Response(status: 408, text: "request timeout\n"))
        } else {
            closeConnection(fd)
        }
    }

    // MARK: - Reading

    /// Reads until the socket would block, a verdict is reached, or the client has gone. Draining matters: when a
    /// client's last bytes and its hang-up arrive together, libdispatch (Linux) does not signal again for the EOF
    /// once the bytes are read, and the connection would hold its slot until the request timeout. The head and body
    /// limits bound the loop (a verdict comes within 8 KiB + 64 KiB).
    private func readable(_ fd: Int32) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && errno == EAGAIN { return }
            if count <= 0 {
                // EOF before a whole request: the client went away. EOF after it (`nc -N` half-closes): still answer.
                let answering = state.withLock { state -> Bool in
                    guard var connection = state.connections[fd], connection.responding else { return false }
                    if !connection.readSuspended {
                        connection.readSource.suspend()
                        connection.readSuspended = true
                        state.connections[fd] = connection
                    }
                    return true
                }
                if !answering { closeConnection(fd) }
                return
            }
            let verdict: HTTPRequestParser.Verdict? = state.withLock { state in
                guard var connection = state.connections[fd], !connection.responding else { return nil }
                connection.buffer.append(contentsOf: chunk[..<count])
                let verdict = HTTPRequestParser.parse(connection.buffer)
                if case .incomplete = verdict {} else { connection.responding = true }
                state.connections[fd] = connection
                return verdict
            }
            switch verdict {
            case .incomplete?:
                continue
            case nil:
                return
            case let .invalid(status, reason)?:
                logger.debug("status socket: bad request", metadata: ["status": "\(status)", "reason": "\(reason)"])
                respondNow(fd, Response(status: status, text: "\(reason)\n"))
                return
            case let .complete(request, _)?:
                Task { [self] in
                    let response = await handler(request)
                    queue.async { [self] in respondNow(fd, response) }
                }
                return
            }
        }
    }

    // MARK: - Writing

    private func respondNow(_ fd: Int32, _ response: Response) {
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        head += "Content-Type: \(response.contentType)\r\nContent-Length: \(response.body.count)\r\n"
        for header in response.headers { head += "\(header.name): \(header.value)\r\n" }
        head += "Connection: close\r\n\r\n"
        let bytes = Array(head.utf8) + response.body
        let exists = state.withLock { state -> Bool in
            guard var connection = state.connections[fd] else { return false }
            connection.responding = true
            connection.pending = bytes
            state.connections[fd] = connection
            return true
        }
        guard exists else { return }
        flush(fd)
    }

    private func flush(_ fd: Int32) {
        while true {
            let (written, remaining) = state.withLock { state -> (Int, Int) in
                guard var connection = state.connections[fd], !connection.pending.isEmpty else { return (0, 0) }
                let n = connection.pending.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n > 0 { connection.pending.removeFirst(n) }
                state.connections[fd] = connection
                return (n, connection.pending.count)
            }
            if remaining == 0 && written >= 0 {
                closeConnection(fd)
                return
            }
            if written < 0 {
                if errno == EAGAIN { break }
                closeConnection(fd)
                return
            }
        }
        // The client reads slowly: wait until the socket is writable again (the deadline still applies).
        state.withLock { state in
            guard var connection = state.connections[fd], connection.writeSource == nil else { return }
            let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
            source.setEventHandler { [self] in flush(fd) }
            connection.writeSource = source
            state.connections[fd] = connection
            source.resume()
        }
    }

    private func closeConnection(_ fd: Int32) {
        guard let connection = state.withLock({ $0.connections.removeValue(forKey: fd) }) else { return }
        Self.tearDown(fd, connection)
    }

    /// Cancels the sources, then closes the descriptor once Dispatch no longer watches it.
    private static func tearDown(_ fd: Int32, _ connection: Connection) {
        connection.deadline.cancel()
        connection.writeSource?.cancel()
        connection.readSource.setCancelHandler { close(fd) }
        connection.readSource.cancel()
        // A suspended source delivers its cancel handler only once resumed.
        if connection.readSuspended { connection.readSource.resume() }
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 202: "Accepted"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 422: "Unprocessable Content"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status"
        }
    }
}
