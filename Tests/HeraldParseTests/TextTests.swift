import Foundation
import XCTest

@testable import HeraldParse

/// Rule N, SHA-256, dates, HTML escaping.
final class TextTests: XCTestCase {
    func testNormalizeCollapsesOnlyASCIIWhitespace() {
        let table: [(String, String)] = [
            ("  a \t\n b\r\n\u{0C}c  ", "a b c"),
            ("lead        ", "lead"),
            ("a\u{00A0}b\u{00A0}", "a\u{00A0}b\u{00A0}"),  // U+00A0 is content
            ("\u{3000}全角\u{3000}", "\u{3000}全角\u{3000}"),  // so is U+3000
            ("", ""), ("   ", ""), ("already normal", "already normal"), ("x\u{0B}y", "x\u{0B}y"),
        ]
        for (input, expected) in table {
            XCTAssertEqual(Normalize.whitespace(input), expected, input.debugDescription)
        }
    }

    func testSHA256KnownAnswers() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(
            SHA256.hex(Array(repeating: 0x61, count: 1000)),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        XCTAssertEqual(SHA256.hex("中文"), SHA256.hex(Array("中文".utf8)))
    }

    func testISO8601Table() {
        let table: [(String, String?)] = [
            ("2023-10-28T09:52:00+00:00", "2023-10-28T09:52:00Z"),
            ("2023-10-28T09:52:00Z", "2023-10-28T09:52:00Z"),
            ("2025-11-30T04:56:39+01:00", "2025-11-30T03:56:39Z"),
            ("2023-10-28T17:52:00+0800", "2023-10-28T09:52:00Z"),
            ("2023-10-28T04:52:00-05", "2023-10-28T09:52:00Z"),
            ("2023-10-28T09:52:00.999Z", "2023-10-28T09:52:00Z"),
            ("2023-10-28 09:52:00", "2023-10-28T09:52:00Z"),
            ("2023-10-28T09:52", "2023-10-28T09:52:00Z"),
            ("2023-10-28", "2023-10-28T00:00:00Z"),
            ("20231028T095200Z", "2023-10-28T09:52:00Z"),
            ("2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z"),
            ("2024-12-31T23:30:00Z", "2024-12-31T23:30:00Z"),
            ("2023-13-01T00:00:00Z", nil), ("2023-02-29T00:00:00Z", nil), ("2023-10-28T25:00:00Z", nil),
            ("2023-10-28T09:52:00+25:00", nil), ("yesterday", nil), ("", nil), ("2023-10-28T09:52:00Zjunk", nil),
        ]
        for (input, expected) in table {
            XCTAssertEqual(Timestamp.parseISO8601(input)?.text, expected, input)
        }
        // Publishers' fractions are dropped: instants are whole seconds.
        XCTAssertEqual(Timestamp.parseISO8601("2023-10-28T09:52:00.25Z")?.secondsSince1970, 1_698_486_720)
    }

    func testRFC822Table() {
        let table: [(String, String?)] = [
            ("Sat, 28 Oct 2023 09:52:00 GMT", "2023-10-28T09:52:00Z"),
            ("Sat, 28 Oct 2023 17:52:00 +0800", "2023-10-28T09:52:00Z"),
            ("Sun, 30 Nov 2025 11:56:39 +0800", "2025-11-30T03:56:39Z"),
            ("28 Oct 2023 05:52:00 EDT", "2023-10-28T09:52:00Z"),
            ("Sat, 28 Oct 23 09:52 GMT", "2023-10-28T09:52:00Z"),
            ("Sat, 28 Oct 2023 09:52:00 UT", "2023-10-28T09:52:00Z"),
            ("Sat,  28 Oct 2023 10:52:00 +01:00", "2023-10-28T09:52:00Z"),
            ("Sat, 28 Oct 2023 09:52:00", "2023-10-28T09:52:00Z"),
            ("Sat, 31 Feb 2023 09:52:00 GMT", nil), ("Sat, 28 Foo 2023 09:52:00 GMT", nil),
            ("Sat, 28 Oct 2023 09:52:00 XYZ", nil), ("", nil),
        ]
        for (input, expected) in table {
            XCTAssertEqual(Timestamp.parseRFC822(input)?.text, expected, input)
        }
        XCTAssertEqual(Timestamp.parse("Sat, 28 Oct 2023 09:52:00 GMT"), Timestamp.parse("2023-10-28T11:52:00+02:00"))
    }

    func testFractionsAreDroppedTowardsThePast() {
        XCTAssertEqual(Timestamp.parse("2023-10-28T09:52:00.9Z")?.text, "2023-10-28T09:52:00Z")
        XCTAssertEqual(Timestamp.parse("1969-12-31T23:59:59.5Z")?.text, "1969-12-31T23:59:59Z")
        XCTAssertEqual(Timestamp.parse("2000-02-29")?.text, "2000-02-29T00:00:00Z")
    }

    func testHTMLEscapingFollowsFragmentSerialisation() {
        XCTAssertEqual(HTMLEscape.text("R&D <AI> \"q\" 'a'\u{00A0}€"), "R&amp;D &lt;AI&gt; \"q\" 'a'&nbsp;€")
        var out = [UInt8]()
        HTMLEscape.appendAttribute("a?b=1&c=\"2\"<>\u{00A0}", to: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "a?b=1&amp;c=&quot;2&quot;<>&nbsp;")
    }

    func testTruncationCheck() {
        XCTAssertFalse(Truncation.looksTruncatedHTML(Array("<html><body><p>x</p></body></html>\n".utf8)))
        XCTAssertFalse(Truncation.looksTruncatedHTML(Array("<html><body><p>x</p></body></html><!-- c -->".utf8)))
        XCTAssertTrue(Truncation.looksTruncatedHTML(Array("<html><body><p>x</p><a href=\"/cn/%E4%".utf8)))
        XCTAssertTrue(Truncation.looksTruncatedHTML(Array("<html><body><p>x</p>".utf8)), "no closing tags")
        XCTAssertTrue(Truncation.looksTruncatedHTML([]))
    }
}
