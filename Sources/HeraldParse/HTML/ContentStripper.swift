import HeraldURL

/// Removes, before parsing, the bytes of a page that cannot hold what extraction reads.
///
/// On an RFI article page about 400 of 480 KB are inline `<style>` (with SVG markup inside `url('data:…')`), inline
/// `<svg>` icons and `<script>` bundles, and libxml2 2.9.14 reads HTML a character at a time (perf-notes.md).
/// Always removed:
/// - comments;
/// - `<style>` and `<svg>` elements whole (nested `<svg>` counted);
/// - `<script>` elements whole, except JSON ones (`type` containing `json`): JSON-LD and RFI's
///   `<script id="datalayer" type="application/json">` carry metadata (with `readAttributesOnly`, for the generic
///   profile, only JSON-LD ones: the only JSON it reads);
/// - `<source>` tags and the `srcset`/`sizes` attributes of `<img>` (responsive-image lists, kilobytes per image;
///   extraction reads `src`);
/// - runs of whitespace between two tags shrink to one space (rule N collapses whitespace anyway, and cleaned HTML
///   drops whitespace-only text nodes). `<pre>` and `<textarea>` are copied untouched.
///
/// With `furniture` (article extraction only), elements with those names that are not inside an `<article>` are
/// removed whole too: site headers, navigation, asides and footers are a third of what remains of an RFI page.
///
/// The end of a raw-text element is found the way the HTML tokenizer finds it: the first case-insensitive `</script`
/// (`</style`) followed by a delimiter. RFI's scripts write `<\/div>` in strings, which is not an end tag, and an
/// `<svg>` written inside a style's `url()` is inside the style. A raw-text element that never ends runs to the end
/// of input, as in a browser. Ordinary elements that never end (an `<svg>` or `<aside>` cut off by truncation) are
/// kept: they may hold the rest of the page.
enum ContentStripper {
    /// Page furniture a profile can do without.
    enum Furniture: CaseIterable {
        case header, nav, aside, footer

        var name: StaticString {
            switch self {
            case .header: "header"
            case .nav: "nav"
            case .aside: "aside"
            case .footer: "footer"
            }
        }
    }

    /// - Parameter readAttributesOnly: drop every attribute the generic profile never reads (see `readAttributes`).
    static func strip(_ bytes: [UInt8], furniture: Set<Furniture> = [], readAttributesOnly: Bool = false) -> [UInt8] {
        bytes.withUnsafeBufferPointer { buffer in
            var stripper = Stripper(
                scanner: MarkupScanner(buffer), furniture: Furniture.allCases.filter(furniture.contains),
                readAttributesOnly: readAttributesOnly, table: nil)
            return stripper.run()
        }
    }

    /// As `strip(…, readAttributesOnly: true)`, and the plain values of the attributes kept moved to an
    /// `AttributeTable` (see there), each element that had some marked with a valueless `_h` attribute. When the page
    /// itself has something that reads as a marker (an `_h` attribute in a tag copied whole, or the text "` _h `"),
    /// the page is stripped again without moving anything (the table is nil).
    ///
    /// With `movesText`, runs of text between two tags move too (see `AttributeTable.texts`), unless the page holds
    /// a text marker's bytes itself.
    static func stripMovingValues(
        _ bytes: [UInt8], furniture: Set<Furniture> = [], movesText: Bool = true
    )
        -> ([UInt8], AttributeTable?)
    {
        bytes.withUnsafeBufferPointer { buffer in
            var stripper = Stripper(
                scanner: MarkupScanner(buffer), furniture: Furniture.allCases.filter(furniture.contains),
                readAttributesOnly: true, table: AttributeTable.Builder())
            stripper.movesText = movesText && !AttributeTable.holdsTextMarkerBytes(buffer)
            let out = stripper.run()
            guard let builder = stripper.table else { return (out, nil) }
            let table = AttributeTable(builder)
            guard !table.isEmpty || !table.textEnds.isEmpty || table.spaceMarkers else { return (out, nil) }
            if markerLikeCount(out) == table.count { return (out, table) }
            var plain = Stripper(
                scanner: MarkupScanner(buffer), furniture: Furniture.allCases.filter(furniture.contains),
                readAttributesOnly: true, table: nil)
            return (plain.run(), nil)
        }
    }

    /// Occurrences of whitespace, `_h` (any case: libxml2 lowercases attribute names) and whatever may end an
    /// attribute name: the markers, and anything in the page that could read as one.
    private static func markerLikeCount(_ out: [UInt8]) -> Int {
        out.withUnsafeBufferPointer { buffer in
            let scanner = MarkupScanner(buffer)
            var count = 0
            var i = 1
            while let underscore = scanner.find(UInt8(ascii: "_"), from: i) {
                if MarkupScanner.isSpace(buffer[underscore - 1]), underscore + 1 < buffer.count,
                    buffer[underscore + 1] | 0x20 == UInt8(ascii: "h"),
                    underscore + 2 == buffer.count || !ContentStripper.Stripper.isNameByte(buffer[underscore + 2])
                {
                    count += 1
                }
                i = underscore + 1
            }
            return count
        }
    }

