import Foundation
import HeraldTestSupport
import XCTest

@testable import HeraldCore
@testable import HeraldStatus

/// The status socket of a real `herald run` under abuse: garbage, oversized heads, requests that never end, 1,000
/// clients at once, clients that vanish. Each gets a 4xx (or is closed at the connection cap), the daemon keeps
/// crawling on its timetable, and its descriptor count (/proc/PID/fd) comes back to where it was.
/// (StatusSocketTests covers the same server in-process, with its internals in view.)
final class SocketAbuseTests: XCTestCase {
    private var server: FixtureServer!
    private var harness: DaemonHarness!

    override func setUpWithError() throws {
        server = try FixtureServer(root: try FixtureSite.standard().root)
        harness = try DaemonHarness("herald-abuse")
        Self.raiseDescriptorLimit(to: 4096)
    }

    override func tearDown() {
        server.stop()
        harness = nil
    }

    /// 1,000 clients plus the test's own descriptors need more than a default soft limit of 1,024.
    private static func raiseDescriptorLimit(to wanted: rlim_t) {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < wanted else {
            return
        }
        limit.rlim_cur = min(wanted, limit.rlim_max)
        _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// A connected client; -1 when the connect failed.
    private func connect() -> Int32 {
        let fd = UnixSocket.connect(path: harness.socketPath)
        guard fd >= 0 else { return -1 }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    private func exchange(_ bytes: [UInt8]) -> String {
        let fd = connect()
        guard fd >= 0 else { return "connect failed: \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        send(fd, bytes)
        return LoopbackSocket.readUntilClosed(fd)
    }

    func testHostileClientsGet4xxWhileTheDaemonKeepsCrawlingAndLeaksNoDescriptor() throws {
        try harness.writeConfig(sources: [DaemonHarness.source("home", server.url("/cn/"))])
        let daemon = try harness.start()
        defer { if daemon.process.isRunning { daemon.kill9() } }
        XCTAssertTrue(waitUntil(timeout: 30) { harness.passes("home", outcome: "ok") >= 2 }, daemon.log)

        // The socket file: a socket, owner and group only.
        var info = stat()
        XCTAssertEqual(stat(harness.socketPath, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFSOCK)
        XCTAssertEqual(info.st_mode & 0o777, 0o660)

        // Warm up (Dispatch opens a few descriptors of its own the first time it needs them), then count.
        for _ in 0..<5 { XCTAssertEqual(try harness.request("GET", "/status").status, 200) }
        XCTAssertTrue(exchange(Array("HELLO\r\n\r\n".utf8)).hasPrefix("HTTP/1.1 400"))
        let descriptorsBefore = DaemonHarness.descriptorCount(daemon.pid)
        let passesBefore = harness.passes("home")

        // Bad requests, each answered and closed.
        let cases: [(String, [UInt8], String)] = [
            ("binary garbage", [0x00, 0xFF, 0x13, 0x37, 0x0D, 0x0A, 0x0D, 0x0A], "HTTP/1.1 400"),
            ("not HTTP", Array("HELLO\r\n\r\n".utf8), "HTTP/1.1 400"),
            ("header without a colon", Array("GET /status HTTP/1.1\r\nno colon\r\n\r\n".utf8), "HTTP/1.1 400"),
            ("control byte in a header", Array("GET /status HTTP/1.1\r\nX-A: b\u{1}c\r\n\r\n".utf8), "HTTP/1.1 400"),
            ("HTTP/2 preface", Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8), "HTTP/1.1 505"),
            (
                "20 KB request line",
                Array(("GET /" + String(repeating: "a", count: 20_000) + " HTTP/1.1\r\n\r\n").utf8),
                "HTTP/1.1 431"
            ),
            (
                "100 headers",
                Array(("GET /status HTTP/1.1\r\n" + (0..<100).map { "X-\($0): y\r\n" }.joined() + "\r\n").utf8),
                "HTTP/1.1 431"
            ),
            (
                "one 9 KB header",
                Array(
                    ("GET /status HTTP/1.1\r\nX-Big: " + String(repeating: "b", count: 9000)
                        + "\r\n\r\n").utf8), "HTTP/1.1 431"
            ),
            (
                "100 MB body announced", Array("POST /reload HTTP/1.1\r\nContent-Length: 100000000\r\n\r\n".utf8),
                "HTTP/1.1 413"
            ),
            ("chunked body", Array("POST /reload HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".utf8), "HTTP/1.1 501"),
            ("unknown path", Array("GET /../../etc/passwd HTTP/1.1\r\n\r\n".utf8), "HTTP/1.1 404"),
            ("wrong method", Array("DELETE /status HTTP/1.1\r\n\r\n".utf8), "HTTP/1.1 405"),
        ]
        for (name, bytes, expected) in cases {
            let answer = exchange(bytes)
            XCTAssertTrue(answer.hasPrefix(expected), "\(name): \(answer.prefix(200))")
        }
        // A 405 says which methods the path takes (RFC 9110 requires the header).
        XCTAssertTrue(exchange(Array("DELETE /status HTTP/1.1\r\n\r\n".utf8)).contains("\r\nAllow: GET, HEAD\r\n"))
        XCTAssertTrue(exchange(Array("GET /reload HTTP/1.1\r\n\r\n".utf8)).contains("\r\nAllow: POST\r\n"))

        // 1,000 clients connected at once, each with its request sent before any answer is read. The first 256
        // (the server's cap) are answered; the rest are closed at accept, and nothing hangs.
        let clients = (0..<1000).map { _ in connect() }
        XCTAssertFalse(clients.contains(-1), "a connect failed: \(String(cString: strerror(errno)))")
        let request = Array("GET /status HTTP/1.1\r\nHost: herald\r\n\r\n".utf8)
        for fd in clients where fd >= 0 { send(fd, request) }
        var answered = 0
        var closed = 0
        for fd in clients where fd >= 0 {
            let answer = LoopbackSocket.readUntilClosed(fd)
            if answer.hasPrefix("HTTP/1.1 200") && answer.contains("\"sources\"") {
                answered += 1
            } else if answer.isEmpty {
                closed += 1
            }
            close(fd)
        }
        XCTAssertGreaterThanOrEqual(answered, 256, "answered \(answered), closed \(closed)")
        print("socket-abuse: 1000 concurrent clients: \(answered) answered, \(closed) closed at the cap")
        XCTAssertEqual(answered + closed, clients.count, "every client was answered whole or closed")

        // Clients that connect and vanish, a third of them halfway through a request.
        for i in 0..<300 {
            let fd = connect()
            if i % 3 == 0 { send(fd, Array("GET /sta".utf8)) }
            close(fd)
        }

        // The daemon lets every one of them go as it hangs up, long before the 10 s request timeout would: its
        // descriptors come back to the count before the abuse (curl's keep-alive connections to the fixture server
        // come and go: a little slack).
        func settled(within seconds: TimeInterval) -> Bool {
            waitUntil(timeout: seconds, pollEvery: 0.1) {
                DaemonHarness.descriptorCount(daemon.pid) <= descriptorsBefore + 4
            }
        }
        XCTAssertTrue(
            settled(within: 8),
            "descriptors: \(descriptorsBefore) before, \(DaemonHarness.descriptorCount(daemon.pid)) "
                + "after the 1,300 clients: \(Self.descriptorTargets(daemon.pid))")

        // Requests that never finish: 408 once the 10 s budget is spent, and no sooner than the client stalls.
        let stalled = (0..<20).map { _ in connect() }
        for fd in stalled { send(fd, Array("GET /status HTTP/1.1\r\nHost: h\r\n".utf8)) }
        let started = Date()
        for fd in stalled {
            let answer = LoopbackSocket.readUntilClosed(fd)
            XCTAssertTrue(answer.hasPrefix("HTTP/1.1 408"), answer)
            close(fd)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "the request timeout is 10 s")

        // Meanwhile the daemon crawled on its 1 s timetable, and still answers.
        XCTAssertTrue(waitUntil(timeout: 20) { harness.passes("home") >= passesBefore + 3 }, daemon.log)
        XCTAssertLessThanOrEqual(harness.longestGapBetweenPasses("home"), 6, "the abuse held up the crawl")
        XCTAssertEqual(harness.source("home")?["consecutive_failures"] as? Int, 0)
        XCTAssertEqual(try harness.request("GET", "/status").status, 200)

        // No descriptor leaked.
        let leakFree = settled(within: 30)
        print(
            "socket-abuse: daemon descriptors \(descriptorsBefore) before, \(DaemonHarness.descriptorCount(daemon.pid)) after"
        )
        XCTAssertTrue(
            leakFree,
            "descriptors: \(descriptorsBefore) before, \(DaemonHarness.descriptorCount(daemon.pid)) after "
                + "\(Self.descriptorTargets(daemon.pid))")
        harness.stop(daemon)
    }

    private static func descriptorTargets(_ pid: Int32) -> [String] {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        return fds.map { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)")) ?? "?" }
            .sorted()
    }
}
