import Foundation
import HeraldFetch
import HeraldTestSupport
import XCTest

final class PoliteFetcherTests: XCTestCase {
    /// Fast backoff, no per-host delay, robots off unless a test turns it on.
    private func fetcher(
        _ change: (inout PoliteFetcherOptions) -> Void = { _ in },
        client clientChange: (inout HTTPClientOptions) -> Void = { _ in }
    ) -> PoliteFetcher {
        var options = PoliteFetcherOptions(
            retries: 2, backoffBase: 0.05, maxBackoff: 1, maxRetryAfter: 5,
            maxInFlightPerHost: 2, perHostDelay: 0, respectRobotsTxt: false)
        change(&options)
        return PoliteFetcher(client: HTTPClient(options: testClientOptions(clientChange)), options: options)
    }

    // MARK: Retries

    func testClientErrorsAreNeverRetried() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/gone", .status(410))
        let fetcher = fetcher()

        let missing = await fetcher.fetchWithMetrics(HTTPRequest(url: server.url("/missing")))
        let gone = await fetcher.fetchWithMetrics(HTTPRequest(url: server.url("/gone")))

        XCTAssertEqual(missing.result.failureKind, .http(status: 404, retryAfter: nil))
        XCTAssertEqual(gone.result.failureKind, .http(status: 410, retryAfter: nil))
        XCTAssertEqual(missing.metrics.attempts, 1)
        XCTAssertEqual(gone.metrics.attempts, 1)
        XCTAssertEqual(server.requestCount(path: "/missing"), 1)
        XCTAssertEqual(server.requestCount(path: "/gone"), 1)
    }

    func testServiceUnavailableIsRetriedUntilTheServerHeals() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        // The server heals after its first answer. (A sequence, not a route flipped from the test: the server logs a
        // request before it picks the response, so flipping after `waitForRequests` could race the first answer.)
        server.route("/flaky", sequence: [.status(503), .html("<p>healed</p>")])
        let fetcher = fetcher { $0.backoffBase = 0.5 }

        let (result, metrics) = await fetcher.fetchWithMetrics(HTTPRequest(url: server.url("/flaky")))

        XCTAssertEqual(try result.get().text, "<p>healed</p>")
        XCTAssertEqual(metrics.attempts, 2)
    }

    func testTransientFailuresGiveUpAfterTheConfiguredRetries() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/down", .status(502))
        server.route("/reset", Response.html(String(repeating: "r", count: 100_000)).resettingMidBody())
        let fetcher = fetcher { $0.retries = 3 }

        let down = await fetcher.fetchWithMetrics(HTTPRequest(url: server.url("/down")))
        let reset = await fetcher.fetchWithMetrics(HTTPRequest(url: server.url("/reset")))

        XCTAssertEqual(down.result.failureKind, .http(status: 502, retryAfter: nil))
        XCTAssertEqual(down.metrics.attempts, 4)
        XCTAssertEqual(server.requestCount(path: "/down"), 4)
        XCTAssertEqual(reset.result.failureKind?.isNetwork, true)
        XCTAssertEqual(reset.metrics.attempts, 4)
    }

    func testRetryAfterIsHonoured() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/busy", sequence: [.status(429, headers: [("Retry-After", "1")]), .text("ok")])
        let fetcher = fetcher()

        let (result, metrics) = await fetcher.fetchWithMetrics(HTTPRequest(url: server.url("/busy")))

        XCTAssertEqual(try result.get().text, "ok")
        XCTAssertEqual(metrics.attempts, 2)
        let times = server.requests(path: "/busy").map(\.receivedAt)
        XCTAssertEqual(times.count, 2)
        XCTAssertGreaterThan(times[1].timeIntervalSince(times[0]), 0.9, "waited out Retry-After: 1")
    }

    func testRetryAfterBeyondTheCapReturnsAtOnce() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/later", .status(503, headers: [("Retry-After", "3600")]))
        let fetcher = fetcher()

        let started = Date()
        let (result, metrics) = await fetcher.fetchWithMetrics(HTTPRequest(url: server.url("/later")))

        XCTAssertEqual(result.failureKind, .http(status: 503, retryAfter: 3600))
        XCTAssertEqual(metrics.attempts, 1)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testShutdownEndsABackoffPromptly() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/down", .status(503, headers: [("Retry-After", "60")]))
        let log = LogRecorder()
        let fetcher = PoliteFetcher(
            client: HTTPClient(options: testClientOptions()),
            options: PoliteFetcherOptions(
                maxRetryAfter: 120, perHostDelay: 0,
                respectRobotsTxt: false),
            logger: log.logger)

        let started = Date()
        async let outcome = fetcher.fetch(HTTPRequest(url: server.url("/down")))
        XCTAssertTrue(waitUntil(timeout: 10) { log.messages.contains("retrying") }, "now in the 60 s backoff")
        fetcher.shutdown()
        let result = await outcome
        let later = await fetcher.fetch(HTTPRequest(url: server.url("/down")))

        XCTAssertEqual(result.failureKind, .cancelled)
        XCTAssertEqual(later.failureKind, .cancelled)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(server.requestCount(), 1)
    }

    // MARK: robots.txt

    func testFixtureRobotsForbidsInternalAndPrivatePagesWithoutFetchingThem() async throws {
        let server = try FixtureServer.fixtureSite()
        defer { server.stop() }
        let fetcher = fetcher { $0.respectRobotsTxt = true }
        let forbidden = "/cn/%E5%86%85%E9%83%A8/"
        let seed = encodedPath("/cn/中国/20231028-拜登敦促中国合作-共同应对全球挑战") + "/"

        let internalPage = await fetcher.fetch(HTTPRequest(url: server.url(forbidden + "20240101-x")))
        let privatePage = await fetcher.fetch(HTTPRequest(url: server.url("/private/x")))
        let article = await fetcher.fetch(HTTPRequest(url: server.url(seed)))
        let home = await fetcher.fetch(HTTPRequest(url: server.url("/cn/")))

        XCTAssertEqual(internalPage.failureKind, .robotsDisallowed)
        XCTAssertEqual(privatePage.failureKind, .robotsDisallowed)
        XCTAssertEqual(article.response?.status, 200)
        XCTAssertEqual(home.response?.status, 200)
        XCTAssertEqual(server.requests.map(\.path), ["/robots.txt", seed, "/cn/"], "robots.txt fetched once")
        XCTAssertEqual(server.requests.first?.header("User-Agent"), "HeraldTest/1.0 (+https://example.invalid/bot)")
    }

    func testConcurrentRequestsShareOneRobotsFetch() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/robots.txt", Response.text("User-agent: *\nDisallow: /no/\n").delayed(by: 0.3))
        server.route(prefix: "/yes/") { _ in .text("ok") }
        let fetcher = fetcher {
            $0.respectRobotsTxt = true
            $0.maxInFlightPerHost = 8
        }

        await withTaskGroup(of: Void.self) { group in
            for i in 0..<5 { group.addTask { _ = await fetcher.fetch(HTTPRequest(url: server.url("/yes/\(i)"))) } }
        }

        XCTAssertEqual(server.requestCount(path: "/robots.txt"), 1)
        XCTAssertEqual(server.requestCount(), 6)
    }

    func testCrawlDelayRaisesTheHostDelay() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/robots.txt", .text("User-agent: *\nCrawl-delay: 0.4\n"))
        server.route(prefix: "/p/") { _ in .text("ok") }
        let fetcher = fetcher {
            $0.respectRobotsTxt = true
            $0.maxInFlightPerHost = 4
        }

        await withTaskGroup(of: Void.self) { group in
            for i in 0..<3 { group.addTask { _ = await fetcher.fetch(HTTPRequest(url: server.url("/p/\(i)"))) } }
        }

        let delay = await fetcher.gate.delay(for: Origin(url: server.baseURL)!.description)
        XCTAssertEqual(delay, 0.4)
        let times = server.requests.map(\.receivedAt).sorted()  // robots.txt, then the three pages
        XCTAssertEqual(times.count, 4)
        for (earlier, later) in zip(times.dropFirst(), times.dropFirst(2)) {
            XCTAssertGreaterThan(later.timeIntervalSince(earlier), 0.35)
        }
    }

    func testMissingRobotsAllowsEverything() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/page", .text("ok"))
        let fetcher = fetcher { $0.respectRobotsTxt = true }

        let result = await fetcher.fetch(HTTPRequest(url: server.url("/page")))

        XCTAssertEqual(result.response?.text, "ok")
        XCTAssertEqual(server.requests.map(\.path), ["/robots.txt", "/page"])
    }

    func testUnreachableRobotsDisallowsBrieflyAndSaysWhy() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/robots.txt", .status(503))
        server.route("/page", .text("ok"))
        // failureTTL 0: the next request asks for robots.txt again.
        let fetcher = fetcher {
            $0.respectRobotsTxt = true
            $0.robotsFailureTTL = 0
        }

        let blocked = await fetcher.fetch(HTTPRequest(url: server.url("/page")))
        server.route("/robots.txt", .text("User-agent: *\nAllow: /\n"))
        let allowed = await fetcher.fetch(HTTPRequest(url: server.url("/page")))

        guard case let .robotsUnavailable(reason)? = blocked.failureKind else { return XCTFail("\(blocked)") }
        XCTAssertTrue(reason.contains("503"), reason)
        XCTAssertEqual(allowed.response?.text, "ok")
        XCTAssertEqual(server.requests.map(\.path), ["/robots.txt", "/robots.txt", "/page"])
    }

    func testAnUnreachableHostIsReportedAsSuchRatherThanAsMissingRobotsTxt() async throws {
        let server = try FixtureServer()
        let url = server.url("/page")
        server.stop()  // nothing listens on that port any more
        let fetcher = fetcher { $0.respectRobotsTxt = true }

        let result = await fetcher.fetch(HTTPRequest(url: url))

        guard case .connectionRefused? = result.failureKind else { return XCTFail("\(result)") }
        if case let .failure(error) = result {
            XCTAssertEqual(error.url, url, "the error names the page, not robots.txt")
        }
    }

    func testStalledRobotsTxtDoesNotStallTheCrawl() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route("/robots.txt", Response.text("User-agent: *\n").stalling())
        let fetcher = fetcher { $0.respectRobotsTxt = true }

        let started = Date()
        let result = await fetcher.fetch(HTTPRequest(url: server.url("/page")))

        guard case .robotsUnavailable? = result.failureKind else { return XCTFail("\(result)") }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "ended by the client's low-speed limit (2 s)")
        XCTAssertEqual(server.requestCount(path: "/page"), 0)
    }
}

private typealias Response = FixtureServer.Response