    /// One pass over a page's bytes. Its attribute handling (the generic profile's: which attributes, `<meta>`s and
    /// `<link>`s stay, and how a tag is rewritten) is in ContentStripper+Attributes.swift.
    struct Stripper {
        let scanner: MarkupScanner
        let furniture: [Furniture]
        let readAttributesOnly: Bool
        /// Where plain attribute values go (`stripMovingValues`), or nil.
        var table: AttributeTable.Builder?
        /// Move runs of text to `table` too (`stripMovingValues`).
        var movesText = false
        // The static tables, read once: each access to a static calls `swift_once`; per tag that was 0.7 % of the time
        // of `herald parse` (perf).
        let readAttributes = ContentStripper.readAttributes
        let longestReadAttribute = ContentStripper.longestReadAttribute
        let headTags = ContentStripper.headTags
        let rootTags = ContentStripper.rootTags
        /// The output (`run` makes it an array and frees it).
        var out: ByteSink
        /// `bytes[copied..<i]` are still to be copied.
        var copied = 0
        var i = 0
        /// How many `<article>` elements enclose the current position.
        var articleDepth = 0
        /// Where libxml2's current element is certainly `<body>` or inside it: after a `<body>` start tag, before any
        /// `</body>` or `</html>` (see `collapseWhitespace`).
        var insideBody = false
        var leftBody = false
        /// Elements whose end tag was searched for once and not found: searching again from a later start tag would
        /// make a page of thousands of unclosed `<svg>`s quadratic. (Keeping such an element costs only parse time.)
        var unclosed: Set<String> = []
        /// The attributes of the tag being copied (reused from tag to tag; ContentStripper+Attributes.swift).
        var attributes: [(name: Range<Int>, value: Range<Int>, whole: Range<Int>, action: AttributeAction)] = []
        /// How many of `attributes` (and of `keptNames`) are the tag's: both arrays are overwritten from tag to tag
        /// (speed: emptying them for each tag cost more than filling them).
        var attributeCount = 0
        var keptCount = 0
        /// The names of the tag's attributes kept so far (reused from tag to tag).
        var keptNames: [PackedWord] = []

        init(
            scanner: MarkupScanner, furniture: [Furniture], readAttributesOnly: Bool, table: AttributeTable.Builder?
        ) {
            self.scanner = scanner
            self.furniture = furniture
            self.readAttributesOnly = readAttributesOnly
            self.table = table
            out = ByteSink(capacity: scanner.count)
        }

        mutating func run() -> [UInt8] {
            var textStart = 0  // where the text before the next tag begins
            while let lt = scanner.find(UInt8(ascii: "<"), from: i) {
                collapseWhitespace(from: textStart, to: lt)
                if movesText { moveText(from: textStart, to: lt) }
                step(at: lt)
                textStart = i
            }
            flush(upTo: scanner.count)
            return out.finish()
        }

