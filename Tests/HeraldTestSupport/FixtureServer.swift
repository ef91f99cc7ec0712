import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback HTTP/1.1 server for tests: serves a folder like `python3 -m http.server` (the fixture site), with
/// programmable routes that override it per path, and a log of every request.
///
///     let server = try FixtureServer(root: FixtureSite.standard().root)
///     defer { server.stop() }
///     server.route("/flaky", .status(503, headers: [("Retry-After", "1")]))
///     … fetch server.url("/flaky") …
///     server.route("/flaky", .html("<p>healed</p>"))
///     XCTAssertTrue(server.waitForRequests(2, path: "/flaky", timeout: 10))
///
/// Binds 127.0.0.1 (or another loopback address) on an ephemeral port; keep-alive, GET and HEAD; one thread per connection. `stop()` (also run by
/// `deinit`) closes the listener and every connection, stalled ones included, and waits for their threads.
public final class FixtureServer: Sendable {
    public typealias Handler = @Sendable (Request) -> Response

    public let port: Int
    /// The loopback address it listens on (127.0.0.1 unless another was asked for).
    public let address: String
    /// `http://ADDRESS:PORT`, no trailing slash.
    public var baseURL: String { "http://\(address):\(port)" }
    private let core: Core

    /// - Parameters:
    ///   - root: folder served for paths without a route; nil serves only routes (everything else is 404).
    ///   - etags: send `ETag` for static files and answer `If-None-Match` with 304 (python's server does not).
    ///   - absoluteRedirects: the directory redirect (`/a` → `/a/`) carries an absolute URL instead of a path.
    ///   - address: any address in 127.0.0.0/8. Servers on different addresses are different hosts to the crawler
    ///     (its per-host politeness and its "is the network down?" check), as different sites are in production.
    public init(
        root: URL? = nil, etags: Bool = false, absoluteRedirects: Bool = false,
        address: String = "127.0.0.1"
    ) throws {
        let (fd, port) = try LoopbackSocket.listen(address: address)
        self.port = port
        self.address = address
        let files = root.map {
            StaticFiles(
                root: $0, etags: etags,
                redirectBase: absoluteRedirects ? "http://\(address):\(port)" : "")
        }
        core = Core(listener: fd, files: files)
        core.start()
    }

    /// Serves the standard generated fixture site (`FixtureSite.standard()`).
    public static func fixtureSite(etags: Bool = false) throws -> FixtureServer {
        try FixtureServer(root: FixtureSite.standard().root, etags: etags)
    }

    deinit { core.stop() }

    /// Closes the listener and all connections, and waits (bounded) for their threads. Idempotent.
    public func stop() { core.stop() }

    /// `baseURL` + `path` (which should start with `/` and be percent-encoded).
    public func url(_ path: String) -> String { baseURL + path }

    // MARK: Routes (thread-safe; may change while the server runs)

    /// Answers `path` (the percent-encoded path as sent, without the query) with `response`.
    public func route(_ path: String, _ response: Response) { route(path) { _ in response } }

    public func route(_ path: String, handler: @escaping Handler) { core.routes.withLock { $0[path] = handler } }

    /// Answers the first requests with `responses` in order, then repeats the last one.
    public func route(_ path: String, sequence responses: [Response]) {
        precondition(!responses.isEmpty)
        let served = Mutex(0)
        route(path) { _ in
            let n = served.withLock { count -> Int in
                defer { count += 1 }
                return count
            }
            return responses[min(n, responses.count - 1)]
        }
    }

    /// Every path starting with `prefix` that has no exact route.
    public func route(prefix: String, handler: @escaping Handler) {
        core.prefixRoutes.withLock { $0.append((prefix, handler)) }
    }

    public func removeRoute(_ path: String) { _ = core.routes.withLock { $0.removeValue(forKey: path) } }

    public func removeAllRoutes() {
        core.routes.withLock { $0.removeAll() }
        core.prefixRoutes.withLock { $0.removeAll() }
    }

    /// What static serving would answer (a 404 without a root): lets a handler wrap a real page, e.g.
    /// `server.route(path) { server.staticResponse(for: $0).delayed(by: 1) }`.
    public func staticResponse(for request: Request) -> Response { core.staticResponse(for: request) }

    // MARK: Request log

    public var requests: [Request] { core.log.all }

    public func requests(path: String) -> [Request] { core.log.all.filter { $0.path == path } }

    public func requestCount(path: String? = nil) -> Int {
        path.map { requests(path: $0).count } ?? core.log.all.count
    }

