import Foundation
import XCTest

@testable import HeraldTime

/// The one stored form of a time: written and read back by `Instant` alone, compared as values.
final class InstantTests: XCTestCase {
    func testTheStoredFormRoundTripsAcrossTheCalendar() throws {
        for text in [
            "2023-10-28T09:52:00Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2000-02-29T12:00:00Z",
            "2100-03-01T00:00:00Z", "1900-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
        ] {
            let instant = try XCTUnwrap(Instant(text: text), text)
            XCTAssertEqual(instant.text, text)
            XCTAssertEqual(Instant(instant.date), instant, text)
        }
        XCTAssertEqual(Instant(text: "1970-01-02T00:00:01Z")?.secondsSince1970, 86_401)
        XCTAssertEqual(Instant(Date(timeIntervalSince1970: -0.5)).text, "1969-12-31T23:59:59Z", "rounded down")
    }

    func testOnlyTheExactStoredFormIsRead() {
        for text in [
            "2023-10-28 09:52:00Z", "2023-10-28T09:52:00", "2023-10-28T09:52:00+00:00", "2023-10-28T09:52Z",
            "2023-02-29T00:00:00Z", "2023-13-01T00:00:00Z", "2023-10-28T24:00:00Z", "2023-10-28T09:60:00Z",
            "2023-1O-28T09:52:00Z", "", "２０２３-10-28T09:52:00Z",
        ] {
            XCTAssertNil(Instant(text: text), text)
        }
    }

    func testValuesCompareAsTimesAndAddSeconds() throws {
        let early = try XCTUnwrap(Instant(text: "2025-03-14T07:05:00Z"))
        let late = try XCTUnwrap(Instant(text: "2025-03-15T16:40:00Z"))
        XCTAssertLessThan(early, late)
        XCTAssertEqual([late, early].max(), late)
        XCTAssertEqual(early.adding(seconds: 300.9).text, "2025-03-14T07:10:00Z")
        XCTAssertEqual(early.adding(seconds: -86_400).text, "2025-03-13T07:05:00Z")
    }

    func testCalendarFieldsCarryOverLikeTimegm() {
        XCTAssertEqual(
            Instant.utc(year: 2024, month: 3, day: 1, hour: 10, minute: 0, second: 0).text,
            "2024-03-01T10:00:00Z")
        XCTAssertEqual(
            Instant.utc(year: 2024, month: 13, day: 1, hour: 0, minute: 0, second: 0).text,
            "2025-01-01T00:00:00Z")
        XCTAssertEqual(
            Instant.utc(year: 2024, month: 2, day: 30, hour: 0, minute: 0, second: 0).text,
            "2024-03-01T00:00:00Z")
        XCTAssertEqual(
            Instant.utc(year: 2024, month: 0, day: 1, hour: 0, minute: 0, second: 0).text,
            "2023-12-01T00:00:00Z")
    }
}
