import Foundation
import HeraldTestSupport
import Logging
import Synchronization
import XCTest

@testable import HeraldCore
@testable import HeraldStatus

/// The status socket's HTTP server on its own: limits, timeouts, bad input, many clients.
final class StatusSocketTests: XCTestCase {
    private var folder: TemporaryDirectory!
    private var server: UnixHTTPServer!

    override func setUpWithError() throws {
        folder = try TemporaryDirectory("herald-sock")
        server = UnixHTTPServer(
            path: folder.path("s.sock"), requestTimeout: 1,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        ) { request in
            if request.path == "/slow" { try? await Task.sleep(nanoseconds: 200_000_000) }
            return .init(status: 200, text: "\(request.method) \(request.path) \(request.body.count)")
        }
        try server.start()
    }

    override func tearDown() {
        server.stop()
        folder.remove()
    }

    /// Sends raw bytes, returns everything the server answers until it closes.
    private func exchange(_ bytes: [UInt8], halfClose: Bool = true) throws -> String {
        let fd = UnixSocket.connect(path: server.path)
        guard fd >= 0 else { throw FixtureError("connect: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if halfClose { shutdown(fd, Int32(SHUT_WR)) }
        return LoopbackSocket.readUntilClosed(fd)
    }

    func testAnswersAWellFormedRequestEvenAfterTheClientHalfCloses() throws {
        let answer = try exchange(Array("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc".utf8))
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 200 OK\r\n"), answer)
        XCTAssertTrue(answer.hasSuffix("POST /x 3"), answer)
        XCTAssertEqual(try StatusClient.request(socket: server.path, method: "GET", path: "/y").body, "GET /y 0")
    }

    func testGarbageGetsA400AndTheServerCarriesOn() throws {
        for garbage in [
            [0x00, 0xFF, 0x13, 0x37, 0x0D, 0x0A], Array("HELLO\r\n\r\n".utf8),
            Array("GET /x HTTP/9.9\r\n\r\n".utf8), Array("GET x HTTP/1.1\r\n\r\n".utf8),
            Array("GET /x HTTP/1.1\r\nno colon here\r\n\r\n".utf8),
        ] as [[UInt8]] {
            let answer = try exchange(garbage)
            XCTAssertTrue(answer.hasPrefix("HTTP/1.1 400") || answer.hasPrefix("HTTP/1.1 505"), "\(garbage): \(answer)")
        }
        XCTAssertEqual(try StatusClient.request(socket: server.path, method: "GET", path: "/ok").status, 200)
    }

    func testOversizedHeadsAndBodiesAreRefused() throws {
        let longLine = "GET /" + String(repeating: "a", count: 20_000) + " HTTP/1.1\r\n\r\n"
        XCTAssertTrue(try exchange(Array(longLine.utf8)).hasPrefix("HTTP/1.1 431"))
        let manyHeaders = "GET / HTTP/1.1\r\n" + (0..<100).map { "X-\($0): y\r\n" }.joined() + "\r\n"
        XCTAssertTrue(try exchange(Array(manyHeaders.utf8)).hasPrefix("HTTP/1.1 431"))
        XCTAssertTrue(
            try exchange(Array("POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n".utf8)).hasPrefix("HTTP/1.1 413"))
    }

    func testAClientThatNeverFinishesItsRequestTimesOut() throws {
        let started = Date()
        let answer = try exchange(Array("GET /status HTTP/1.1\r\nHost: h\r\n".utf8), halfClose: false)
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 408"), answer)
        XCTAssertLessThan(Date().timeIntervalSince(started), 8)
        XCTAssertTrue(waitUntil(timeout: 5) { server.connectionCount == 0 })
    }

    func testManyClientsAtOnceAreAllServedAndLeaveNoDescriptorsBehind() throws {
        let path = server.path
        // Warm up first: Dispatch opens a few descriptors of its own (timerfd, eventfd) the first time it needs them.
        DispatchQueue.concurrentPerform(iterations: 20) { _ in
            _ = try? StatusClient.request(socket: path, method: "GET", path: "/fast")
        }
        XCTAssertTrue(waitUntil(timeout: 10) { server.connectionCount == 0 })
        let descriptorsBefore = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        // 200 clients connected at the same time, each sending its request before any answer is read.
        let clients = (0..<200).map { _ in UnixSocket.connect(path: path) }
        XCTAssertFalse(clients.contains(-1))
        let request = Array("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
        for fd in clients { _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
        var answered = 0
        for fd in clients {
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0, String(decoding: buffer[..<n], as: UTF8.self).hasPrefix("HTTP/1.1 200") { answered += 1 }
            close(fd)
        }
        XCTAssertEqual(answered, clients.count)
        // Clients that connect and vanish.
        for _ in 0..<100 { close(UnixSocket.connect(path: server.path)) }
        XCTAssertTrue(waitUntil(timeout: 10) { server.connectionCount == 0 })
        // 300 connections went through; a per-connection leak would show hundreds of descriptors. A couple may come
        // and go with the test process's own threads (Dispatch, earlier tests' servers shutting down).
        let settled = waitUntil(timeout: 10) {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? .max) <= descriptorsBefore
                + 2
        }
        if !settled {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            let targets = fds.map {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) ?? "?"
            }
            XCTFail("descriptors: before \(descriptorsBefore), after \(fds.count): \(targets.sorted())")
        }
    }

    /// The bytes and the hang-up arrive together: the server must notice the EOF at once, not hold the slot until the
    /// request timeout (256 such clients would lock every other client out for that long).
    func testAClientThatSendsHalfARequestAndHangsUpIsReleasedAtOnce() throws {
        let patient = UnixHTTPServer(
            path: folder.path("patient.sock"), requestTimeout: 60,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        ) { _ in
            .init(status: 200, text: "ok")
        }
        try patient.start()
        defer { patient.stop() }
        for _ in 0..<50 {
            let fd = UnixSocket.connect(path: patient.path)
            XCTAssertGreaterThanOrEqual(fd, 0)
            _ = Array("GET /sta".utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(fd)
        }
        XCTAssertTrue(
            waitUntil(timeout: 10) { patient.connectionCount == 0 },
            "\(patient.connectionCount) clients still held (the request timeout is 60 s)")
    }

    func testTheSocketFileIsGroupOnly() throws {
        var info = stat()
        XCTAssertEqual(stat(server.path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o660)
    }
}
