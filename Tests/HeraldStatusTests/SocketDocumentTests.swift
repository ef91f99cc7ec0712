import XCTest

@testable import HeraldStatus

/// Every JSON the daemon and the CLI exchange is one type: what the daemon renders, the CLI decodes to the same value.
final class SocketDocumentTests: XCTestCase {
    private let run = StatusDocument.Run(
        source: "rfi-cn", startedAt: "2026-12-02T05:00:00Z", finishedAt: "2026-12-02T05:00:04Z", outcome: "partial",
        summary: "3 new, 1 failed", pages: 2, linksFound: 40, new: 3, updated: 0, unchanged: 36, skipped: 0,
        failed: 1, listingUnchanged: false, skippedByReason: ["deferred": 0, "robots": 0, "in_flight": 0],
        errors: ["https://www.rfi.fr/cn/x: HTTP 503 \"busy\"\nretry later"])

    private var document: StatusDocument {
        StatusDocument(
            version: "1.0.0", pid: 4242, startedAt: "2026-12-02T04:00:00Z", uptimeSeconds: 3600,
            config: "/etc/herald/config.json", database: "/var/lib/herald/herald.db", articleCount: nil, queueDepth: 1,
            lastReload: StatusDocument.Reload(
                at: "2026-12-02T04:30:00Z", trigger: "SIGHUP", outcome: "failed",
                errors: ["sources[0].interval: \"0s\" is not a duration"]),
            sources: [
                StatusDocument.Source(
                    name: "rfi-cn", listing: "https://www.rfi.fr/cn/", state: "backoff",
                    intervalSeconds: 600, keepDays: 90, nextRunAt: "2026-12-02T05:10:00Z",
                    consecutiveFailures: 2, lastError: "HTTP 503", lastSuccessAt: nil,
                    lastAttemptAt: "2026-12-02T05:00:00Z", health: "failing", lastRun: run),
                StatusDocument.Source(
                    name: "新闻", listing: "https://example.com/", state: "idle", intervalSeconds: 60,
                    keepDays: nil, nextRunAt: nil, consecutiveFailures: 0, lastError: nil,
                    lastSuccessAt: nil, lastAttemptAt: nil, health: "ok", lastRun: nil),
            ])
    }

    func testTheStatusDocumentRoundTripsCompactAndPretty() throws {
        XCTAssertEqual(try StatusDocument.decode(document.json.rendered()), document)
        XCTAssertEqual(try StatusDocument.decode(document.json.rendered(pretty: true)), document)
        XCTAssertEqual(StatusDocument.Run.decodeAnswer(run.json.rendered()), run, "each line of herald crawl --json")
    }

    func testAnAbsentOptionalIsWrittenAsNullNotLeftOut() {
        let text = document.json.rendered()
        for key in ["\"article_count\":null", "\"keep_days\":null", "\"last_run\":null", "\"last_success_at\":null"] {
            XCTAssertTrue(text.contains(key), "\(key) in \(text)")
        }
    }

    func testHealthErrorTriggerAndReloadAnswersRoundTrip() throws {
        let health = HealthDocument(sources: 2, problems: ["rfi-cn: 3 failed passes in a row (HTTP 503)"])
        XCTAssertEqual(try HealthDocument.decode(health.json.rendered()), health)
        XCTAssertFalse(health.healthy)
        let error = ErrorAnswer("no source named \"nosuch\"")
        XCTAssertEqual(ErrorAnswer.decodeAnswer(error.json.rendered()), error)
        let trigger = TriggerAnswer(source: "rfi-cn")
        XCTAssertEqual(TriggerAnswer.decodeAnswer(trigger.json.rendered()), trigger)
        let reload = try XCTUnwrap(document.lastReload)
        XCTAssertEqual(StatusDocument.Reload.decodeAnswer(reload.json.rendered()), reload)
    }

    func testAnAnswerOfAnotherShapeIsNotMistakenForOne() {
        XCTAssertNil(ErrorAnswer.decodeAnswer(#"{"source": "x", "started": true}"#))
        XCTAssertNil(TriggerAnswer.decodeAnswer(#"{"error": "boom"}"#))
        XCTAssertNil(ErrorAnswer.decodeAnswer("Bad Gateway"))
    }
}
