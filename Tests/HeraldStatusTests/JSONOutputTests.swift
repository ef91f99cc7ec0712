import Foundation
import HeraldStatus
import XCTest

final class JSONOutputTests: XCTestCase {
    func testStringsEscapeQuotesBackslashesControlsAndLineSeparatorsOnly() {
        let text = "引号\"反斜杠\\换行\n回车\r制表\t响铃\u{07}\u{1F}行\u{2028}段\u{2029}/ é 😀 \u{A0}\u{3000}"
        XCTAssertEqual(
            JSONOutput.string(text).rendered(),
            #""引号\"反斜杠\\换行\n回车\r制表\t响铃\u0007\u001f行\u2028段\u2029/ é 😀 \#u{A0}\#u{3000}""#)
    }

    func testEscapedOutputParsesBackToTheSameText() throws {
        let text = "a\"b\\c\nd\u{0}e\u{2028}f 中文 \u{E2}\u{80}"
        let json = JSONOutput.array([.string(text), .string(""), .string("\"")]).rendered()
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
        XCTAssertEqual(parsed, [text, "", "\""])
    }

    func testObjectsKeepKeyOrderAndPrettyPrintIndentsByTwo() {
        let value = JSONOutput.object([("b", .int(1)), ("a", .array([.bool(true), .null]))])
        XCTAssertEqual(value.rendered(), #"{"b":1,"a":[true,null]}"#)
        XCTAssertEqual(value.rendered(pretty: true), "{\n  \"b\": 1,\n  \"a\": [\n    true,\n    null\n  ]\n}")
    }
}
