import Dispatch
import HeraldStore
import HeraldTestSupport
import Logging
import Synchronization
import XCTest

@testable import HeraldConfiguration
@testable import HeraldCore

final class WatchdogTests: XCTestCase {
    func testPingsWhileHealthyAndWithholdsWhileTheSchedulerIsStuck() throws {
        let folder = try TemporaryDirectory("herald-watchdog")
        defer { folder.remove() }
        try """
        {"database": "herald.db", "sources": [{"name": "idle", "listing": "http://127.0.0.1:9/", "enabled": false}]}
        """.write(toFile: folder.path("config.json"), atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: folder.path("config.json"))
        let store = try ArticleStore(path: config.database)
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let scheduler = Scheduler(crawler: Crawler(config: config, store: store, logger: logger), logger: logger)
        let pings = Mutex(0)
        let withheld = Mutex(0)
        let watchdog = Watchdog(
            interval: 0.2, isHealthy: { scheduler.isResponsive(timeout: 0.05) },
            ping: { pings.withLock { $0 += 1 } }, onWithheld: { withheld.withLock { $0 += 1 } })
        defer { watchdog.stop() }
        XCTAssertTrue(waitUntil(timeout: 10) { pings.withLock { $0 } >= 3 })

        // Wedge the scheduler queue: the pings must stop while it is stuck.
        let release = DispatchSemaphore(value: 0)
        scheduler.queue.async { release.wait() }
        let pingsWhenStuck = pings.withLock { $0 }
        XCTAssertTrue(waitUntil(timeout: 10) { withheld.withLock { $0 } >= 3 })
        XCTAssertLessThanOrEqual(pings.withLock { $0 }, pingsWhenStuck + 1, "at most one ping already in flight")
        release.signal()
        let before = pings.withLock { $0 }
        XCTAssertTrue(waitUntil(timeout: 10) { pings.withLock { $0 } > before + 1 }, "pings resume once unstuck")
    }
}
