import Foundation
import HeraldFetch
import HeraldTestSupport
import XCTest

final class HTTPClientTests: XCTestCase {
    private let seedPath = "/cn/中国/20231028-拜登敦促中国合作-共同应对全球挑战"

    // MARK: Static fixture site

    func testArticleWithoutTrailingSlashFollowsRedirectToDirectory() async throws {
        let server = try FixtureServer.fixtureSite()
        defer { server.stop() }
        let client = HTTPClient(options: testClientOptions())
        let url = server.url(encodedPath(seedPath))

        let response = try await client.expectResponse(HTTPRequest(url: url))

        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.redirectCount, 1)
        XCTAssertEqual(response.finalURL, url + "/")
        XCTAssertEqual(response.contentType, "text/html")
        XCTAssertTrue(response.text.contains("拜登敦促中国合作"))
        XCTAssertNotNil(response.lastModified)
        XCTAssertNil(response.headers["location"], "only the final response's headers are kept")
        // The percent-encoded request line reached the server unchanged (uppercase hex).
        XCTAssertEqual(server.requests.map(\.path), [encodedPath(seedPath), encodedPath(seedPath) + "/"])
    }

    func testConditionalGetWithLastModifiedGets304() async throws {
        let server = try FixtureServer.fixtureSite()
        defer { server.stop() }
        let client = HTTPClient(options: testClientOptions())
        let url = server.url("/cn/")

        let first = try await client.expectResponse(HTTPRequest(url: url))
        let lastModified = try XCTUnwrap(first.lastModified)
        let second = try await client.expectResponse(HTTPRequest(url: url, ifModifiedSince: lastModified))

        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(second.status, 304)
        XCTAssertTrue(second.body.isEmpty)
        XCTAssertEqual(server.requests.last?.header("If-Modified-Since"), lastModified)
    }

    func testConditionalGetWithETagGets304WhenServerSendsETags() async throws {
        let server = try FixtureServer.fixtureSite(etags: true)
        defer { server.stop() }
        let client = HTTPClient(options: testClientOptions())
        let url = server.url("/robots.txt")

        let first = try await client.expectResponse(HTTPRequest(url: url))
        let etag = try XCTUnwrap(first.etag)
        let second = try await client.expectResponse(HTTPRequest(url: url, ifNoneMatch: etag))

        XCTAssertEqual(first.contentType, "text/plain")
        XCTAssertEqual(second.status, 304)
        XCTAssertEqual(server.requests.last?.header("If-None-Match"), etag)
    }

    func testStaticServerContentTypesAndMissingFiles() async throws {
        let server = try FixtureServer.fixtureSite()
        defer { server.stop() }
        let client = HTTPClient(options: testClientOptions())

        let feed = try await client.expectResponse(HTTPRequest(url: server.url("/cn/rss/index.xml")))
        let missing = await client.fetch(HTTPRequest(url: server.url("/no/such/page")))
        let traversal = await client.fetch(HTTPRequest(url: server.url("/cn/%2E%2E/%2E%2E/etc/passwd")))

        XCTAssertEqual(feed.contentType, "application/xml")
        XCTAssertEqual(missing.failureKind, .http(status: 404, retryAfter: nil))
        XCTAssertEqual(traversal.failureKind, .http(status: 404, retryAfter: nil))
    }

    func testRawUTF8InRequestLineIs404LikePythonsServer() throws {
        let server = try FixtureServer.fixtureSite()
        defer { server.stop() }
        let raw = Array("GET /cn/中国/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)
        let encoded = Array("GET \(encodedPath("/cn/中国/")) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)

        let rawAnswer = String(decoding: try server.sendRaw(raw), as: UTF8.self)
        let encodedAnswer = String(decoding: try server.sendRaw(encoded), as: UTF8.self)

        XCTAssertTrue(rawAnswer.hasPrefix("HTTP/1.1 404"), rawAnswer)
        XCTAssertTrue(encodedAnswer.hasPrefix("HTTP/1.1 200"), String(encodedAnswer.prefix(200)))
    }

    func testUserAgentAndAcceptEncodingAreSent() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/ua", .text("ok"))
        let client = HTTPClient(options: testClientOptions())

        _ = await client.fetch(HTTPRequest(url: server.url("/ua"), accept: "text/html"))

        let request = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(request.header("User-Agent"), "HeraldTest/1.0 (+https://example.invalid/bot)")
        XCTAssertEqual(request.header("Accept"), "text/html")
        XCTAssertTrue(request.header("Accept-Encoding")?.contains("gzip") ?? false)
    }

    func testKeepAliveConnectionIsReusedForTheSameHost() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/a", .text("a"))
        server.route("/b", .text("b"))
        let client = HTTPClient(options: testClientOptions())

        _ = await client.fetch(HTTPRequest(url: server.url("/a")))
        _ = await client.fetch(HTTPRequest(url: server.url("/b")))

        let connections = server.requests.map(\.connectionID)
        XCTAssertEqual(connections.count, 2)
        XCTAssertEqual(connections.first, connections.last)
    }

    func testTransfersRunInParallelBeyondTheCoreCount() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        let count = 8  // 4× this machine's cores: blocking transfers must not be bounded by the thread pool
        server.route(prefix: "/together/") { [weak server] _ in
            // Each answer waits until all requests have arrived, so they can only succeed if all run at once.
            let allArrived = server?.waitForRequests(count, timeout: 20) ?? false
            return allArrived ? .text("ok") : .status(500, body: "only some requests arrived")
        }
        let client = HTTPClient(options: testClientOptions())

        let statuses = await withTaskGroup(of: Int.self) { group in
            for i in 0..<count {
                group.addTask {
                    await client.fetch(HTTPRequest(url: server.url("/together/\(i)"))).response?.status ?? 0
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }

        XCTAssertEqual(statuses, Array(repeating: 200, count: count))
    }

    // MARK: Encodings and body cap

    func testGzipBodyIsDecoded() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        let page = String(repeating: "<p>压缩</p>", count: 1000)
        server.route("/gz", Response.html(page).gzipped())
        server.route("/bomb", .gzipBomb(count: 100_000))
        let client = HTTPClient(options: testClientOptions())

        let response = try await client.expectResponse(HTTPRequest(url: server.url("/gz")))
        let bomb = try await client.expectResponse(HTTPRequest(url: server.url("/bomb")))

        XCTAssertEqual(response.headers["content-encoding"], "gzip")
        XCTAssertEqual(response.text, page)
        XCTAssertEqual(bomb.body, [UInt8](repeating: UInt8(ascii: "a"), count: 100_000))
    }

    func testCorruptGzipIsANetworkErrorNotAPartialBody() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/bad", Response.html(String(repeating: "x", count: 5000)).corruptGzipped())
        let client = HTTPClient(options: testClientOptions())

        let result = await client.fetch(HTTPRequest(url: server.url("/bad")))

        XCTAssertEqual(result.failureKind?.isNetwork, true, "\(result)")
    }

    func testHugePageAboveCapIsRefused() async throws {
        let server = try FixtureServer.fixtureSite()
        defer { server.stop() }
        let client = HTTPClient(options: testClientOptions { $0.maxBodyBytes = 1_000_000 })

        let result = await client.fetch(HTTPRequest(url: server.url("/hostile/huge-12mb.html")))

        XCTAssertEqual(result.failureKind, .bodyTooLarge(limit: 1_000_000))
    }

    func testBodyCapCountsDecodedBytesWithoutContentLength() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        // 2 MB inflated from ~16 KB on the wire: MAXFILESIZE cannot see it, the write callback must.
        server.route("/bomb", .gzipBomb(count: 2_000_000))
        server.route("/plain", Response.bytes([UInt8](repeating: 1, count: 300_000)).withoutContentLength())
        let client = HTTPClient(options: testClientOptions { $0.maxBodyBytes = 100_000 })

        let bomb = await client.fetch(HTTPRequest(url: server.url("/bomb")))
        let plain = await client.fetch(HTTPRequest(url: server.url("/plain")))

        XCTAssertEqual(bomb.failureKind, .bodyTooLarge(limit: 100_000))
        XCTAssertEqual(plain.failureKind, .bodyTooLarge(limit: 100_000))
    }

    // MARK: Redirects and schemes

    func testRedirectLoopAndLongChainsHitTheCap() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/loop", .redirect(to: "/loop"))
        for hop in 1...3 { server.route("/hop\(hop)", .redirect(to: "/hop\(hop + 1)", status: 301)) }
        server.route("/hop4", .text("end"))
        let client = HTTPClient(options: testClientOptions { $0.maxRedirects = 2 })

        let loop = await client.fetch(HTTPRequest(url: server.url("/loop")))
        let chain = await client.fetch(HTTPRequest(url: server.url("/hop1")))
        let short = try await client.expectResponse(HTTPRequest(url: server.url("/hop2")))

        XCTAssertEqual(loop.failureKind, .tooManyRedirects(limit: 2))
        XCTAssertEqual(chain.failureKind, .tooManyRedirects(limit: 2))
        XCTAssertEqual(short.redirectCount, 2)
        XCTAssertEqual(short.finalURL, server.url("/hop4"))
    }

    func testRedirectsToFileAndFTPAreRefused() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/file", .redirect(to: "file:///etc/passwd"))
        server.route("/ftp", .redirect(to: "ftp://127.0.0.1/pub/x"))
        let client = HTTPClient(options: testClientOptions())

        let file = await client.fetch(HTTPRequest(url: server.url("/file")))
        let ftp = await client.fetch(HTTPRequest(url: server.url("/ftp")))
        let direct = await client.fetch(HTTPRequest(url: "file:///etc/passwd"))

        XCTAssertEqual(file.failureKind, .unsupportedScheme("file"))
        XCTAssertEqual(ftp.failureKind, .unsupportedScheme("ftp"))
        XCTAssertEqual(direct.failureKind, .unsupportedScheme("file"))
    }

    // MARK: Slow, broken and refused

    func testStalledServerTimesOutPromptly() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/stall", Response.html("<p>never</p>").stalling())
        let client = HTTPClient(options: testClientOptions())

        let started = Date()
        let result = await client.fetch(HTTPRequest(url: server.url("/stall")))

        XCTAssertEqual(result.failureKind, .timeout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "lowSpeedTime is 2 s")
    }

    func testTricklingServerTimesOutPromptly() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/trickle", Response.html(String(repeating: "x", count: 1000)).trickling(every: 0.5))
        let client = HTTPClient(options: testClientOptions())

        let started = Date()
        let result = await client.fetch(HTTPRequest(url: server.url("/trickle")))

        XCTAssertEqual(result.failureKind, .timeout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "2 bytes/s is far below the 100 bytes/s limit")
    }

    func testResetMidBodyIsANetworkError() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/reset", Response.html(String(repeating: "y", count: 200_000)).resettingMidBody())
        let client = HTTPClient(options: testClientOptions())

        let result = await client.fetch(HTTPRequest(url: server.url("/reset")))

        XCTAssertEqual(result.failureKind?.isNetwork, true, "\(result)")
    }

    func testTruncatedBodyIsANetworkError() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/short", Response.html(String(repeating: "z", count: 5000)).truncated(missing: 1000))
        let client = HTTPClient(options: testClientOptions())

        let result = await client.fetch(HTTPRequest(url: server.url("/short")))

        guard case .transfer? = result.failureKind else {
            return XCTFail("expected a broken transfer, got \(result)")
        }
    }

    func testErrorStatusesCarryRetryAfter() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        let later = Date().addingTimeInterval(120)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        server.route("/busy", .status(503, headers: [("Retry-After", "7")]))
        server.route("/slow-down", .status(429, headers: [("Retry-After", formatter.string(from: later))]))
        server.route("/gone", .status(410))
        let client = HTTPClient(options: testClientOptions())

        let busy = await client.fetch(HTTPRequest(url: server.url("/busy")))
        let slowDown = await client.fetch(HTTPRequest(url: server.url("/slow-down")))
        let gone = await client.fetch(HTTPRequest(url: server.url("/gone")))

        XCTAssertEqual(busy.failureKind, .http(status: 503, retryAfter: 7))
        guard case let .http(429, seconds?)? = slowDown.failureKind else { return XCTFail("\(slowDown)") }
        XCTAssertEqual(seconds, 120, accuracy: 5)
        XCTAssertEqual(gone.failureKind, .http(status: 410, retryAfter: nil))
    }

    func testBlockPrivateAddressesRefusesLoopback() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/secret", .text("internal"))
        let client = HTTPClient(options: testClientOptions { $0.blockPrivateAddresses = true })

        let result = await client.fetch(HTTPRequest(url: server.url("/secret")))

        XCTAssertEqual(result.failureKind, .blockedAddress)
        XCTAssertEqual(server.requestCount(), 0)
    }

    func testShutdownAbortsAStalledTransferPromptly() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/stall", Response.html("<p>never</p>").stalling())
        let client = HTTPClient(
            options: testClientOptions {
                $0.lowSpeedTime = 60
                $0.totalTimeout = 120
            })

        let started = Date()
        async let result = client.fetch(HTTPRequest(url: server.url("/stall")))
        XCTAssertTrue(server.waitForRequests(1, timeout: 10))
        client.shutdown()
        let outcome = await result
        let after = await client.fetch(HTTPRequest(url: server.url("/stall")))

        XCTAssertEqual(outcome.failureKind, .cancelled)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(after.failureKind, .cancelled)
        XCTAssertEqual(server.requestCount(), 1, "no request after shutdown")
    }

    func testTaskCancellationAbortsTheTransfer() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/stall", Response.html("<p>never</p>").stalling())
        let client = HTTPClient(
            options: testClientOptions {
                $0.lowSpeedTime = 60
                $0.totalTimeout = 120
            })

        let started = Date()
        let task = Task { await client.fetch(HTTPRequest(url: server.url("/stall"))) }
        XCTAssertTrue(server.waitForRequests(1, timeout: 10))
        task.cancel()
        let outcome = await task.value

        XCTAssertEqual(outcome.failureKind, .cancelled)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }
}

private typealias Response = FixtureServer.Response
