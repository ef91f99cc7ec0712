import HeraldURL

/// Removes, before parsing, the bytes of a page that cannot hold what extraction reads.
///
/// On an RFI article page about 400 of 480 KB are inline `<style>` (with SVG markup inside `url('data:…')`), inline
/// `<svg>` icons and `<script>` bundles, and libxml2 2.9.14 reads HTML a character at a time (perf-notes.md).
/// Always removed:
/// - comments;
/// - `<style>` and `<svg>` elements whole (nested `<svg>` counted);
/// - `<script>` elements whole, except JSON ones (`type` containing `json`): JSON-LD and RFI's
///   `<script id="datalayer" type="application/json">` carry metadata;
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
                readAttributesOnly: readAttributesOnly)
            return stripper.run()
        }
    }

    /// The attributes the generic profile reads outside `<meta>`, `<link>` and `<base>` (whose attributes are all
    /// kept): furniture words (`Boilerplate`, `ContentContainer`, `LeadFinder`), hidden elements, links and images
    /// (`BodyCleaner`), `<time>`. libxml2 2.9 reads attribute values a character at a time and builds a node and a
    /// text child for each: on the corpus a third of what reached it was attributes nothing reads (`title`, `target`,
    /// `onclick`, `data-*`, `width`…).
    static let readAttributes: PackedWordTable = PackedWordTable(
        [
            "class", "id", "role", "aria-label", "aria-hidden", "hidden", "style", "itemprop", "data-component", "href",
            "src", "data-src", "data-original", "data-lazy-src", "alt", "datetime", "pubdate",
        ].map { Array($0.utf8) })

    /// Elements whose attributes are all kept (the page's metadata).
    static let headTags = PackedWordTable(["meta", "link", "base"].map { Array($0.utf8) })

    private struct Stripper {
        let scanner: MarkupScanner
        let furniture: [Furniture]
        let readAttributesOnly: Bool
        var out: [UInt8] = []
        /// `bytes[copied..<i]` are still to be copied.
        var copied = 0
        var i = 0
        /// How many `<article>` elements enclose the current position.
        var articleDepth = 0
        /// Elements whose end tag was searched for once and not found: searching again from a later start tag would
        /// make a page of thousands of unclosed `<svg>`s quadratic. (Keeping such an element costs only parse time.)
        var unclosed: Set<String> = []

        init(scanner: MarkupScanner, furniture: [Furniture], readAttributesOnly: Bool) {
            self.scanner = scanner
            self.furniture = furniture
            self.readAttributesOnly = readAttributesOnly
            out.reserveCapacity(scanner.count / 4)  // pages are mostly script and style
        }

        mutating func run() -> [UInt8] {
            var textStart = 0  // where the text before the next tag begins
            while let lt = scanner.find(UInt8(ascii: "<"), from: i) {
                collapseWhitespace(from: textStart, to: lt)
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
            if scanner.hasName("script", at: lt + 1) {
                let tagEnd = scanner.endOfTag(from: lt + 7)
                let end = scanner.closingTag("script", from: tagEnd)?.end ?? scanner.count
                if isJSONScript(scanner.attributes(in: (lt + 7)..<tagEnd)) {
                    i = end
                } else {
                    skip(from: lt, to: end)
                }
            } else if scanner.hasName("style", at: lt + 1) {
                let tagEnd = scanner.endOfTag(from: lt + 6)
                skip(from: lt, to: scanner.closingTag("style", from: tagEnd)?.end ?? scanner.count)
            } else if scanner.hasName("svg", at: lt + 1) {
                let tagEnd = scanner.endOfTag(from: lt + 4)
                if tagEnd >= 2, scanner.bytes[tagEnd - 2] == UInt8(ascii: "/") {
                    skip(from: lt, to: tagEnd)  // <svg/>
                } else if let close = closingTag("svg", from: tagEnd) {
                    skip(from: lt, to: close)
                } else {
                    i = tagEnd
                }
            } else if scanner.hasName("source", at: lt + 1) {
                skip(from: lt, to: scanner.endOfTag(from: lt + 7))
            } else if readAttributesOnly, scanner.hasName("img", at: lt + 1) {
                copyReadAttributes(at: lt)
            } else if scanner.hasName("img", at: lt + 1) {
                copyImage(at: lt)
            } else if scanner.hasName("pre", at: lt + 1) {
                i = scanner.closingTag("pre", from: scanner.endOfTag(from: lt + 4))?.end ?? scanner.count
            } else if scanner.hasName("textarea", at: lt + 1) {
                i = scanner.closingTag("textarea", from: scanner.endOfTag(from: lt + 9))?.end ?? scanner.count
            } else if scanner.hasName("article", at: lt + 1) {
                articleDepth += 1
                i = scanner.endOfTag(from: lt + 8)
            } else if articleDepth == 0, let element = furniture.first(where: { scanner.hasName($0.name, at: lt + 1) }),
                let close = closingTag(element.name, from: scanner.endOfTag(from: lt + 1))
            {
                skip(from: lt, to: close)
            } else if readAttributesOnly {
                copyReadAttributes(at: lt)
            } else {
                // Any other tag: step over it whole, so a `<script` inside an attribute value is not mistaken for one.
                i = scanner.endOfTag(from: lt + 1)
            }
        }

        /// Copies the start tag at `lt` with only the attributes the generic profile reads (all of them for `<meta>`,
        /// `<link>`, `<base>`). A tag whose attribute list is not plain (`name`, `name=value`, `name="value"`
        /// separated by whitespace) is copied whole: libxml2 must see the attributes it keeps exactly as before.
        private mutating func copyReadAttributes(at lt: Int) {
            let tagEnd = scanner.endOfTag(from: lt + 1)
            i = tagEnd
            let bytes = scanner.bytes
            var nameEnd = lt + 1
            while nameEnd < tagEnd, Byte.isAlphanumeric(bytes[nameEnd]) { nameEnd += 1 }
            if nameEnd - lt - 1 == 4 {
                let name = PackedWord(UnsafeBufferPointer(rebasing: bytes[(lt + 1)..<nameEnd]))
                if ContentStripper.headTags.contains(name) { return }
            }
            guard nameEnd < tagEnd, MarkupScanner.isSpace(bytes[nameEnd]), bytes[tagEnd - 1] == UInt8(ascii: ">")
            else { return }
            guard collectDrops(from: nameEnd, to: tagEnd - 1), let first = drops.first else { return }
            flush(upTo: first.lowerBound)
            var cursor = first.lowerBound
            for drop in drops {
                if drop.lowerBound > cursor { append(cursor..<drop.lowerBound) }
                cursor = drop.upperBound
            }
            append(cursor..<tagEnd)
            copied = tagEnd
        }

        /// The spans of unread attributes found by `collectDrops` (reused from tag to tag).
        private var drops: [Range<Int>] = []

        /// Fills `drops` with the span (from the whitespace before it to the end of its value) of each attribute
        /// in `start..<end` (the bytes between the tag name and `>`) that is not read. False, with `drops` not to
        /// be used, when the list is not plain: a quote or `<` outside a quoted value, an `=` with no name or no
        /// value, or no whitespace between two attributes.
        private mutating func collectDrops(from start: Int, to end: Int) -> Bool {
            drops.removeAll(keepingCapacity: true)
            let bytes = scanner.bytes
            let read = ContentStripper.readAttributes
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
                while i < end {
                    let b = bytes[i]
                    guard
                        Byte.isAlphanumeric(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
                            || b == UInt8(ascii: ":") || b == UInt8(ascii: ".")
                    else { break }
                    i += 1
                }
                guard i > nameStart else { return false }
                let name = PackedWord(UnsafeBufferPointer(rebasing: bytes[nameStart..<i]))
                if i < end, bytes[i] == UInt8(ascii: "=") {
                    i += 1
                    guard i < end else { return false }
                    let quote = bytes[i]
                    if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                        var close = i + 1
                        while close < end, bytes[close] != quote { close += 1 }
                        guard close < end else { return false }
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
                    }
                } else if i < end, !MarkupScanner.isSpace(bytes[i]), bytes[i] != UInt8(ascii: "/") {
                    return false
                }
                if !read.contains(name) { drops.append(wholeStart..<i) }
            }
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

        private func isJSONScript(_ attributes: [(name: [UInt8], value: [UInt8])]) -> Bool {
            guard let type = attributes.first(where: { $0.name.elementsEqual("type".utf8) }) else { return false }
            let value = type.value.map(Byte.lowercase)
            let json = Array("json".utf8)
            guard value.count >= json.count else { return false }
            for start in 0...(value.count - json.count) where value[start..<(start + json.count)].elementsEqual(json) {
                return true
            }
            return false
        }
    }
}
