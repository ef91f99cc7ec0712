import Foundation
import HeraldTestSupport
import HeraldTime
import Logging
import XCTest

@testable import HeraldConfiguration
@testable import HeraldCore
@testable import HeraldStore

/// The small rules the scheduler and the crawl pass live by.
final class SchedulingRulesTests: XCTestCase {
    func testNextRunAfterASuccessIsTheIntervalPlusOrMinusTheJitter() {
        XCTAssertEqual(
            Backoff.delay(interval: 900, jitter: 60, consecutiveFailures: 0, retryAfter: nil, random: 0), 840)
        XCTAssertEqual(
            Backoff.delay(interval: 900, jitter: 60, consecutiveFailures: 0, retryAfter: nil, random: 0.5), 900)
        XCTAssertEqual(
            Backoff.delay(interval: 900, jitter: 60, consecutiveFailures: 0, retryAfter: nil, random: 1), 960)
    }

    func testFailuresBackOffExponentiallyUpToSixHoursAndNeverGiveUp() {
        XCTAssertEqual(
            Backoff.delay(interval: 600, jitter: 0, consecutiveFailures: 1, retryAfter: nil, random: 0), 1200)
        XCTAssertEqual(
            Backoff.delay(interval: 600, jitter: 0, consecutiveFailures: 3, retryAfter: nil, random: 0), 4800)
        XCTAssertEqual(
            Backoff.delay(interval: 600, jitter: 0, consecutiveFailures: 10, retryAfter: nil, random: 0), 21600)
        XCTAssertEqual(
            Backoff.delay(interval: 600, jitter: 0, consecutiveFailures: 10_000, retryAfter: nil, random: 0), 21600)
    }

    func testALongerRetryAfterFromTheServerWins() {
        XCTAssertEqual(
            Backoff.delay(interval: 60, jitter: 0, consecutiveFailures: 1, retryAfter: 3600, random: 0), 3600)
        XCTAssertEqual(Backoff.delay(interval: 60, jitter: 0, consecutiveFailures: 1, retryAfter: 5, random: 0), 120)
    }

    func testTheNetworkIsDownOnlyWhenSeveralHostsGetNoAnswerAndNoneAnswers() {
        let health = NetworkHealth(window: 60, hasDefaultRoute: { true })
        let now = Date()
        health.record(host: "a.example", unanswered: true, at: now)
        XCTAssertFalse(health.isOutage(now: now), "one silent server is that server's failure, never an outage")
        health.record(host: "b.example", unanswered: false, at: now)
        XCTAssertFalse(health.isOutage(now: now), "another host answers: the failing one is to blame")
        health.record(host: "b.example", unanswered: true, at: now)
        XCTAssertTrue(health.isOutage(now: now), "two distinct hosts, neither answers: the network is down")
        XCTAssertFalse(health.isOutage(now: now.addingTimeInterval(120)), "old attempts do not count")
    }

    func testAMachineWithoutADefaultRouteIsOfflineWhateverTheHosts() {
        let offline = NetworkHealth(window: 60, hasDefaultRoute: { false })
        offline.record(host: "a.example", unanswered: true)
        XCTAssertTrue(offline.isOutage())
    }

    func testDefaultRoutesAreReadFromTheKernelTables() {
        let ipv4Header = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
        let ipv4Default = ipv4Header + "eth0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
        let ipv4LAN = ipv4Header + "eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
        let zero = String(repeating: "0", count: 32)
        let ipv6Unreachable = "\(zero) 00 \(zero) 00 \(zero) ffffffff 00000001 00000000 00200200       lo\n"
        let ipv6Default =
            "\(zero) 00 \(zero) 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003     eth0\n"
        XCTAssertTrue(MachineRoutes.hasDefaultRoute(ipv4Table: ipv4Default, ipv6Table: ipv6Unreachable))
        XCTAssertFalse(MachineRoutes.hasDefaultRoute(ipv4Table: ipv4LAN, ipv6Table: ipv6Unreachable))
        XCTAssertTrue(MachineRoutes.hasDefaultRoute(ipv4Table: ipv4LAN, ipv6Table: ipv6Default))
        XCTAssertFalse(MachineRoutes.hasDefaultRoute(ipv4Table: ipv4Header, ipv6Table: ""))
    }

