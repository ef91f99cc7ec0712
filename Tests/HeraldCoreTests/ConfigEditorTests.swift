import Foundation
import XCTest

@testable import HeraldConfiguration
@testable import HeraldCore

/// Sources added to a config as text: everything else stays as written, and the result loads.
final class ConfigEditorTests: XCTestCase {
    private let block = """
            {
              "name": "new",
              "listing": "https://example.com/"
            }
        """

    private func names(_ text: String) throws -> [String] {
        try ConfigLoader.load(bytes: Array(text.utf8), file: "test.json", forReading: true).sources.map(\.name)
    }

    func testAppendsAfterTheLastSourceAddingTheCommaItNeeds() throws {
        let text = """
            {
              "sources": [
                {"name": "a", "listing": "https://a.example/"} // a's comment
              ]
            }
            """
        let edited = try ConfigEditor.appendSources([block], to: text)
        XCTAssertEqual(try names(edited), ["a", "new"])
        XCTAssertTrue(edited.contains(#"{"name": "a", "listing": "https://a.example/"}, // a's comment"#), edited)
    }

    func testKeepsATrailingCommaCommentsWithBracketsAndStringsWithBrackets() throws {
        let text = """
            {
              /* "sources": [ is not here ] */
              "profiles": {"x": {"title": "//h1[@class='a]']"}},
              "sources": [
                {"name": "a", "listing": "https://a.example/?q=]"},
                /* the end ] */
              ],
            }
            """
        let edited = try ConfigEditor.appendSources(
            [block, block.replacingOccurrences(of: "new", with: "newer")],
            to: text)
        XCTAssertEqual(try names(edited), ["a", "new", "newer"])
        XCTAssertTrue(edited.contains("/* the end ] */"), edited)
        XCTAssertTrue(edited.hasPrefix("{\n  /* \"sources\": [ is not here ] */"), edited)
    }

    func testAnEmptyArrayAndANewFileLoad() throws {
        let edited = try ConfigEditor.appendSources([block], to: #"{"sources": []}"#)
        XCTAssertEqual(try names(edited), ["new"])
        XCTAssertEqual(try names(ConfigEditor.newConfig(with: [block])), ["new"])
        XCTAssertThrowsError(try ConfigEditor.appendSources([block], to: #"{"database": "x.db"}"#))
    }
}
