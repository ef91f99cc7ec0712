import CHTMLTree
import CLibXML2

/// A parsed HTML or XML document, owned: the libxml2 tree is freed when the last reference goes away.
///
/// Not `Sendable`: a document lives inside one `extract` call on one thread. The extractors that hold no document are
/// the `Sendable` values the crawl shares.
final class MarkupDocument {
    let pointer: xmlDocPtr
    /// Attribute values the stripper kept out of the parse (`AttributeTable`); `Node` reads them.
    let attributes: AttributeTable?
    /// The stripper kept only the attributes the generic profile reads (`ContentStripper.readAttributes`): debug
    /// builds check every attribute asked for is one of them.
    let readAttributesOnly: Bool

    /// HTML trees are built in one arena (`CHTMLTree`) and freed with it; XML trees are libxml2's own.
    private let builtInArena: Bool

    private init(
        pointer: xmlDocPtr, builtInArena: Bool, attributes: AttributeTable? = nil, readAttributesOnly: Bool = false
    ) {
        self.pointer = pointer
        self.builtInArena = builtInArena
        self.attributes = attributes
        self.readAttributesOnly = readAttributesOnly
    }

    deinit {
        if builtInArena { herald_html_free(pointer) } else { xmlFreeDoc(pointer) }
    }

    /// Parses UTF-8 HTML. Errors are recovered from and never printed; `nil` only when libxml2 builds no tree at all.
    /// The tree is libxml2's, built in one arena (`CHTMLTree`: a third of libxml2's time went to allocating and
    /// freeing nodes one by one); it is never modified.
    ///
    /// Options: RECOVER, NOERROR, NOWARNING, NONET, IGNORE_ENC (the bytes are already UTF-8; a page's own
    /// `<meta charset>` must not switch decoders mid-stream), COMPACT (small text nodes stored inline).
    /// Not NOBLANKS: the spaces between inline elements are text. Not HUGE: libxml2 then stops at a nesting depth of
    /// 256, which bounds the work a hostile page can cause (fixtures' deep-nesting case) without affecting real pages.
    ///
    /// NUL bytes are dropped first, as a browser's tree builder ignores them: libxml2 2.9 stops reading the page at
    /// the first one (a page with a run of NULs after an ad image showed only its skip link).
    static func html(
        utf8 bytes: [UInt8], attributes: AttributeTable? = nil, readAttributesOnly: Bool = false
    )
        -> MarkupDocument?
    {
        if bytes.withUnsafeBufferPointer({ MarkupScanner($0).find(0, from: 0) != nil }) {
            return html(
                utf8: bytes.filter { $0 != 0 }, attributes: attributes, readAttributesOnly: readAttributesOnly)
        }
        LibXML.prepareThread()
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue | HTML_PARSE_COMPACT.rawValue)
        let document: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                // libxml2 wants a non-NULL buffer even for empty input.
                let empty: [CChar] = [0]
                // The runs of text the stripper moved out (`AttributeTable.texts`), put back by the tree builder.
                let texts = attributes?.texts ?? []
                let textEnds = attributes?.textEnds ?? []
                let tree = texts.withUnsafeBufferPointer { texts in
                    textEnds.withUnsafeBufferPointer { ends in
                        let read = { (start: UnsafePointer<CChar>?, count: Int) in
                            herald_html_read(
                                start, Int32(count), options, texts.baseAddress, ends.baseAddress, Int32(ends.count),
                                Int32(attributes?.count ?? 0), attributes?.spaceMarkers == true ? 1 : 0)
                        }
                        return chars.baseAddress.map { read($0, chars.count) }
                            ?? empty.withUnsafeBufferPointer { read($0.baseAddress, 0) }
                    }
                }
                return tree?.assumingMemoryBound(to: xmlDoc.self)
            }
        }
        return document.map {
            MarkupDocument(
                pointer: $0, builtInArena: true, attributes: attributes, readAttributesOnly: readAttributesOnly)
        }
    }

    /// Parses XML (feeds). No network, no DTD loading, no entity substitution: a feed cannot make libxml2 fetch
    /// anything or expand entities. CDATA sections become ordinary text nodes. `encoding` overrides the declaration.
    static func xml(_ bytes: [UInt8], encoding: String?) -> MarkupDocument? {
        LibXML.prepareThread()
        let options = Int32(
            XML_PARSE_RECOVER.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                | XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        guard !bytes.isEmpty else { return nil }
        let document: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlReadMemory(chars.baseAddress, Int32(chars.count), nil, encoding, options)
            }
        }
        return document.map { MarkupDocument(pointer: $0, builtInArena: false) }
    }

    /// The root element (`<html>`, `<rss>`, `<feed>`).
    var root: Node? {
        xmlDocGetRootElement(pointer).map { Node($0, in: self) }
    }
}

/// Process-wide libxml2 setup.
enum LibXML {
    /// `xmlInitParser` must run once before threads use libxml2 concurrently. A global `let` is initialised exactly
    /// once, thread-safely, by the Swift runtime.
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// Call before each parse on the current thread: libxml2's error handlers are thread-local, and its encoding
    /// errors reach stderr even with the NOERROR option.
    static func prepareThread() {
        _ = initialized
        herald_xml_silence_errors()
    }
}
