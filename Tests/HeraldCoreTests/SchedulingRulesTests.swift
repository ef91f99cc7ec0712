@testable import HeraldCore
@testable import HeraldStore
import XCTest

/// The small rules the scheduler and the crawl pass live by.
final class SchedulingRulesTests: XCTestCase {
    func testNextRunAfterASuccessIsTheIntervalPlusOrMinusTheJitter() {
        XCTAssertEqual(Backoff.delay(interval: 900, jitter: 60, consecutiveFailures: 0, retryAfter: nil, random: 0), 840)
        XCTAssertEqual(Backoff.delay(interval: 900, jitter: 60, consecutiveFailures: 0, retryAfter: nil, random: 0.5), 900)
        XCTAssertEqual(Backoff.delay(interval: 900, jitter: 60, consecutiveFailures: 0, retryAfter: nil, random: 1), 960)
    }

    func testFailuresBackOffExponentiallyUpToSixHoursAndNeverGiveUp() {
        XCTAssertEqual(Backoff.delay(interval: 600, jitter: 0, consecutiveFailures: 1, retryAfter: nil, random: 0), 1200)
        XCTAssertEqual(Backoff.delay(interval: 600, jitter: 0, consecutiveFailures: 3, retryAfter: nil, random: 0), 4800)
        XCTAssertEqual(Backoff.delay(interval: 600, jitter: 0, consecutiveFailures: 10, retryAfter: nil, random: 0), 21600)
        XCTAssertEqual(Backoff.delay(interval: 600, jitter: 0, consecutiveFailures: 10_000, retryAfter: nil, random: 0), 21600)
    }

    func testALongerRetryAfterFromTheServerWins() {
        XCTAssertEqual(Backoff.delay(interval: 60, jitter: 0, consecutiveFailures: 1, retryAfter: 3600, random: 0), 3600)
        XCTAssertEqual(Backoff.delay(interval: 60, jitter: 0, consecutiveFailures: 1, retryAfter: 5, random: 0), 120)
    }

    func testTheNetworkIsDownOnlyWhenEveryRecentHostFailsAtTheNetworkLevel() {
        let health = NetworkHealth(window: 60)
        let now = Date()
        health.record(host: "a.example", networkFailure: true, at: now)
        XCTAssertTrue(health.isOutage(now: now), "one host, failing: cannot tell, treated as an outage")
        health.record(host: "b.example", networkFailure: false, at: now)
        XCTAssertFalse(health.isOutage(now: now), "another host answers: the failing one is to blame")
        health.record(host: "b.example", networkFailure: true, at: now)
        XCTAssertTrue(health.isOutage(now: now))
        XCTAssertFalse(health.isOutage(now: now.addingTimeInterval(120)), "old attempts do not count")
    }

    func testASeenURLIsFetchedAgainOnlyWhenTheListingShowsANewerTimestamp() {
        let stored = LinkState.stored(StoredArticle(id: 1, url: "u", publishedAt: "2025-03-14T07:05:00Z",
                                                    modifiedAt: "2025-03-14T07:07:50Z", listingTimestamp: nil,
                                                    contentHash: "h", revision: 1))
        let now = "2025-03-16T00:00:00Z"
        XCTAssertEqual(LinkTriage.decide(.new, timestamp: nil, now: now), .fetchNew)
        XCTAssertEqual(LinkTriage.decide(stored, timestamp: nil, now: now), .unchanged)
        XCTAssertEqual(LinkTriage.decide(stored, timestamp: "2025-03-14T07:05:00Z", now: now), .unchanged)
        XCTAssertEqual(LinkTriage.decide(stored, timestamp: "2025-03-15T16:40:00Z", now: now), .refetch)
    }

    func testFailedURLsAreRetriedWhenDueAndPermanentFailuresOnlyForANewerTimestamp() {
        func failure(permanent: Bool, retryAfter: String?, listing: String?) -> LinkState {
            .failed(FetchFailure(url: "u", error: "e", permanent: permanent, attempts: 1, listingTimestamp: listing,
                                 retryAfter: retryAfter))
        }
        let now = "2025-03-16T00:00:00Z"
        XCTAssertEqual(LinkTriage.decide(failure(permanent: false, retryAfter: "2025-03-15T00:00:00Z", listing: nil),
                                         timestamp: nil, now: now), .fetchNew)
        if case .skip = LinkTriage.decide(failure(permanent: false, retryAfter: "2025-03-17T00:00:00Z", listing: nil),
                                          timestamp: nil, now: now) {} else { XCTFail("not yet due") }
        if case .skip = LinkTriage.decide(failure(permanent: true, retryAfter: nil, listing: "2025-03-01T00:00:00Z"),
                                          timestamp: "2025-03-01T00:00:00Z", now: now) {} else { XCTFail("permanent") }
        XCTAssertEqual(LinkTriage.decide(failure(permanent: true, retryAfter: nil, listing: "2025-03-01T00:00:00Z"),
                                         timestamp: "2025-03-02T00:00:00Z", now: now), .fetchNew)
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

import Foundation