        /// Handles the markup starting at `lt` and moves `i` past it.
        private mutating func step(at lt: Int) {
            if scanner.isCommentStart(at: lt) {
                skip(from: lt, to: scanner.endOfComment(from: lt))
                return
            }
            guard let next = scanner.byte(at: lt + 1) else {
                i = lt + 1
                return
            }
            if next == UInt8(ascii: "/") {
                switch (scanner.byte(at: lt + 2) ?? 0) | 0x20 {  // the names compared only when they may be it
                case UInt8(ascii: "a"):
                    if scanner.hasName("article", at: lt + 2) { articleDepth = max(0, articleDepth - 1) }
                case UInt8(ascii: "b"), UInt8(ascii: "h"):
                    if scanner.hasName("body", at: lt + 2) || scanner.hasName("html", at: lt + 2) { leftBody = true }
                default:
                    break
                }
                i = scanner.endOfTag(from: lt + 2)
                return
            }
            if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {  // doctype, processing instruction
                i = scanner.endOfTag(from: lt + 2)
                return
            }
            guard Byte.isAlpha(next) else {  // a literal "<" in text
                i = lt + 1
                return
            }
            // Dispatch on the name's first letter: most tags (`div`, `span`, `a`, `li`, `p`…) are none of these, and
            // testing the names one after another cost a comparison each per tag.
            switch next | 0x20 {
            case UInt8(ascii: "s"):
                if scanner.hasName("script", at: lt + 1) {
                    let tagEnd = scanner.endOfTag(from: lt + 7)
                    let close = scanner.closingTag("script", from: tagEnd)
                    let end = close?.end ?? scanner.count
                    if keepsScript(attributes: (lt + 7)..<tagEnd) {
                        if movesText, let close { moveScriptText(from: tagEnd, to: close.start) }
                        i = end
                    } else {
                        skip(from: lt, to: end)
                    }
                    return
                }
                if scanner.hasName("style", at: lt + 1) {
                    let tagEnd = scanner.endOfTag(from: lt + 6)
                    skip(from: lt, to: scanner.closingTag("style", from: tagEnd)?.end ?? scanner.count)
                    return
                }
                if scanner.hasName("svg", at: lt + 1) {
                    let tagEnd = scanner.endOfTag(from: lt + 4)
                    if tagEnd >= 2, scanner.bytes[tagEnd - 2] == UInt8(ascii: "/") {
                        skip(from: lt, to: tagEnd)  // <svg/>
                    } else if let close = closingTag("svg", from: tagEnd) {
                        skip(from: lt, to: close)
                    } else {
                        i = tagEnd
                    }
                    return
                }
                if scanner.hasName("source", at: lt + 1) {
                    skip(from: lt, to: scanner.endOfTag(from: lt + 7))
                    return
                }
            case UInt8(ascii: "i"):
                if scanner.hasName("img", at: lt + 1) {
                    if readAttributesOnly { copyReadAttributes(at: lt) } else { copyImage(at: lt) }
                    return
                }
            case UInt8(ascii: "p"):
                if scanner.hasName("pre", at: lt + 1) {
                    i = scanner.closingTag("pre", from: scanner.endOfTag(from: lt + 4))?.end ?? scanner.count
                    noteEndTagsCopied(lt..<i)
                    return
                }
            case UInt8(ascii: "t"):
                if scanner.hasName("textarea", at: lt + 1) {
                    i = scanner.closingTag("textarea", from: scanner.endOfTag(from: lt + 9))?.end ?? scanner.count
                    noteEndTagsCopied(lt..<i)
                    return
                }
            case UInt8(ascii: "b"):
                if scanner.hasName("body", at: lt + 1) { insideBody = true }
            case UInt8(ascii: "a"):
                if scanner.hasName("article", at: lt + 1) {
                    articleDepth += 1
                    i = scanner.endOfTag(from: lt + 8)
                    return
                }
                if skipFurniture(at: lt) { return }
            case UInt8(ascii: "h"), UInt8(ascii: "n"), UInt8(ascii: "f"):
                if skipFurniture(at: lt) { return }
            default:
                break
            }
            if readAttributesOnly {
                copyReadAttributes(at: lt)
            } else {
                // Any other tag: step over it whole, so a `<script` inside an attribute value is not mistaken for one.
                i = scanner.endOfTag(from: lt + 1)
            }
        }

        /// Drops the furniture element starting at `lt` (outside any `<article>`) when it is one and ends.
        private mutating func skipFurniture(at lt: Int) -> Bool {
            guard articleDepth == 0, let element = furniture.first(where: { scanner.hasName($0.name, at: lt + 1) }),
                let close = closingTag(element.name, from: scanner.endOfTag(from: lt + 1))
            else { return false }
            skip(from: lt, to: close)
            return true
        }

        /// The end of the matching (nesting-aware) end tag of an ordinary element, remembering misses.
        private mutating func closingTag(_ name: StaticString, from index: Int) -> Int? {
            let key = name.description
            guard !unclosed.contains(key) else { return nil }
            guard let close = scanner.closingTag(name, from: index, nests: true) else {
                unclosed.insert(key)
                return nil
            }
            return close.end
        }

        /// Copies an `<img>` tag without its `srcset` and `sizes` attributes.
        private mutating func copyImage(at lt: Int) {
            let tagEnd = scanner.endOfTag(from: lt + 4)
            let dropped = scanner.attributeSpans(in: (lt + 4)..<tagEnd).filter { span in
                let name = span.name.map(Byte.lowercase)
                return name.elementsEqual("srcset".utf8) || name.elementsEqual("sizes".utf8)
            }
            if !dropped.isEmpty {
                flush(upTo: lt)
                var cursor = lt
                for span in dropped {
                    append(cursor..<span.whole.lowerBound)
                    cursor = span.whole.upperBound
                }
                append(cursor..<tagEnd)
                copied = tagEnd
            }
            i = tagEnd
        }

        /// Drops `start..<end`.
        mutating func skip(from start: Int, to end: Int) {
            flush(upTo: start)
            copied = end
            i = end
        }

