import CLibXML2
import Glibc

/// Attribute values kept out of libxml2's way (the generic profile's stripper, `ContentStripper.strip(…, table:)`).
///
/// libxml2 2.9 reads an attribute value a character at a time (about 100 instructions per byte) and stores it as a
/// text node: on the corpus, the `class` and `href` values the generic profile reads were a quarter of the parse. The
/// stripper moves the plain values of an element (no control character; character references decoded as libxml2
/// decodes them, `CharacterReferences`) here and leaves one valueless marker attribute, `_h`, in the tag; the tree
/// builder (CHTMLTree) numbers the markers in the order libxml2 reports them, which is the page's order, and `Node`'s
/// attribute functions read both, so nothing above `Node` sees the difference. Names are stored lowercased (as libxml2
/// stores them); values as libxml2 would store them.
///
/// The marker is the same short name on every element (it was `_h` and the element's number): libxml2 interns every
/// attribute name in a dictionary, and twenty thousand distinct names a sample of pages cost it more than the values
/// they stood for.
final class AttributeTable {
    /// Names and values, back to back.
    let bytes: [UInt8]
    /// Per attribute: name start, name end (= value start), value end, in `bytes`.
    let spans: [(name: Int32, value: Int32, end: Int32)]
    /// Per marked element: its first attribute in `spans`; `elements[k + 1]` ends it (a sentinel follows the last).
    let elements: [Int32]

    /// Runs of text moved out of libxml2's way, back to back: libxml2 2.9 reads text a character at a time too (a
    /// third of its work on the corpus after the attribute values had gone). The stripper leaves a marker in their
    /// place (U+E000, the text's number in decimal, U+E001) and the tree builder (CHTMLTree) puts each text back
    /// where libxml2 reports its marker, so the tree is the same. Only text libxml2 would store verbatim moves: no
    /// character reference, no character it drops or changes (controls, CR, U+FFFE/U+FFFF).
    let texts: [UInt8]
    /// `texts` ends of each moved text.
    let textEnds: [Int32]

    /// The page's text holds U+E002 where it held one space between two tags (`ContentStripper`): a text of
    /// whitespace only is what costs libxml2 most to read (`areBlanks` compares the element before it with fifty
    /// names), a character that is not whitespace almost nothing. The tree builder puts the space back.
    let spaceMarkers: Bool

    var isEmpty: Bool { elements.count == 1 }
    var count: Int { elements.count - 1 }

    /// Takes the builder's bytes (its buffer is freed: the builder is not used after).
    init(_ builder: Builder) {
        var builder = builder
        bytes = builder.finishBytes()
        spans = builder.spans
        elements = builder.elements
        texts = builder.texts
        textEnds = builder.textEnds
        spaceMarkers = builder.usesSpaceMarkers
    }

    /// Shorter runs of text stay: their marker would be about as long.
    static let shortestMovedText = 24

