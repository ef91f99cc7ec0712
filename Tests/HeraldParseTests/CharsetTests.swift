import XCTest

@testable import HeraldParse

/// Encoding sniffing order (BOM, HTTP header, meta anywhere in the head, UTF-8) and WHATWG decoding.
final class CharsetTests: XCTestCase {
    private func decode(_ bytes: [UInt8], _ contentType: String? = nil) -> (text: String, encoding: String) {
        let decoded = Charset.decode(bytes, contentType: contentType)
        return (String(decoding: decoded.utf8, as: UTF8.self), decoded.encoding)
    }

    private let gbkZhongWen: [UInt8] = [0xD6, 0xD0, 0xCE, 0xC4]  // 中文
    private let big5ZhongWen: [UInt8] = [0xA4, 0xA4, 0xA4, 0xE5]  // 中文

    func testUTF8ByteOrderMarkWinsOverHeaderAndMetaAndIsRemoved() {
        let page = [0xEF, 0xBB, 0xBF] + Array("<meta charset=\"gbk\">中文".utf8)
        let result = decode(page, "text/html; charset=gbk")
        XCTAssertEqual(result.encoding, "utf-8")
        XCTAssertEqual(result.text, "<meta charset=\"gbk\">中文")
    }

    func testUTF16ByteOrderMarks() {
        XCTAssertEqual(decode([0xFF, 0xFE, 0x2D, 0x4E, 0x87, 0x65]).text, "中文")
        XCTAssertEqual(decode([0xFE, 0xFF, 0x4E, 0x2D, 0x65, 0x87]).text, "中文")
    }

    func testHTTPHeaderCharsetIsUsedAndQuotedOrCasedLabelsWork() {
        XCTAssertEqual(decode(gbkZhongWen, "text/html; charset=gbk").text, "中文")
        XCTAssertEqual(decode(gbkZhongWen, "text/html;Charset=\"GB2312\"").text, "中文")
        XCTAssertEqual(decode(gbkZhongWen, "text/html; charset=gbk").encoding, "gbk")
    }

    func testHTTPHeaderBeatsMeta() {
        let page = Array("<meta charset=\"big5\">".utf8) + gbkZhongWen
        XCTAssertEqual(decode(page, "text/html; charset=GBK").text, "<meta charset=\"big5\">中文")
    }

    func testMetaCharsetLateInTheHeadIsFound() {
        let style = "<style>" + String(repeating: "a{b:c}", count: 2000) + "</style>"
        let script = "<script>var s = '<meta charset=\"koi8-r\">';</script>"
        let page =
            Array(
                "<!doctype html><html><head><title>x</title>\(style)\(script)<!-- <meta charset=\"x\"> -->"
                    .utf8) + Array("<meta charset=\"gbk\"></head><body>".utf8) + gbkZhongWen
        let result = decode(page)
        XCTAssertEqual(result.encoding, "gbk")
        XCTAssertTrue(result.text.hasSuffix("中文"))
    }

    func testHTTPEquivContentTypeIsFound() {
        let page =
            Array("<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\"></head>".utf8)
            + big5ZhongWen
        let result = decode(page)
        XCTAssertEqual(result.encoding, "big5")
        XCTAssertTrue(result.text.hasSuffix("中文"))
    }

    func testMetaInsideTheBodyIsIgnored() {
        let page = Array("<html><body><p>x</p><meta charset=\"gbk\">é".utf8)
        XCTAssertEqual(decode(page).encoding, "utf-8")
    }

    func testLatin1LabelMeansWindows1252() {
        let page = Array("<meta charset=\"iso-8859-1\">".utf8) + [0x92, 0x9C, 0xE9, 0x80, 0x81]
        let result = decode(page)
        XCTAssertEqual(result.encoding, "windows-1252")
        XCTAssertTrue(result.text.hasSuffix("\u{2019}\u{0153}é€\u{0081}"))
    }

    func testInvalidUTF8BecomesOneReplacementPerMaximalSubsequence() {
        // FF | E4 B8 (truncated) | 80 | ED A0 80 (surrogate: three maximal subsequences) → 6 U+FFFD, as in the fixture.
        let bytes =
            Array("a".utf8) + [0xFF] + Array("b".utf8) + [0xE4, 0xB8] + Array("c".utf8) + [0x80]
            + Array("d".utf8) + [0xED, 0xA0, 0x80] + Array("中".utf8)
        let result = decode(bytes)
        XCTAssertEqual(result.text, "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}\u{FFFD}\u{FFFD}中")
    }

    func testValidUTF8IsPassedThroughUnchanged() {
        let text = "ASCII, 中文, emoji 👨‍👩‍👧, 𠮷, \u{00A0}"
        XCTAssertEqual(decode(Array(text.utf8)).text, text)
        for invalid: [UInt8] in [[0xC0, 0x80], [0xE0, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5], [0xC2]] {
            invalid.withUnsafeBufferPointer { XCTAssertFalse(UTF8Validation.isValid($0), "\(invalid)") }
        }
    }

    func testInvalidLegacyBytesAreReplacedNotFatal() {
        let result = decode(gbkZhongWen + [0xFF] + Array("ok".utf8) + [0xD6], "text/html; charset=gbk")
        XCTAssertEqual(result.text, "中文\u{FFFD}ok\u{FFFD}")
    }

    func testUnknownLabelsFallBackToUTF8() {
        XCTAssertEqual(decode(Array("é".utf8), "text/html; charset=x-no-such-thing").encoding, "utf-8")
        XCTAssertEqual(decode(Array("<meta charset=\"bogus\">é".utf8)).text, "<meta charset=\"bogus\">é")
    }

    func testOtherIconvEncodingsWork() {
        XCTAssertEqual(decode([0x93, 0xFA, 0x96, 0x7B], "text/html; charset=shift_jis").text, "日本")
        XCTAssertEqual(decode([0xC1, 0xC2], "text/html; charset=koi8-r").text, "аб")
    }
}
