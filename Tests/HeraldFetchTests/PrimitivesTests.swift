import Foundation
import XCTest

@testable import HeraldFetch

/// Small pure pieces: address classification, Retry-After, origins.
final class PrimitivesTests: XCTestCase {
    func testPrivateIPv4Ranges() {
        let blocked: [[UInt8]] = [
            [127, 0, 0, 1], [10, 1, 2, 3], [172, 16, 0, 1], [172, 31, 255, 255],
            [192, 168, 1, 1], [169, 254, 169, 254], [100, 64, 0, 1], [100, 127, 0, 1],
            [0, 0, 0, 0], [224, 0, 0, 1], [255, 255, 255, 255],
        ]
        let allowed: [[UInt8]] = [
            [8, 8, 8, 8], [172, 32, 0, 1], [172, 15, 0, 1], [100, 128, 0, 1],
            [193, 51, 0, 1], [11, 0, 0, 1],
        ]
        for address in blocked { XCTAssertTrue(AddressPolicy.isPrivate(ipv4: address), "\(address)") }
        for address in allowed { XCTAssertFalse(AddressPolicy.isPrivate(ipv4: address), "\(address)") }
    }

    func testPrivateIPv6Ranges() {
        func v6(_ prefix: [UInt8], _ suffix: [UInt8] = []) -> [UInt8] {
            prefix + [UInt8](repeating: 0, count: 16 - prefix.count - suffix.count) + suffix
        }
        XCTAssertTrue(AddressPolicy.isPrivate(ipv6: v6([], [1])))  // ::1
        XCTAssertTrue(AddressPolicy.isPrivate(ipv6: v6([])))  // ::
        XCTAssertTrue(AddressPolicy.isPrivate(ipv6: v6([0xFC, 0])))  // fc00::/7
        XCTAssertTrue(AddressPolicy.isPrivate(ipv6: v6([0xFD, 0x12])))
        XCTAssertTrue(AddressPolicy.isPrivate(ipv6: v6([0xFE, 0x80])))  // fe80::/10
        XCTAssertTrue(AddressPolicy.isPrivate(ipv6: v6([], [0xFF, 0xFF, 127, 0, 0, 1])))  // ::ffff:127.0.0.1
        XCTAssertTrue(AddressPolicy.isPrivate(ipv6: v6([], [0xFF, 0xFF, 10, 0, 0, 1])))
        XCTAssertFalse(AddressPolicy.isPrivate(ipv6: v6([], [0xFF, 0xFF, 8, 8, 8, 8])))
        XCTAssertFalse(AddressPolicy.isPrivate(ipv6: v6([0x20, 0x01, 0x0D, 0xB8], [1])))  // global unicast
    }

    func testRetryAfterForms() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        XCTAssertEqual(RetryAfter.seconds(from: "120", now: now), 120)
        XCTAssertEqual(RetryAfter.seconds(from: " 0 ", now: now), 0)
        XCTAssertEqual(RetryAfter.seconds(from: "Sun, 06 Nov 1994 08:50:37 GMT", now: now), 60)
        XCTAssertEqual(RetryAfter.seconds(from: "Sunday, 06-Nov-94 08:51:37 GMT", now: now), 120)
        XCTAssertEqual(RetryAfter.seconds(from: "Sun Nov  6 08:49:47 1994", now: now), 10)
        XCTAssertEqual(RetryAfter.seconds(from: "Sun, 06 Nov 1994 08:00:00 GMT", now: now), 0, "past dates: now")
        XCTAssertNil(RetryAfter.seconds(from: "soon", now: now))
        XCTAssertNil(RetryAfter.seconds(from: "-5", now: now))
    }

    func testOriginNormalisesSchemeHostAndDefaultPort() {
        XCTAssertEqual(Origin(url: "HTTP://WWW.RFI.FR/cn/")?.description, "http://www.rfi.fr:80")
        XCTAssertEqual(Origin(url: "https://www.rfi.fr:443/x")?.description, "https://www.rfi.fr:443")
        XCTAssertEqual(Origin(url: "http://127.0.0.1:8080/a?b")?.robotsURL, "http://127.0.0.1:8080/robots.txt")
        XCTAssertEqual(Origin(url: "https://www.rfi.fr/cn/")?.robotsURL, "https://www.rfi.fr/robots.txt")
        XCTAssertNil(Origin(url: "/relative/path"))
    }
}