    /// Blocks until at least `count` requests (to `path`, if given) have arrived; false if `timeout` passes first.
    @discardableResult
    public func waitForRequests(_ count: Int, path: String? = nil, timeout: TimeInterval) -> Bool {
        core.log.wait(timeout: timeout) { all in
            (path.map { p in all.filter { $0.path == p } } ?? all).count >= count
        }
    }

    public func clearLog() { core.log.clear() }
}

/// Requests seen so far, with a condition variable so tests wait for arrivals instead of sleeping.
/// `@unchecked Sendable`: `entries` is only touched while `condition` is locked.
final class RequestLog: @unchecked Sendable {
    private let condition = NSCondition()
    private var entries: [FixtureServer.Request] = []

    var all: [FixtureServer.Request] {
        condition.lock()
        defer { condition.unlock() }
        return entries
    }

    var nextIndex: Int {
        condition.lock()
        defer { condition.unlock() }
        return entries.count
    }

    func append(_ make: (Int) -> FixtureServer.Request) -> FixtureServer.Request {
        condition.lock()
        defer { condition.unlock() }
        let request = make(entries.count)
        entries.append(request)
        condition.broadcast()
        return request
    }

    func clear() {
        condition.lock()
        entries.removeAll()
        condition.unlock()
    }

    func wait(timeout: TimeInterval, until satisfied: ([FixtureServer.Request]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !satisfied(entries) {
            if !condition.wait(until: deadline) { return satisfied(entries) }
        }
        return true
    }
}

extension FixtureServer {
    /// Shared by the accept thread and the connection threads; outlives neither (they hold it, not the server).
    final class Core: Sendable {
        let listener: Int32
        let files: StaticFiles?
        let log = RequestLog()
        let routes = Mutex<[String: Handler]>([:])
        let prefixRoutes = Mutex<[(String, Handler)]>([])
        private let stopped = Atomic<Bool>(false)
        /// Open connection sockets and live threads. A connection removes its fd here *before* closing it, and
        /// `stop()` shuts fds down under the same lock, so stop never touches a reused descriptor number.
        private let state = Mutex<(open: Set<Int32>, threads: Int, nextConnection: Int)>(
            (
                open: [], threads: 0,
                nextConnection: 0
            ))
        private let finished = NSCondition()

        init(listener: Int32, files: StaticFiles?) {
            self.listener = listener
            self.files = files
        }

        var isStopped: Bool { stopped.load(ordering: .relaxed) }

        func start() {
            state.withLock { $0.threads += 1 }
            let thread = Thread { [self] in
                acceptLoop()
                threadEnded()
            }
            thread.name = "FixtureServer.accept"
            thread.start()
        }

        func stop() {
            guard !stopped.exchange(true, ordering: .relaxed) else { return }
            state.withLock { state in
                for fd in state.open { shutdown(fd, Int32(SHUT_RDWR)) }
            }
            // Threads notice within one poll interval (100 ms); bounded so a bug cannot hang the test run.
            let deadline = Date().addingTimeInterval(10)
            finished.lock()
            while state.withLock({ $0.threads }) > 0, finished.wait(until: deadline) {}
            finished.unlock()
        }

        private func threadEnded() {
            state.withLock { $0.threads -= 1 }
            finished.lock()
            finished.broadcast()
            finished.unlock()
        }

        private func acceptLoop() {
            defer { close(listener) }
            while !isStopped {
                guard LoopbackSocket.waitReadable(listener, milliseconds: 100) == .ready else { continue }
                let fd = accept(listener, nil, nil)  // accept4 needs _GNU_SOURCE, which Glibc's module lacks
                guard fd >= 0 else { continue }
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                let id: Int? = state.withLock { state in
                    // Checked under the lock that stop() takes, so no connection slips past the shutdown sweep.
                    guard !isStopped else { return nil }
                    state.open.insert(fd)
                    state.threads += 1
                    defer { state.nextConnection += 1 }
                    return state.nextConnection
                }
                guard let id else {
                    close(fd)
                    break
                }
                let thread = Thread { [self] in
                    Connection(fd: fd, id: id, core: self).run()
                    state.withLock { _ = $0.open.remove(fd) }
                    close(fd)
                    threadEnded()
                }
                thread.name = "FixtureServer.connection.\(id)"
                thread.start()
            }
        }

        func handler(for path: String) -> Handler? {
            if let exact = routes.withLock({ $0[path] }) { return exact }
            return prefixRoutes.withLock { $0.first { path.hasPrefix($0.0) }?.1 }
        }

        func staticResponse(for request: Request) -> Response {
            files?.response(for: request) ?? .notFound
        }
    }
}