        /// Moves the text `start..<lt` to the table, leaving its marker, when it is long enough to be worth it, a tag
        /// follows, and libxml2 would store it verbatim (`AttributeTable.isVerbatimText`) but for the character
        /// references `CharacterReferences` decodes as it does.
        private mutating func moveText(from start: Int, to lt: Int) {
            guard lt - start >= AttributeTable.shortestMovedText, start >= copied,
                let next = scanner.byte(at: lt + 1), Byte.isAlpha(next) || next == UInt8(ascii: "/")
            else { return }
            let text = UnsafeBufferPointer(rebasing: scanner.bytes[start..<lt])
            guard AttributeTable.isVerbatimText(text, ampersandIsPlain: true),
                let k = table?.appendText(text, decodesReferences: true)
            else { return }
            flush(upTo: start)
            AttributeTable.appendTextMarker(k, to: &out)
            copied = lt
        }

        /// Moves the text of a kept script (JSON-LD, `start..<close`) to the table, as `moveText` does: libxml2 reads a
        /// script a character at a time too (a sixth of what reached it on a sample of the corpus was JSON-LD). Only
        /// when libxml2 ends the script where this scanner does (no `</` inside) and keeps its characters as they
        /// are; a script's text has no references, so `&` is plain.
        private mutating func moveScriptText(from start: Int, to close: Int) {
            guard close - start >= AttributeTable.shortestMovedText, start >= copied else { return }
            let text = UnsafeBufferPointer(rebasing: scanner.bytes[start..<close])
            guard !holdsEndTagStart(start..<close), AttributeTable.isVerbatimText(text, ampersandIsPlain: true),
                let k = table?.appendText(text)
            else { return }
            flush(upTo: start)
            AttributeTable.appendTextMarker(k, to: &out)
            copied = close
        }

        /// Does `range` hold `</`?
        private func holdsEndTagStart(_ range: Range<Int>) -> Bool {
            var from = range.lowerBound
            while let lt = scanner.find(UInt8(ascii: "<"), from: from), lt + 1 < range.upperBound {
                if scanner.bytes[lt + 1] == UInt8(ascii: "/") { return true }
                from = lt + 1
            }
            return false
        }

        /// libxml2 reads the markup inside `<pre>` and `<textarea>`, copied untouched: an end tag of `<body>` or
        /// `<html>` there ends the body too.
        private mutating func noteEndTagsCopied(_ range: Range<Int>) {
            if scanner.containsLowercased(range, "</body") || scanner.containsLowercased(range, "</html") {
                leftBody = true
            }
        }

        /// Replaces the text `start..<lt` by one space when it is 2+ bytes of whitespace only; inside the body,
        /// with text moved, one space (or 2+ bytes of whitespace) by the space marker (`AttributeTable.spaceMarkers`).
        /// Only there: a text that is not whitespace makes libxml2 open a `<p>` when its current element is `<html>`
        /// or `<head>`, and whitespace does not.
        private mutating func collapseWhitespace(from start: Int, to lt: Int) {
            guard lt > start, start >= copied else { return }
            let marks = movesText && insideBody && !leftBody
            guard lt - start >= 2 || (marks && scanner.bytes[start] == 0x20) else { return }
            for k in start..<lt where !MarkupScanner.isSpace(scanner.bytes[k]) { return }
            flush(upTo: start)
            if marks {
                AttributeTable.appendSpaceMarker(to: &out)
                table?.usesSpaceMarkers = true
            } else {
                out.append(0x20)
            }
            copied = lt
        }

        mutating func flush(upTo end: Int) {
            append(copied..<end)
            copied = max(copied, end)
        }

        mutating func append(_ range: Range<Int>) {
            if !range.isEmpty { out.append(UnsafeBufferPointer(rebasing: scanner.bytes[range])) }
        }

        /// JSON scripts stay; for the generic profile (`readAttributesOnly`) only JSON-LD ones, the only ones it reads:
        /// other JSON (a framework's page state, `__NEXT_DATA__`, analytics) was a tenth of libxml2's work on the
        /// corpus, which reads a script's text a character at a time. A type written with character references
        /// (`application&#x2F;ld&#x2B;json`, seen on real pages) stays too: libxml2 decodes it, and the reader decides.
        ///
        /// The tag's attributes are read in place (speed: copying them into arrays was a tenth of the stripper).
        private func keepsScript(attributes: Range<Int>) -> Bool {
            let scanner = scanner  // the closure captures the scanner, not a copy of the stripper
            var type: Range<Int>?
            scanner.forEachAttribute(in: attributes) { name, value, _ in
                guard scanner.equals(name, "type") else { return false }
                type = value
                return true
            }
            guard let type, scanner.containsLowercased(type, "json") else { return false }
            return !readAttributesOnly || scanner.containsLowercased(type, "ld+json")
                || scanner.find(UInt8(ascii: "&"), in: type)
        }
    }
}