    func testASeenURLIsFetchedAgainOnlyWhenTheListingShowsANewerTimestamp() {
        let stored = LinkState.stored(
            StoredArticle(
                id: 1, url: "u", publishedAt: "2025-03-14T07:05:00Z",
                modifiedAt: "2025-03-14T07:07:50Z", listingTimestamp: nil,
                contentHash: "h", revision: 1))
        let now = Instant(text: "2025-03-16T00:00:00Z")!
        XCTAssertEqual(LinkTriage.decide(.new, timestamp: nil, now: now), .fetchNew)
        XCTAssertEqual(LinkTriage.decide(stored, timestamp: nil, now: now), .unchanged)
        XCTAssertEqual(
            LinkTriage.decide(stored, timestamp: Instant(text: "2025-03-14T07:05:00Z"), now: now), .unchanged)
        XCTAssertEqual(LinkTriage.decide(stored, timestamp: Instant(text: "2025-03-15T16:40:00Z"), now: now), .refetch)
    }

    func testFailedURLsAreRetriedWhenDueAndPermanentFailuresOnlyForANewerTimestamp() {
        func failure(permanent: Bool, retryAfter: Instant?, listing: Instant?) -> LinkState {
            .failed(
                FetchFailure(
                    url: "u", error: "e", permanent: permanent, attempts: 1, listingTimestamp: listing,
                    retryAfter: retryAfter))
        }
        let now = Instant(text: "2025-03-16T00:00:00Z")!
        XCTAssertEqual(
            LinkTriage.decide(
                failure(permanent: false, retryAfter: "2025-03-15T00:00:00Z", listing: nil),
                timestamp: nil, now: now), .fetchNew)
        if case .skip = LinkTriage.decide(
            failure(permanent: false, retryAfter: "2025-03-17T00:00:00Z", listing: nil),
            timestamp: nil, now: now)
        {
        } else {
            XCTFail("not yet due")
        }
        if case .skip = LinkTriage.decide(
            failure(permanent: true, retryAfter: nil, listing: "2025-03-01T00:00:00Z"),
            timestamp: Instant(text: "2025-03-01T00:00:00Z"), now: now)
        {
        } else {
            XCTFail("permanent")
        }
        XCTAssertEqual(
            LinkTriage.decide(
                failure(permanent: true, retryAfter: nil, listing: "2025-03-01T00:00:00Z"),
                timestamp: Instant(text: "2025-03-02T00:00:00Z"), now: now), .fetchNew)
    }

    func testDurationsReadAndPrintAsPeopleWriteThem() {
        XCTAssertEqual(DurationText.parse("90s"), 90)
        XCTAssertEqual(DurationText.parse("15m"), 900)
        XCTAssertEqual(DurationText.parse("1h30m"), 5400)
        XCTAssertEqual(DurationText.parse("500ms"), 0.5)
        XCTAssertEqual(DurationText.parse("1d"), 86400)
        for bad in ["", "15", "m", "15 minutes", "-5s", "1x"] { XCTAssertNil(DurationText.parse(bad), bad) }
        XCTAssertEqual(DurationText.format(5400), "1h30m")
        XCTAssertEqual(DurationText.format(0.25), "250ms")
    }

    func testConfigJSONErrorsCarryLineAndColumn() {
        let bytes = Array("{\n  \"sources\": [1, 2,, 3]\n}".utf8)
        XCTAssertThrowsError(try ConfigLoader.load(bytes: bytes, file: "/tmp/c.json")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("/tmp/c.json:2:"), text)
            XCTAssertTrue(text.contains("invalid JSON"), text)
        }
        XCTAssertThrowsError(try ConfigLoader.load(bytes: Array("{\"a\": 1, \"a\": 2}".utf8), file: "c")) { error in
            XCTAssertTrue("\(error)".contains("duplicate key \"a\""), "\(error)")
        }
    }
}

