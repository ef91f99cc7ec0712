import CLibXML2
import XCTest

@testable import HeraldParse

/// The generic profile's stripper decodes character references itself to move text and attribute values out of
/// libxml2's way (`CharacterReferences`): whatever it decodes must be what libxml2 2.9 makes of the same bytes.
final class CharacterReferencesTests: XCTestCase {
    private static let cases = [
        "a &amp; b", "&lt;tag&gt; &quot;q&quot; &apos;s&apos;", "no&nbsp;break", "&#8217;&#x2019;&#X2019;&#39;",
        "&#x4e2d;&#25991;", "&#128512; emoji", "&eacute;t&eacute; &Eacute;", "&hellip;&mdash;&ndash;&copy;",
        "Tom & Jerry", "trailing &", "x &= y", "&#x20;&#32;", "https://e.com/?a=1&amp;b=2",
        // Written as they are: unknown names, names without `;`, names beyond ASCII.
        "https://e.com/?a=1&b=2&utm_source=x", "&amp", "&foo;", "&ampx;", "&中文", "&amp中;", "&a.b-c:d_e;",
        // Numbers without `;`.
        "&#39 s", "&#x41B", "&#65;&#66",
        // Left to libxml2: what it reads otherwise or with an error.
        "&#;", "&#0;", "&#xD800;", "&#12", "&#1114112;", "&#9;", "&#x;", "&#xyz", "&#123456789;",
    ]
    private static let leftToLibxml2 = 9

    /// libxml2's text and `title` value for `<p title="value">value</p>` (`MarkupDocument.html` builds libxml2's tree
    /// of the bytes it is given, `HTMLTreeTests`).
    private static func libxml2(_ value: String) -> (text: String, attribute: String)? {
        let document = MarkupDocument.html(utf8: Array("<p title=\"\(value)\">\(value)</p>".utf8))
        guard let p = document?.root?.first(where: { $0.tag == .p }) else { return nil }
        return (p.text, p.attribute("title") ?? "")
    }

    private static func decoded(_ value: String) -> String? {
        var out: [UInt8] = []
        let ok = Array(value.utf8).withUnsafeBufferPointer { CharacterReferences.decode($0, appendingTo: &out) }
        return ok ? String(decoding: out, as: UTF8.self) : nil
    }

    func testWhatItDecodesIsWhatLibxml2Reads() throws {
        var decodedCount = 0
        for value in Self.cases {
            let canDecode = Array(value.utf8).withUnsafeBufferPointer(CharacterReferences.canDecode)
            guard let ours = Self.decoded(value) else {
                XCTAssertFalse(canDecode, "canDecode agrees with decode on \(value.debugDescription)")
                continue
            }
            XCTAssertTrue(canDecode, "canDecode agrees with decode on \(value.debugDescription)")
            decodedCount += 1
            let theirs = try XCTUnwrap(Self.libxml2(value), "libxml2 parses \(value.debugDescription)")
            XCTAssertEqual(ours, theirs.text, "text \(value.debugDescription)")
            XCTAssertEqual(ours, theirs.attribute, "attribute value \(value.debugDescription)")
        }
        XCTAssertEqual(
            decodedCount, Self.cases.count - Self.leftToLibxml2, "the cases before the ones left to libxml2 are decoded"
        )
    }

    func testTheCommonestNamesAreLibxml2s() {
        for name in ["amp", "lt", "gt", "quot", "apos", "nbsp"] {
            let ours = Array(name.utf8).withUnsafeBufferPointer(CharacterReferences.entity)
            XCTAssertEqual(ours, htmlEntityLookup(name)?.pointee.value, name)
        }
    }

    /// A tag the stripper copies whole that holds an attribute libxml2 would read as the marker `_h` (names are
    /// lowercased): nothing moves, and what the page says is still read.
    func testAPagesOwnMarkerNameTurnsMovingOff() throws {
        let page =
            "<html><body><div class=\"story\" _H x='1'y><p class=\"lead\">" + String(repeating: "Words. ", count: 40)
            + "</p></div></body></html>"
        let (_, table) = ContentStripper.stripMovingValues(Array(page.utf8))
        XCTAssertNil(table)
        let loaded = try XCTUnwrap(HTMLPage.load(body: Array(page.utf8), contentType: nil, readAttributesOnly: true))
        let lead = loaded.document.root?.first(where: { $0.tag == .p })
        XCTAssertEqual(lead?.attribute("class"), "lead")
    }
}
