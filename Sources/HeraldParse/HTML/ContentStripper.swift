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
    /// `AttributeTable` (see there), each element that had some marked with a valueless `_h<number>` attribute. When
    /// the page itself has something that reads as a marker (a `_h1` attribute in a tag copied whole, or the text
    /// "` _h1`"), the page is stripped again without moving anything (the table is nil).
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
            guard let table = stripper.table, !table.isEmpty || table.textCount > 0 else { return (out, nil) }
            if markerLikeCount(out) == table.count { return (out, AttributeTable(table)) }
            var plain = Stripper(
                scanner: MarkupScanner(buffer), furniture: Furniture.allCases.filter(furniture.contains),
                readAttributesOnly: true, table: nil)
            return (plain.run(), nil)
        }
    }

    /// Occurrences of whitespace, `_h` and a digit: the markers, and anything in the page that would read as one.
    private static func markerLikeCount(_ out: [UInt8]) -> Int {
        out.withUnsafeBufferPointer { buffer in
            let scanner = MarkupScanner(buffer)
            var count = 0
            var i = 1
            while let underscore = scanner.find(UInt8(ascii: "_"), from: i) {
                if underscore + 2 < buffer.count, buffer[underscore + 1] == UInt8(ascii: "h"),
                    Byte.isDigit(buffer[underscore + 2]), MarkupScanner.isSpace(buffer[underscore - 1])
                {
                    count += 1
                }
                i = underscore + 1
            }
            return count
        }
    }

    /// The attributes the generic profile reads outside `<meta>`, `<link>` and `<base>` (whose attributes are all
    /// kept): furniture words (`Boilerplate`, `ContentContainer`, `LeadFinder`), hidden elements, links and images
    /// (`BodyCleaner`), `<time>`. libxml2 2.9 reads attribute values a character at a time and builds a node and a
    /// text child for each: on the corpus a third of what reached it was attributes nothing reads (`title`, `target`,
    /// `onclick`, `data-*`, `width`…).
    static let readAttributes = PackedWordTable(readAttributeNames)

    private static let readAttributeNames: [[UInt8]] = [
        "class", "id", "role", "aria-label", "aria-hidden", "hidden", "style", "itemprop", "data-component", "href",
        "src", "data-src", "data-original", "data-lazy-src", "alt", "datetime", "pubdate", "lang", "content",
        "itemtype", "rel",
    ].map { Array($0.utf8) }

    /// The `<meta>` keys (`property`, `name`; lowercased) the generic profile reads (`PageMetadata.meta`, `allMeta`:
    /// debug builds check every key asked for is here). A `<meta>` with an `itemprop` is always kept (microdata).
    static let readMetaKeys: [[UInt8]] = [
        "article:author", "article:modified_time", "article:published_time", "article:section", "article:tag",
        "author", "date", "datemodified", "datepublished", "dc.creator", "dc.date", "dc.date.issued",
        "dcterms.created", "description", "og:description", "og:image", "og:site_name", "og:title", "og:type",
        "og:updated_time", "og:url", "pubdate", "publishdate", "twitter:image", "twitter:title",
    ].map { Array($0.utf8) }

    /// The length of the longest name in `readAttributes`: longer names are dropped without being looked up.
    static let longestReadAttribute = readAttributeNames.map(\.count).max() ?? 0

    /// Is `name` one of `readAttributes`?
    static func reads(_ name: String) -> Bool {
        readAttributes.contains(PackedWord(Array(name.utf8)))
    }

    /// Elements whose attributes are all kept (the page's metadata).
    static let headTags = PackedWordTable(["meta", "link", "base"].map { Array($0.utf8) })
    /// Elements whose values stay in the tag (libxml2 merges a repeated `<body>` into the first).
    static let rootTags = PackedWordTable(["html", "head", "body"].map { Array($0.utf8) })

    private struct Stripper {
        let scanner: MarkupScanner
        let furniture: [Furniture]
        let readAttributesOnly: Bool
        /// Where plain attribute values go (`stripMovingValues`), or nil.
        var table: AttributeTable.Builder?
        /// Move runs of text to `table` too (`stripMovingValues`).
        var movesText = false
        // The static tables, read once: each access to a static calls `swift_once`; per tag that was 0.7 % of the time
        // of `herald parse` (perf).
        private let readAttributes = ContentStripper.readAttributes
        private let longestReadAttribute = ContentStripper.longestReadAttribute
        private let headTags = ContentStripper.headTags
        private let rootTags = ContentStripper.rootTags
        var out: [UInt8] = []
        /// `bytes[copied..<i]` are still to be copied.
        var copied = 0
        var i = 0
        /// How many `<article>` elements enclose the current position.
        var articleDepth = 0
        /// Elements whose end tag was searched for once and not found: searching again from a later start tag would
        /// make a page of thousands of unclosed `<svg>`s quadratic. (Keeping such an element costs only parse time.)
        var unclosed: Set<String> = []

        init(
            scanner: MarkupScanner, furniture: [Furniture], readAttributesOnly: Bool, table: AttributeTable.Builder?
        ) {
            self.scanner = scanner
            self.furniture = furniture
            self.readAttributesOnly = readAttributesOnly
            self.table = table
            out.reserveCapacity(scanner.count / 4)  // pages are mostly script and style
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
            return out
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
                if scanner.hasName("article", at: lt + 2) { articleDepth = max(0, articleDepth - 1) }
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
                    let end = scanner.closingTag("script", from: tagEnd)?.end ?? scanner.count
                    if keepsScript(scanner.attributes(in: (lt + 7)..<tagEnd)) {
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
                    return
                }
            case UInt8(ascii: "t"):
                if scanner.hasName("textarea", at: lt + 1) {
                    i = scanner.closingTag("textarea", from: scanner.endOfTag(from: lt + 9))?.end ?? scanner.count
                    return
                }
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

        /// Copies the start tag at `lt` with only the attributes the generic profile reads (all of them for the
        /// `<meta>`, `<link>` and `<base>` it reads; the others are dropped whole, see `readsHeadTag`), their plain
        /// values moved to `table` when there is one (not for `<html>`, `<head>`,
        /// `<body>`: libxml2 merges a repeated one into the first). A tag whose attribute list is not plain (`name`,
        /// `name=value`, `name="value"` separated by whitespace) is copied whole: libxml2 must see the attributes it
        /// keeps exactly as before. Of an attribute named twice, the first counts (as in libxml2).
        private mutating func copyReadAttributes(at lt: Int) {
            let tagEnd = scanner.endOfTag(from: lt + 1)
            i = tagEnd
            let bytes = scanner.bytes
            var nameEnd = lt + 1
            while nameEnd < tagEnd, Byte.isAlphanumeric(bytes[nameEnd]) { nameEnd += 1 }
            var moves = table != nil
            var keepsAll = false  // a head tag the profile reads: every attribute kept, plain values moved
            let nameLength = nameEnd - lt - 1
            if nameLength == 4 || nameLength == 3 {
                let name = PackedWord(UnsafeBufferPointer(rebasing: bytes[(lt + 1)..<nameEnd]))
                if headTags.contains(name) {
                    guard readsHeadTag(lt + 1..<nameEnd, attributes: nameEnd..<tagEnd) else {
                        skip(from: lt, to: tagEnd)
                        return
                    }
                    keepsAll = true
                }
                if rootTags.contains(name) { moves = false }
            }
            guard nameEnd < tagEnd, MarkupScanner.isSpace(bytes[nameEnd]), bytes[tagEnd - 1] == UInt8(ascii: ">")
            else { return }
            guard collectAttributes(from: nameEnd, to: tagEnd - 1, moves: moves, keepsAll: keepsAll),
                let first = attributes.firstIndex(where: { $0.action != .keep })
            else { return }
            let firstChange = attributes[first].whole.lowerBound
            flush(upTo: firstChange)
            var moved = false
            for attribute in attributes[first...] {
                switch attribute.action {
                case .keep:
                    append(attribute.whole)
                case .drop:
                    break
                case .move:
                    table?.append(
                        name: UnsafeBufferPointer(rebasing: bytes[attribute.name]),
                        value: UnsafeBufferPointer(rebasing: bytes[attribute.value]))
                    moved = true
                }
            }
            if moved, let k = table?.closeElement() { AttributeTable.appendMarker(k, to: &out) }
            append(attributes[attributes.count - 1].whole.upperBound..<tagEnd)
            copied = tagEnd
        }

        /// Does the generic profile read this `<meta>`, `<link>` or `<base>`? `<link>` only as `rel=canonical` or `next`
        /// (`PageMetadata`) or with an `itemprop` (`Microdata`); `<meta>` only under one of `readMetaKeys`. The others
        /// (stylesheets, preloads, icons, viewport, verification and tracking metas) were a sixth of what reached
        /// libxml2, whose attribute values it reads a character at a time. Kept when unsure (a character reference).
        private func readsHeadTag(_ name: Range<Int>, attributes range: Range<Int>) -> Bool {
            let isLink = scanner.equals(name, "link")
            let isMeta = scanner.equals(name, "meta")
            guard isLink || isMeta else { return true }  // <base>
            var reads = false
            scanner.forEachAttribute(in: range) { attribute, value, _ in
                if scanner.find(UInt8(ascii: "&"), in: value) || scanner.equals(attribute, "itemprop") {
                    reads = true
                } else if isLink, scanner.equals(attribute, "rel") {
                    reads = scanner.hasToken(
                        in: value, where: { scanner.equals($0, "canonical") || scanner.equals($0, "next") })
                } else if isMeta, scanner.equals(attribute, "property") || scanner.equals(attribute, "name") {
                    reads = isReadMetaKey(value)
                }
                return reads
            }
            return reads
        }

        /// Is `range` (a `<meta>`'s key) one of `readMetaKeys`, or anything but one plain word (kept when unsure)?
        private func isReadMetaKey(_ range: Range<Int>) -> Bool {
            var words = 0
            var key = range
            _ = scanner.hasToken(in: range) { word in
                words += 1
                key = word
                return false
            }
            guard words == 1 else { return words > 1 }
            return ContentStripper.readMetaKeys.contains { expected in
                expected.count == key.count && scanner.equalsLowercased(key, expected)
            }
        }

        private enum Action { case keep, drop, move }

        /// The attributes of the tag being copied (reused from tag to tag).
        private var attributes: [(name: Range<Int>, value: Range<Int>, whole: Range<Int>, action: Action)] = []
        /// The names of the tag's attributes kept so far (reused from tag to tag).
        private var keptNames: [PackedWord] = []

        /// Letters, digits, `-`, `_`, `:` and `.`: the bytes of a plain attribute name (a bit per byte, as one test).
        @inline(__always)
        private static func isNameByte(_ b: UInt8) -> Bool {
            // Bits 0x2D (-), 0x2E (.), 0x30-0x39, 0x3A (:) of the first 64; 0x41-0x5A, 0x5F (_), 0x61-0x7A of the next.
            let low: UInt64 = 0x07FF_6000_0000_0000
            let high: UInt64 = 0x07FF_FFFE_87FF_FFFE
            switch b >> 6 {
            case 0: return (low >> UInt64(b)) & 1 != 0
            case 1: return (high >> UInt64(b & 63)) & 1 != 0
            default: return false
            }
        }

        /// Fills `attributes` with each attribute in `start..<end` (the bytes between the tag name and `>`): its
        /// name, its value (without quotes), its whole span (from the whitespace before it to the end of its value)
        /// and what to do with it. False, with `attributes` not to be used, when the list is not plain: a quote or `<`
        /// outside a quoted value, an `=` with no name or no value, or no whitespace between two attributes.
        /// With `keepsAll` (a `<meta>`, `<link>` or `<base>` the profile reads) every name is kept, not only
        /// `readAttributes`.
        private mutating func collectAttributes(from start: Int, to end: Int, moves: Bool, keepsAll: Bool) -> Bool {
            attributes.removeAll(keepingCapacity: true)
            keptNames.removeAll(keepingCapacity: true)
            let bytes = scanner.bytes
            var i = start
            while i < end {
                let wholeStart = i
                guard MarkupScanner.isSpace(bytes[i]) else {
                    // Only a closing `/` (`<br />`) may follow the last attribute without a space.
                    return bytes[i] == UInt8(ascii: "/") && i + 1 == end
                }
                while i < end, MarkupScanner.isSpace(bytes[i]) { i += 1 }
                if i == end { return true }
                if bytes[i] == UInt8(ascii: "/") { return i + 1 == end }
                let nameStart = i
                while i < end, Self.isNameByte(bytes[i]) { i += 1 }
                guard i > nameStart else { return false }
                let nameRange = nameStart..<i
                var valueRange = i..<i
                var hasValue = false
                if i < end, bytes[i] == UInt8(ascii: "=") {
                    i += 1
                    guard i < end else { return false }
                    let quote = bytes[i]
                    if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                        guard let close = scanner.find(quote, from: i + 1), close < end else { return false }
                        valueRange = (i + 1)..<close
                        i = close + 1
                    } else {
                        let valueStart = i
                        while i < end, !MarkupScanner.isSpace(bytes[i]) {
                            let b = bytes[i]
                            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "<")
                                || b == UInt8(ascii: "=") || b == UInt8(ascii: "`")
                            {
                                return false
                            }
                            i += 1
                        }
                        guard i > valueStart else { return false }
                        // An unquoted value ending in `/` right before `>` is ambiguous (`<a href=x/>`): copy whole.
                        if i == end, bytes[i - 1] == UInt8(ascii: "/") { return false }
                        valueRange = valueStart..<i
                    }
                    hasValue = true
                } else if i < end, !MarkupScanner.isSpace(bytes[i]), bytes[i] != UInt8(ascii: "/") {
                    return false
                }
                var action = Action.drop
                // A name longer than a PackedWord holds could not be told from another: the tag is copied whole.
                if keepsAll, nameRange.count > 16 { return false }
                // Names longer than any read attribute are dropped without being packed (`data-…` names often are).
                if keepsAll || nameRange.count <= longestReadAttribute {
                    let name = PackedWord(UnsafeBufferPointer(rebasing: bytes[nameRange]))
                    // Of a name given twice libxml2 keeps the first.
                    if keepsAll || readAttributes.contains(name), !keptNames.contains(name) {
                        keptNames.append(name)
                        action =
                            moves && hasValue && Self.isPlain(UnsafeBufferPointer(rebasing: bytes[valueRange]))
                            ? .move : .keep
                    }
                }
                attributes.append((nameRange, valueRange, wholeStart..<i, action))
            }
            return true
        }

        /// A value libxml2 stores verbatim: no character reference, no control character (libxml2 turns CR LF
        /// into LF).
        @inline(__always)
        private static func isPlain(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
            for byte in value where byte < 0x20 || byte == UInt8(ascii: "&") { return false }
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
        private mutating func skip(from start: Int, to end: Int) {
            flush(upTo: start)
            copied = end
            i = end
        }

        /// Moves the text `start..<lt` to the table, leaving its marker, when it is long enough to be worth it, a tag
        /// follows, and libxml2 would store it verbatim (`AttributeTable.isVerbatimText`).
        private mutating func moveText(from start: Int, to lt: Int) {
            guard lt - start >= AttributeTable.shortestMovedText, start >= copied,
                let next = scanner.byte(at: lt + 1), Byte.isAlpha(next) || next == UInt8(ascii: "/"),
                AttributeTable.isVerbatimText(UnsafeBufferPointer(rebasing: scanner.bytes[start..<lt])),
                let k = table?.appendText(UnsafeBufferPointer(rebasing: scanner.bytes[start..<lt]))
            else { return }
            flush(upTo: start)
            AttributeTable.appendTextMarker(k, to: &out)
            copied = lt
        }

        /// Replaces the text `start..<lt` by one space when it is 2+ bytes of whitespace only.
        private mutating func collapseWhitespace(from start: Int, to lt: Int) {
            guard lt - start >= 2, start >= copied else { return }
            for k in start..<lt where !MarkupScanner.isSpace(scanner.bytes[k]) { return }
            flush(upTo: start)
            out.append(0x20)
            copied = lt
        }

        private mutating func flush(upTo end: Int) {
            append(copied..<end)
            copied = max(copied, end)
        }

        private mutating func append(_ range: Range<Int>) {
            if !range.isEmpty { out.append(contentsOf: UnsafeBufferPointer(rebasing: scanner.bytes[range])) }
        }

        /// JSON scripts stay; for the generic profile (`readAttributesOnly`) only JSON-LD ones, the only ones it reads:
        /// other JSON (a framework's page state, `__NEXT_DATA__`, analytics) was a tenth of libxml2's work on the
        /// corpus, which reads a script's text a character at a time. A type written with character references
        /// (`application&#x2F;ld&#x2B;json`, seen on real pages) stays too: libxml2 decodes it, and the reader decides.
        private func keepsScript(_ attributes: [(name: [UInt8], value: [UInt8])]) -> Bool {
            guard let type = attributes.first(where: { $0.name.elementsEqual("type".utf8) }) else { return false }
            let value = type.value.map(Byte.lowercase)
            guard Self.contains("json", in: value) else { return false }
            return !readAttributesOnly || Self.contains("ld+json", in: value) || value.contains(UInt8(ascii: "&"))
        }

        private static func contains(_ word: StaticString, in value: [UInt8]) -> Bool {
            word.withUTF8Buffer { word in
                guard value.count >= word.count else { return false }
                for start in 0...(value.count - word.count)
                where value[start..<(start + word.count)].elementsEqual(word) {
                    return true
                }
                return false
            }
        }
    }
}
