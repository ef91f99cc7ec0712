import CLibXML2
import Foundation
import HeraldTestSupport
import XCTest

@testable import HeraldParse

/// `MarkupDocument.html` builds its tree with Herald's own SAX callbacks in one arena (CHTMLTree): the tree must be
/// exactly the one libxml2's `htmlReadMemory` builds from the same bytes. Both are serialised by libxml2 and compared.
final class HTMLTreeTests: XCTestCase {
    private static let options = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue | HTML_PARSE_COMPACT.rawValue)

    /// libxml2's serialisation of a document, or nil for no document.
    private static func dump(_ document: xmlDocPtr?) -> String? {
        guard let document else { return nil }
        var memory: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        htmlDocDumpMemoryFormat(document, &memory, &size, 0)
        defer { herald_xml_free(memory) }
        guard let memory else { return "" }
        return String(decoding: UnsafeBufferPointer(start: memory, count: Int(size)), as: UTF8.self)
    }

    /// libxml2's tree and Herald's, serialised. (`MarkupDocument.html` drops NUL bytes first, as browsers do, where
    /// libxml2 stops reading; the reference is given the bytes without them too.)
    private static func trees(_ bytes: [UInt8]) -> (libxml2: String?, herald: String?) {
        LibXML.prepareThread()
        let reference: xmlDocPtr? = bytes.filter { $0 != 0 }.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                htmlReadMemory($0.baseAddress, Int32($0.count), nil, "UTF-8", options)
            }
        }
        defer { if let reference { xmlFreeDoc(reference) } }
        let herald = bytes.isEmpty ? nil : MarkupDocument.html(utf8: bytes)
        return (dump(reference), herald.flatMap { dump($0.pointer) })
    }

    private func assertSameTree(_ html: String, file: StaticString = #filePath, line: UInt = #line) {
        let (libxml2, herald) = Self.trees(Array(html.utf8))
        XCTAssertNotNil(libxml2, "libxml2 builds a tree for \(html.debugDescription)", file: file, line: line)
        XCTAssertEqual(herald, libxml2, "tree of \(html.debugDescription)", file: file, line: line)
    }

    func testTrickyMarkupBuildsLibxml2sTree() {
        let cases = [
            "<p>a &amp; b &lt; c &#x4e2d;&#25991;</p>",  // text in several characters() calls, merged
            "<!DOCTYPE html><html><head><title>t</title></head><body><p>x</body></html>",
            "<html><body>a</body></html><p>after the end</p><!-- c --><?php echo 1 ?>",
            "text before any tag<div>x</div>",
            "<div><p>one<p>two<li>three</div><table><tr><td>a<td>b</table>",
            "<select><option selected>one<option value=2 disabled>two</select><input checked>",
            "<o:p>office</o:p><fb:like href=x></fb:like><a:b:c>d</a:b:c><:x>y</:x><x:>z</x:>",
            "<p id=a name=n>1</p><a name=top id=a>2</a><p xml:id=q>3</p>",
            "<script type=\"application/ld+json\">{\"a\": \"<b>\"}</script><script>var a = 1 < 2;</script>",
            "<style>p { color: red }</style><textarea>&lt;b&gt; raw</textarea><pre>\n  keep\n</pre>",
            "<body><body class=second><p>merged attributes</p></body>",
            "<p>unclosed <b>bold <i>both</p> after",
            "<table>stray text<tr>in row</tr></table>",
            "<!DOCTYPE html><!DOCTYPE html><p>two doctypes</p>",
            "<frameset><frame src=a></frameset>",
            "<p>" + String(repeating: "long text ", count: 300) + "</p>",  // grows past libxml2's 1,000-byte chunks
            String(repeating: "<div>", count: 300) + "deep" + String(repeating: "</div>", count: 300),
            "<p>\u{0}nul</p>", "<", "</p>", "<!---->", "<?x?>", "&", "<p a='1' a='2' b>",
        ]
        for html in cases { assertSameTree(html) }
    }

    /// The generic profile's pages reach libxml2 with their attribute values and runs of text moved out
    /// (`ContentStripper.stripMovingValues`); the tree builder puts the text back. Against libxml2's tree of the
    /// same page with nothing but the values moved.
    private static func movedTextTrees(_ page: [UInt8]) -> (libxml2: String?, herald: String?) {
        LibXML.prepareThread()
        let (withText, _) = ContentStripper.stripMovingValues(page, movesText: false)
        let (moved, table) = ContentStripper.stripMovingValues(page)
        // NUL bytes dropped, as `MarkupDocument.html` drops them (libxml2 would stop reading at the first one).
        let reference: xmlDocPtr? = withText.filter { $0 != 0 }.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                htmlReadMemory($0.baseAddress, Int32($0.count), nil, "UTF-8", options)
            }
        }
        defer { if let reference { xmlFreeDoc(reference) } }
        let herald = MarkupDocument.html(utf8: moved, attributes: table, readAttributesOnly: true)
        return (dump(reference), herald.flatMap { dump($0.pointer) })
    }

    func testMovedTextComesBackWhereLibxml2ReportsItsMarker() {
        let long = String(repeating: "plain words ", count: 90)  // 1,080 bytes: past libxml2's 1,000-byte buffer
        let cases = [
            "<p class=a>A paragraph long enough to be moved out.</p><p>short</p>",
            // A moved run right after text libxml2 reports in pieces (a reference, a comment the stripper removes):
            // its marker is cut by the end of libxml2's buffer and completed by the next call.
            "<p>x &amp; " + long + "<!-- gone --> and a second run of text, moved.</p>",

            "<div>" + long + "<script>var s;</script>" + long + "</div>",
            "<title>A title long enough to be moved</title><p>text \u{E000} private use</p>",
            "<ul><li>first item of the list<li>second item of the list</ul>tail text after the last tag",
            // Spaces between tags inside the body become the space marker; in the head, after `</body>`, and after a
            // `</body>` libxml2 reads inside `<pre>` they stay spaces (a marker there would open a <p>).
            "<html><head> <title>t</title>  </head> <body> <div> <p>A paragraph long enough to be moved out.</p> "
                + "<b>x</b> <i>y</i>\n <br> </div> </body> <p>after</p> \n </html> ",
            "<body> <pre>x</body>y</pre> <p>A paragraph long enough to be moved out.</p> </body>",
        ]
        // libxml2 reports text in pieces of 1,000 bytes: after the reference, 1 + n bytes of text, then the marker
        // (U+E000, a digit, U+E001), cut after its first character, its digit or not at all.
        let boundaries = (990...999).map { n in
            "<p>x &amp; " + String(repeating: "y", count: n) + "<!-- -->" + "moved text right at the boundary</p>"
        }
        for html in cases + boundaries {
            let (libxml2, herald) = Self.movedTextTrees(Array(html.utf8))
            XCTAssertNotNil(libxml2)
            XCTAssertEqual(herald, libxml2, "tree of \(html.prefix(80).debugDescription)")
        }
        let (_, table) = ContentStripper.stripMovingValues(Array(cases[0].utf8))
        XCTAssertEqual(table?.textEnds.count, 1, "the long paragraph moves, the short one stays")
    }

    func testRealPagesBuildLibxml2sTree() throws {
        let folder = FixtureSite.fixturesFolder.appendingPathComponent("trafilatura-eval/pages")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertGreaterThanOrEqual(files.count, 60, "the corpus subset's pages are there")
        for file in files {
            let bytes = try Array(Data(contentsOf: folder.appendingPathComponent(file)))
            // As extraction sees them (stripped, values moved) and whole.
            let (stripped, _) = ContentStripper.stripMovingValues(bytes, furniture: [.nav, .footer])
            for input in [stripped, bytes] {
                let (libxml2, herald) = Self.trees(input)
                XCTAssertEqual(herald, libxml2, "tree of \(file)")
            }
            let (libxml2, herald) = Self.movedTextTrees(bytes)
            XCTAssertEqual(herald, libxml2, "tree of \(file), its text moved out and back")
        }
    }
}