final class ConfigSyntaxTests: XCTestCase {
    /// People comment their configs and leave trailing commas; both are accepted, and positions stay right.
    func testCommentsAndTrailingCommasAreAccepted() throws {
        let text = """
            // Herald's config, with notes.
            {
              "database": "herald.db", /* beside this file */
              "sources": [
                {"name": "a", "listing": "https://example.com/news/", // the homepage
                 "interval": "1h",},
              ],
            }
            """
        let config = try ConfigLoader.load(
            bytes: Array(text.utf8), file: "/tmp/herald-comments/config.json",
            forReading: true)
        XCTAssertEqual(config.sources.map(\.name), ["a"])
        XCTAssertEqual(config.sources.first?.interval, 3600)

        let broken = "/* one\n two */ {\n  \"sources\": [ x ]\n}"
        XCTAssertThrowsError(try ConfigLoader.load(bytes: Array(broken.utf8), file: "/tmp/c.json")) { error in
            let problem = (error as? ConfigError)?.problems.first
            XCTAssertEqual(problem?.line, 3, "lines inside a block comment are counted")
            XCTAssertEqual(problem?.column, 16)
        }
        XCTAssertThrowsError(
            try ConfigLoader.load(
                bytes: Array("{\"sources\": [] /* never closed".utf8),
                file: "/tmp/c.json"))
    }
}

final class ConfigLocationTests: XCTestCase {
    func testTheLookupOrderAndAForeignConfigJSONIsNotTaken() {
        let home = ["HOME": "/home/ann"]
        func find(_ environment: [String: String], existing: Set<String>, herald: Bool = true) -> ConfigLocation.Found {
            ConfigLocation.find(
                explicit: nil, environment: environment, exists: { existing.contains($0) },
                isHeraldConfig: { _ in herald })
        }
        XCTAssertEqual(ConfigLocation.find(explicit: "x.json", environment: ["HERALD_CONFIG": "y.json"]).path, "x.json")
        XCTAssertEqual(find(["HERALD_CONFIG": "/srv/h.json"], existing: []).path, "/srv/h.json")
        let all: Set = ["/home/ann/.config/herald/config.json", "/etc/herald/config.json", "config.json"]
        XCTAssertEqual(find(home, existing: all).path, "/home/ann/.config/herald/config.json")
        XCTAssertEqual(
            find(["XDG_CONFIG_HOME": "/x", "HOME": "/home/ann"], existing: ["/x/herald/config.json"]).path,
            "/x/herald/config.json")
        XCTAssertEqual(
            find(home, existing: ["/etc/herald/config.json", "config.json"]).path, "/etc/herald/config.json")
        let local = find(home, existing: ["config.json"])
        XCTAssertEqual(local, ConfigLocation.Found(path: "config.json", note: nil))
        let foreign = find(home, existing: ["config.json"], herald: false)
        XCTAssertEqual(foreign.path, "/etc/herald/config.json")
        XCTAssertTrue(foreign.note?.contains("./config.json is not a Herald config") ?? false, "\(foreign)")
        let none = find(home, existing: [])
        XCTAssertTrue(
            none.note?.hasPrefix(
                "no config file found (looked in /home/ann/.config/herald/config.json, "
                    + "/etc/herald/config.json, ./config.json)") ?? false, "\(none)")
    }
}

final class PassPoolTests: XCTestCase {
    func testAResizedSemaphoreGrantsUpToItsNewBoundOnly() async throws {
        let slots = AsyncSemaphore(permits: 1)
        let first = await slots.acquire()
        XCTAssertTrue(first)
        let second = Task { await slots.acquire() }
        try await Self.waitFor { await slots.waiting == 1 }
        await slots.resize(to: 3)
        let granted = await second.value
        XCTAssertTrue(granted, "raising the bound lets the waiter in")
        await slots.resize(to: 1)
        let third = Task { await slots.acquire() }
        try await Self.waitFor { await slots.waiting == 1 }
        await slots.release()
        let waiting = await slots.waiting
        XCTAssertEqual(waiting, 1, "two held, one released: the lowered bound of one is still full")
        await slots.release()
        let thirdGranted = await third.value
        XCTAssertTrue(thirdGranted)
    }

