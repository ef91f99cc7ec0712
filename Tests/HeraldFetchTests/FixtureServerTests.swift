import Foundation
import HeraldFetch
import HeraldTestSupport
import XCTest

/// The test server itself: behaviours later suites (crawl pass, daemon, fault injection) rely on.
final class FixtureServerTests: XCTestCase {
    func testDirectoryRedirectCanBeAbsoluteAndKeepsTheQuery() throws {
        let server = try FixtureServer(root: FixtureSite.standard().root, absoluteRedirects: true)
        defer { server.stop() }
        let answer = String(
            decoding: try server.sendRaw(
                Array(
                    "GET /cn?x=1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n".utf8)), as: UTF8.self)

        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 301"), answer)
        XCTAssertTrue(answer.contains("Location: \(server.baseURL)/cn/?x=1\r\n"), answer)
    }

    func testHeadSendsHeadersWithoutBodyOnAKeptAliveConnection() throws {
        let server = try FixtureServer.fixtureSite()
        defer { server.stop() }
        let request =
            "HEAD /robots.txt HTTP/1.1\r\nHost: h\r\n\r\nGET /robots.txt HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
        let answer = String(decoding: try server.sendRaw(Array(request.utf8)), as: UTF8.self)

        let responses = answer.components(separatedBy: "HTTP/1.1 200 OK")
        XCTAssertEqual(responses.count, 3, answer)  // two responses on one connection
        XCTAssertTrue(responses[1].hasSuffix("\r\n\r\n"), "HEAD has no body")
        XCTAssertTrue(responses[2].contains("Disallow: /private/"))
        XCTAssertEqual(Set(server.requests.map(\.connectionID)).count, 1)
        XCTAssertEqual(server.requests.map(\.method), ["HEAD", "GET"])
    }

    func testStopEndsAStalledResponseAndRefusesNewConnections() async throws {
        let server = try FixtureServer()
        server.route("/stall", FixtureServer.Response.html("<p>x</p>").stalling())
        let client = HTTPClient(
            options: testClientOptions {
                $0.lowSpeedTime = 60
                $0.totalTimeout = 120
            })
        let url = server.url("/stall")

        let started = Date()
        async let outcome = client.fetch(HTTPRequest(url: url))
        XCTAssertTrue(server.waitForRequests(1, timeout: 10))
        server.stop()
        let result = await outcome
        let afterStop = await client.fetch(HTTPRequest(url: url))

        XCTAssertEqual(result.failureKind?.isNetwork, true, "\(result)")
        XCTAssertEqual(afterStop.failureKind?.isNetwork, true, "\(afterStop)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    func testSequenceRoutesAndPrefixRoutesAndTheLog() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/seq", sequence: [.status(500), .text("second"), .text("third")])
        server.route(prefix: "/echo/") { request in .text(request.path + "?" + (request.query ?? "")) }
        let client = HTTPClient(options: testClientOptions())

        var seen: [String] = []
        for _ in 0..<4 {
            switch await client.fetch(HTTPRequest(url: server.url("/seq"))) {
            case let .success(response): seen.append(response.text)
            case let .failure(error): seen.append("\(error.kind)")
            }
        }
        let echo = try await client.expectResponse(HTTPRequest(url: server.url("/echo/a%20b?q=1")))

        XCTAssertEqual(seen, ["http(status: 500, retryAfter: nil)", "second", "third", "third"])
        XCTAssertEqual(echo.text, "/echo/a%20b?q=1")
        XCTAssertEqual(server.requestCount(path: "/seq"), 4)
        XCTAssertTrue(server.waitForRequests(5, timeout: 1))
        XCTAssertFalse(server.waitForRequests(6, timeout: 0.2), "a deadline, not a hang")
        server.clearLog()
        XCTAssertEqual(server.requestCount(), 0)
    }

    func testGzipWriterRoundTripsThroughCurl() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }  // several stored blocks
        server.route("/big", FixtureServer.Response.bytes(big).gzipped())
        server.route("/empty", FixtureServer.Response.bytes([]).gzipped())
        let client = HTTPClient(options: testClientOptions())

        let bigResponse = try await client.expectResponse(HTTPRequest(url: server.url("/big")))
        let emptyResponse = try await client.expectResponse(HTTPRequest(url: server.url("/empty")))

        XCTAssertEqual(bigResponse.body, big)
        XCTAssertEqual(emptyResponse.body, [])
        XCTAssertEqual(Gzip.crc32(Array("123456789".utf8)), 0xCBF4_3926)  // the CRC-32 check value
    }
}