    /// Would libxml2 keep these bytes of text as they are? Not with `&` (a reference it decodes; in a script's text,
    /// `ampersandIsPlain`, it is not one), a control character other than tab and LF (it drops them), CR (line ends)
    /// or U+FFFE/U+FFFF (not XML characters).
    ///
    /// Eight bytes at a time where none of them is a control character, `&` or the lead byte of U+FFFE/U+FFFF (speed:
    /// a byte at a time, this check was a third of the stripper's own work).
    static func isVerbatimText(_ text: UnsafeBufferPointer<UInt8>, ampersandIsPlain: Bool = false) -> Bool {
        guard let base = text.baseAddress else { return true }
        var k = 0
        while k + 8 <= text.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
            let control = (word &- 0x2020_2020_2020_2020) & ~word
            let lead = zeroBytes(word ^ 0xEFEF_EFEF_EFEF_EFEF)
            let ampersand = ampersandIsPlain ? 0 : zeroBytes(word ^ 0x2626_2626_2626_2626)
            if (control | lead | ampersand) & 0x8080_8080_8080_8080 != 0 {
                for j in k..<(k + 8) where rejects(text, at: j, ampersandIsPlain: ampersandIsPlain) { return false }
            }
            k += 8
        }
        while k < text.count {
            if rejects(text, at: k, ampersandIsPlain: ampersandIsPlain) { return false }
            k += 1
        }
        return true
    }

    /// The high bit set in (at least) the first zero byte of `word`, none when it has none.
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 { (word &- 0x0101_0101_0101_0101) & ~word }

    @inline(__always)
    private static func rejects(_ text: UnsafeBufferPointer<UInt8>, at k: Int, ampersandIsPlain: Bool) -> Bool {
        let byte = text[k]
        if byte < 0x20 { return byte != 0x09 && byte != 0x0A }
        if byte == UInt8(ascii: "&") { return !ampersandIsPlain }
        return byte == 0xEF && k + 2 < text.count && text[k + 1] == 0xBF && text[k + 2] >= 0xBE
    }

    @inline(__always)
    static func holdsAmpersand(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        return memchr(base, Int32(UInt8(ascii: "&")), bytes.count) != nil
    }

    /// Does the page hold U+E000, U+E001 or U+E002 itself (then no text is moved: its markers could not be told
    /// apart)?
    static func holdsTextMarkerBytes(_ page: UnsafeBufferPointer<UInt8>) -> Bool {
        let scanner = MarkupScanner(page)
        var from = 0
        while let lead = scanner.find(0xEE, from: from) {
            if lead + 2 < page.count, page[lead + 1] == 0x80, page[lead + 2] >= 0x80 && page[lead + 2] <= 0x82 {
                return true
            }
            from = lead + 1
        }
        return false
    }

    /// A text marker: U+E000, `k` in decimal, U+E001.
    static func appendTextMarker(_ k: Int, to out: inout ByteSink) {
        out.append(0xEE)
        out.append(0x80)
        out.append(0x80)
        appendDecimal(k, to: &out)
        out.append(0xEE)
        out.append(0x80)
        out.append(0x81)
    }

    /// The table being filled by the stripper. A value type, so that the stripper's appends (one per attribute moved)
    /// are not each a dynamic exclusivity check, as the class's mutable properties made them; the table that `Node`
    /// reads is immutable.
    ///
    /// Names and values are written into one buffer (`ByteSink`; speed: Array's `append(contentsOf:)`, two a moved
    /// attribute, cost more than the copies), which `AttributeTable.init` takes.
    struct Builder {
        private var bytes = ByteSink(capacity: 4096)
        private(set) var spans: [(name: Int32, value: Int32, end: Int32)] = []
        private(set) var elements: [Int32] = [0]

        var isEmpty: Bool { elements.count == 1 }
        var count: Int { elements.count - 1 }

        /// Adds an attribute to the element being built (lowercasing its name, decoding the references of its value:
        /// the caller made sure `CharacterReferences` reads them all).
        mutating func append(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
            let start = bytes.count
            // Names are lowercase on nearly every page (speed: appended a byte at a time, lowercased or not, they
            // were most of this function).
            if name.contains(where: { $0 &- 0x41 < 26 }) {
                for byte in name { bytes.append(Byte.lowercase(byte)) }
            } else {
                bytes.append(name)
            }
            let valueStart = Int32(bytes.count)
            if AttributeTable.holdsAmpersand(value) {
                var decoded: [UInt8] = []
                let read = CharacterReferences.decode(value, appendingTo: &decoded)
                assert(read, "a value whose references CharacterReferences cannot read stays in its tag")
                decoded.withUnsafeBufferPointer { bytes.append($0) }
            } else {
                bytes.append(value)
            }
            spans.append((Int32(start), valueStart, Int32(bytes.count)))
        }

        private(set) var texts: [UInt8] = []
        private(set) var textEnds: [Int32] = []
        var usesSpaceMarkers = false
        var textCount: Int { textEnds.count }

        /// The names and values; frees the buffer (the builder is not used after).
        mutating func finishBytes() -> [UInt8] { bytes.finish() }

        /// Adds a run of text, its references decoded (`decodesReferences`; nil, and nothing added, when some
        /// reference is not one `CharacterReferences` reads); returns its number.
        mutating func appendText(_ text: UnsafeBufferPointer<UInt8>, decodesReferences: Bool = false) -> Int? {
            if decodesReferences, AttributeTable.holdsAmpersand(text) {
                guard CharacterReferences.decode(text, appendingTo: &texts) else { return nil }
            } else {
                texts.append(contentsOf: text)
            }
            textEnds.append(Int32(texts.count))
            return textEnds.count - 1
        }

        /// Closes the element being built; returns its number.
        mutating func closeElement() -> Int {
            elements.append(Int32(spans.count))
            return elements.count - 2
        }
    }

    /// Calls `body` with each (name, value) of element `k`; stops when it returns true.
    @inline(__always)
    func forEach(
        ofElement k: Int, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool
    ) {
        guard k >= 0, k + 1 < elements.count else { return }
        let range = Int(elements[k])..<Int(elements[k + 1])
        bytes.withUnsafeBufferPointer { buffer in
            spans.withUnsafeBufferPointer { spans in
                for i in range {
                    let span = spans[i]
                    let name = UnsafeBufferPointer(rebasing: buffer[Int(span.name)..<Int(span.value)])
                    let value = UnsafeBufferPointer(rebasing: buffer[Int(span.value)..<Int(span.end)])
                    if body(name, value) { return }
                }
            }
        }
    }

    /// Element `k`'s value of `name` (lowercase), as bytes passed to `body`.
    func withValue<R>(
        ofElement k: Int, named name: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R
    )
        -> R?
    {
        var result: R?
        forEach(ofElement: k) { attributeName, value in
            guard attributeName.count == name.count, attributeName.elementsEqual(name) else { return false }
            result = body(value)
            return true
        }
        return result
    }

    /// The space marker, U+E002.
    static func appendSpaceMarker(to out: inout ByteSink) {
        out.append(0xEE)
        out.append(0x80)
        out.append(0x82)
    }

    /// The marker attribute, ` _h` (its element's number is its place among the page's markers).
    static func appendMarker(to out: inout ByteSink) {
        out.append(UInt8(ascii: " "))
        out.append(UInt8(ascii: "_"))
        out.append(UInt8(ascii: "h"))
    }

    /// Text markers' numbers, written digit by digit: `String(k)` cost more than the rest of the marker.

    private static func appendDecimal(_ k: Int, to out: inout ByteSink) {
        var divisor = 1
        while divisor <= k / 10 { divisor *= 10 }
        var rest = k
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// The element number of a marker attribute (the tree builder's count in `_private`, from 1), or nil when
    /// `attribute` is not a marker.
    @inline(__always)
    static func marker(_ attribute: UnsafeMutablePointer<xmlAttr>) -> Int? {
        guard let number = attribute.pointee._private, let name = attribute.pointee.name,
            name[0] == UInt8(ascii: "_"), name[1] == UInt8(ascii: "h"), name[2] == 0
        else { return nil }
        return Int(bitPattern: number) - 1
    }
}