    /// A reload keeps one politeness layer: the new crawler shares the gate and the fetch slots (resized), so
    /// passes from before and after the reload are held to one set of limits.
    func testAReloadedCrawlerSharesTheGateAndSlotsWithNewLimits() async throws {
        let folder = try TemporaryDirectory("herald-reuse")
        defer { folder.remove() }
        func config(concurrency: Int, perHost: Int) throws -> HeraldConfig {
            let text = """
                {"database": "herald.db", "concurrency": \(concurrency), "perHost": {"concurrency": \(perHost), "delay": "2s"},
                 "sources": [{"name": "a", "listing": "https://example.com/"}]}
                """
            return try ConfigLoader.load(bytes: Array(text.utf8), file: folder.path("config.json"))
        }
        let store = try ArticleStore(path: folder.path("herald.db"))
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let old = Crawler(config: try config(concurrency: 4, perHost: 2), store: store, logger: logger)
        let new = Crawler(config: try config(concurrency: 8, perHost: 1), store: store, logger: logger, reusing: old)
        await new.applyLimits()
        XCTAssertTrue(new.polite.gate === old.polite.gate)
        XCTAssertTrue(new.fetchSlots === old.fetchSlots)
        let perHost = await old.polite.gate.maxInFlightPerHost
        let permits = await old.fetchSlots.permits
        XCTAssertEqual(perHost, 1)
        XCTAssertEqual(permits, 8)
    }

    static func waitFor(_ condition: @escaping @Sendable () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(10)
        while !(await condition()) {
            guard Date() < deadline else { throw FixtureError("the condition was not met within 10 s") }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
    }
}

final class SourceHealthTests: XCTestCase {
    private let started = Date(timeIntervalSince1970: 1_800_000_000)

    private func source(
        interval: Double = 600, failures: Int = 0, lastSuccess: Date? = nil,
        state: Scheduler.SourceStatus.State = .idle
    ) -> Scheduler.SourceStatus {
        Scheduler.SourceStatus(
            name: "s", listing: "https://example.com/", state: state, interval: interval,
            keepDays: nil, nextRunAt: nil, consecutiveFailures: failures, lastError: "HTTP 503",
            lastSuccessAt: lastSuccess.map(Instant.init), lastReport: nil)
    }

    func testThreeFailuresInARowMakeASourceFailing() {
        XCTAssertEqual(SourceHealth.assess(source(failures: 2), daemonStartedAt: started, now: started), .ok)
        XCTAssertEqual(
            SourceHealth.assess(source(failures: 3), daemonStartedAt: started, now: started),
            .failing(failures: 3, lastError: "HTTP 503"))
        XCTAssertEqual(
            SourceHealth.assess(
                source(failures: 9, state: .disabled), daemonStartedAt: started,
                now: started), .ok, "a disabled source never alerts")
    }

    func testASourceIsStaleAfterThreeIntervalsAndAtLeastAnHour() {
        let ten = source(interval: 600, lastSuccess: started)
        XCTAssertEqual(
            SourceHealth.assess(ten, daemonStartedAt: started, now: started.addingTimeInterval(3599)), .ok,
            "three 10-minute intervals are still under the one-hour floor")
        XCTAssertEqual(
            SourceHealth.assess(ten, daemonStartedAt: started, now: started.addingTimeInterval(3601)),
            .stale(since: started, interval: 600))
        let hourly = source(interval: 3600, lastSuccess: started)
        XCTAssertEqual(
            SourceHealth.assess(hourly, daemonStartedAt: started, now: started.addingTimeInterval(3 * 3600)),
            .ok)
        XCTAssertNotNil(
            SourceHealth.assess(hourly, daemonStartedAt: started, now: started.addingTimeInterval(3 * 3600 + 1))
                .problem(source: "s", now: started.addingTimeInterval(3 * 3600 + 1)))
    }

    func testANeverSuccessfulSourceIsMeasuredFromTheDaemonsStart() {
        let never = source(interval: 600)
        XCTAssertEqual(SourceHealth.assess(never, daemonStartedAt: started, now: started.addingTimeInterval(1800)), .ok)
        XCTAssertEqual(
            SourceHealth.assess(never, daemonStartedAt: started, now: started.addingTimeInterval(7200)),
            .stale(since: started, interval: 600))
    }
}
