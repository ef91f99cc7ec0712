import Foundation
import HeraldFetch
import HeraldTestSupport
import Synchronization
import XCTest

private let gateHost = "http://127.0.0.1:1"

final class HostGateTests: XCTestCase {
    private let host = gateHost

    func testWaitersAreServedInArrivalOrder() async throws {
        let gate = HostGate(maxInFlightPerHost: 1, minimumDelay: 0)
        let order = Recorder<String>()
        try await gate.acquire(host)
        var tasks: [Task<Void, any Error>] = []
        for name in ["b", "c", "d"] {
            tasks.append(
                Task {
                    try await gate.acquire(gateHost)
                    order.append(name)
                    await gate.release(gateHost)
                })
            // Queue them one at a time so arrival order is known.
            let queued = tasks.count
            try await waitFor { await gate.waitingCount(for: gateHost) == queued }
        }
        await gate.release(host)
        for task in tasks { try await task.value }
        XCTAssertEqual(order.items, ["b", "c", "d"])
    }

    /// A reload changes the limits of the gate the running passes already use: raising them lets waiters in at once,
    /// lowering them holds new requests until enough in-flight ones end.
    func testReconfiguredLimitsApplyToWaitersAndLaterRequests() async throws {
        let gate = HostGate(maxInFlightPerHost: 1, minimumDelay: 0)
        try await gate.acquire(host)
        let waiter = Task { try await gate.acquire(gateHost) }
        try await waitFor { await gate.waitingCount(for: gateHost) == 1 }
        await gate.reconfigure(maxInFlightPerHost: 2, minimumDelay: 0)
        try await waiter.value
        let inFlight = await gate.inFlightCount(for: host)
        XCTAssertEqual(inFlight, 2, "the raised limit let the waiter in")

        await gate.reconfigure(maxInFlightPerHost: 1, minimumDelay: 0)
        let third = Task { try await gate.acquire(gateHost) }
        try await waitFor { await gate.waitingCount(for: gateHost) == 1 }
        await gate.release(host)
        let stillWaiting = await gate.waitingCount(for: host)
        XCTAssertEqual(stillWaiting, 1, "two in flight, one released: still at the lowered limit of one")
        await gate.release(host)
        try await third.value
        await gate.release(host)
    }

    func testCancelledWaiterLeavesTheQueueWithoutLosingWakeups() async throws {
        let gate = HostGate(maxInFlightPerHost: 1, minimumDelay: 0)
        try await gate.acquire(host)
        let cancelled = Task { try await gate.acquire(gateHost) }
        try await waitFor { await gate.waitingCount(for: gateHost) == 1 }
        let next = Task {
            try await gate.acquire(gateHost)
            await gate.release(gateHost)
        }
        try await waitFor { await gate.waitingCount(for: gateHost) == 2 }

        cancelled.cancel()
        do {
            try await cancelled.value
            XCTFail("a cancelled waiter must not get a slot")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        await gate.release(host)
        try await next.value  // would hang (and time the test out) if the wake-up went to the cancelled waiter
        let inFlight = await gate.inFlightCount(for: host)
        XCTAssertEqual(inFlight, 0)
    }

    func testCloseFailsWaitersAndLaterRequests() async throws {
        let gate = HostGate(maxInFlightPerHost: 1, minimumDelay: 0)
        try await gate.acquire(host)
        let waiter = Task { try await gate.acquire(gateHost) }
        try await waitFor { await gate.waitingCount(for: gateHost) == 1 }
        await gate.close()
        do {
            try await waiter.value
            XCTFail("expected Closed")
        } catch { XCTAssertTrue(error is HostGate.Closed) }
        do {
            try await gate.acquire(host)
            XCTFail("expected Closed")
        } catch { XCTAssertTrue(error is HostGate.Closed) }
    }

    func testCrawlDelayOnlyRaisesTheDelay() async {
        let gate = HostGate(maxInFlightPerHost: 1, minimumDelay: 1)
        await gate.setCrawlDelay(5, for: host)
        let raised = await gate.delay(for: host)
        await gate.setCrawlDelay(0.1, for: host)
        let floor = await gate.delay(for: host)
        let other = await gate.delay(for: "http://other:80")
        XCTAssertEqual(raised, 5)
        XCTAssertEqual(floor, 1)
        XCTAssertEqual(other, 1)
    }

    func testAtMostNRequestsInFlightPerHostThroughTheFetcher() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        let concurrency = Recorder<Int>()  // +1 at start, -1 at end
        server.route(prefix: "/slow/") { _ in
            concurrency.append(1)
            Thread.sleep(forTimeInterval: 0.3)  // the server holding a request open, not test synchronisation
            concurrency.append(-1)
            return .text("ok")
        }
        let client = HTTPClient(options: testClientOptions())
        let fetcher = PoliteFetcher(
            client: client,
            options: PoliteFetcherOptions(
                maxInFlightPerHost: 2, perHostDelay: 0, respectRobotsTxt: false))

        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<6 {
                group.addTask { (try? await fetcher.fetch(HTTPRequest(url: server.url("/slow/\(i)"))).get()) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }

        XCTAssertEqual(results, Array(repeating: true, count: 6))
        let running = concurrency.items.reduce(into: [0]) { $0.append($0.last! + $1) }
        XCTAssertEqual(running.max(), 2)
    }

    func testRequestStartsAreSpacedByTheDelay() async throws {
        let server = try FixtureServer()
        defer { server.stop() }
        server.route(prefix: "/p/") { _ in .text("ok") }
        let client = HTTPClient(options: testClientOptions())
        let fetcher = PoliteFetcher(
            client: client,
            options: PoliteFetcherOptions(
                maxInFlightPerHost: 4, perHostDelay: 0.3, respectRobotsTxt: false))

        await withTaskGroup(of: Void.self) { group in
            for i in 0..<4 { group.addTask { _ = await fetcher.fetch(HTTPRequest(url: server.url("/p/\(i)"))) } }
        }

        let times = server.requests.map(\.receivedAt).sorted()
        XCTAssertEqual(times.count, 4)
        for (earlier, later) in zip(times, times.dropFirst()) {
            // Lower bound with a little slack for loopback latency jitter between gate and server.
            XCTAssertGreaterThan(later.timeIntervalSince(earlier), 0.25)
        }
    }
}

/// Polls an async condition (every 10 ms, up to `timeout`): waiting on state, not sleeping a fixed time.
func waitFor(
    timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line,
    _ condition: () async -> Bool
) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    XCTFail("condition not met within \(timeout) s", file: file, line: line)
    throw CancellationError()
}

/// A thread-safe list of events, appended from server threads or tasks.
final class Recorder<Element: Sendable>: Sendable {
    private let storage = Mutex<[Element]>([])
    func append(_ element: Element) { storage.withLock { $0.append(element) } }
    var items: [Element] { storage.withLock { $0 } }
}
