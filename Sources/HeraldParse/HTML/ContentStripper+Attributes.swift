import HeraldURL

/// What the generic profile's stripper keeps of a start tag's attributes (`readAttributesOnly`): the attributes the
/// profile reads, the `<meta>`s and `<link>`s it reads, their plain values moved to the page's `AttributeTable`.
extension ContentStripper {
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

    /// What becomes of one attribute of a tag being copied.
    enum AttributeAction { case keep, drop, move }
}

extension ContentStripper.Stripper {
    /// Copies the start tag at `lt` with only the attributes the generic profile reads (all of them for the
    /// `<meta>`, `<link>` and `<base>` it reads; the others are dropped whole, see `readsHeadTag`), their plain
    /// values moved to `table` when there is one (not for `<html>`, `<head>`,
    /// `<body>`: libxml2 merges a repeated one into the first). A tag whose attribute list is not plain (`name`,
    /// `name=value`, `name="value"` separated by whitespace) is copied whole: libxml2 must see the attributes it
    /// keeps exactly as before. Of an attribute named twice, the first counts (as in libxml2).
    mutating func copyReadAttributes(at lt: Int) {
        let bytes = scanner.bytes
        var nameEnd = lt + 1
        // The name as libxml2 reads it: custom elements (`<amp-img>`, `<my-widget>`) too, whose attribute lists
        // (AMP's `json`, `rtc-config`) were copied whole.
        while nameEnd < bytes.count, Self.isNameByte(bytes[nameEnd]) { nameEnd += 1 }
        var moves = table != nil
        var keepsAll = false  // a head tag the profile reads: every attribute kept, plain values moved
        let nameLength = nameEnd - lt - 1
        if nameLength == 4 || nameLength == 3 {
            let name = PackedWord(UnsafeBufferPointer(rebasing: bytes[(lt + 1)..<nameEnd]))
            if headTags.contains(name) {
                let tagEnd = scanner.endOfTag(from: lt + 1)
                guard readsHeadTag(lt + 1..<nameEnd, attributes: nameEnd..<tagEnd) else {
                    skip(from: lt, to: tagEnd)
                    return
                }
                keepsAll = true
            }
            if rootTags.contains(name) { moves = false }
        }
        // Reading the attributes finds the tag's end (speed: finding it first, `endOfTag`, was a second scan of
        // every tag); a tag without attributes, or whose list is not plain, is stepped over as a whole.
        guard nameEnd < bytes.count, MarkupScanner.isSpace(bytes[nameEnd]),
            let tagEnd = collectAttributes(from: nameEnd, moves: moves, keepsAll: keepsAll)
        else {
            let endsAfterName = nameEnd < bytes.count && bytes[nameEnd] == UInt8(ascii: ">")
            i = endsAfterName ? nameEnd + 1 : scanner.endOfTag(from: lt + 1)
            return
        }
        i = tagEnd
        guard let first = attributes[..<attributeCount].firstIndex(where: { $0.action != .keep }) else { return }
        let firstChange = attributes[first].whole.lowerBound
        flush(upTo: firstChange)
        var moved = false
        for k in first..<attributeCount {  // by index: a slice of the array retained and released its buffer
            let attribute = attributes[k]
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
        if moved {
            _ = table?.closeElement()
            AttributeTable.appendMarker(to: &out)
        }
        append(attributes[attributeCount - 1].whole.upperBound..<tagEnd)
        copied = tagEnd
    }

    /// Does the generic profile read this `<meta>`, `<link>` or `<base>`? `<link>` only as `rel=canonical` or `next`
    /// (`PageMetadata`) or with an `itemprop` (`Microdata`); `<meta>` only under one of `readMetaKeys`. The others
    /// (stylesheets, preloads, icons, viewport, verification and tracking metas) were a sixth of what reached
    /// libxml2, whose attribute values it reads a character at a time. Kept when unsure (a character reference in
    /// the key).
    func readsHeadTag(_ name: Range<Int>, attributes range: Range<Int>) -> Bool {
        let scanner = scanner  // the closure captures the scanner, not a copy of the stripper (its arrays retained)
        let isLink = scanner.equals(name, "link")
        let isMeta = scanner.equals(name, "meta")
        guard isLink || isMeta else { return true }  // <base>
        var reads = false
        scanner.forEachAttribute(in: range) { attribute, value, _ in
            if scanner.equals(attribute, "itemprop") {
                reads = true
            } else if isLink, scanner.equals(attribute, "rel") {
                reads =
                    scanner.find(UInt8(ascii: "&"), in: value)
                    || scanner.hasToken(
                        in: value, where: { scanner.equals($0, "canonical") || scanner.equals($0, "next") })
            } else if isMeta, scanner.equals(attribute, "property") || scanner.equals(attribute, "name") {
                reads = scanner.find(UInt8(ascii: "&"), in: value) || Self.isReadMetaKey(value, in: scanner)
            }
            return reads
        }
        return reads
    }

    /// Is `range` (a `<meta>`'s key) one of `readMetaKeys`, or anything but one plain word (kept when unsure)?
    static func isReadMetaKey(_ range: Range<Int>, in scanner: MarkupScanner) -> Bool {
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

    /// Letters, digits, `-`, `_`, `:` and `.`: the bytes of a plain attribute name (a bit per byte, as one test).
    @inline(__always)
    static func isNameByte(_ b: UInt8) -> Bool {
        // Bits 0x2D (-), 0x2E (.), 0x30-0x39, 0x3A (:) of the first 64; 0x41-0x5A, 0x5F (_), 0x61-0x7A of the next.
        let low: UInt64 = 0x07FF_6000_0000_0000
        let high: UInt64 = 0x07FF_FFFE_87FF_FFFE
        switch b >> 6 {
        case 0: return (low >> UInt64(b)) & 1 != 0
        case 1: return (high >> UInt64(b & 63)) & 1 != 0
        default: return false
        }
    }

    /// Fills `attributes` (its first `attributeCount`) with each attribute from `start` (just after the tag name) to
    /// the tag's `>`: its name, its value (without quotes), its whole span (from the whitespace before it to the end
    /// of its value) and what to do with it; returns the index past the `>`. Nil, with `attributes` not to be used, when the list is not plain:
    /// a quote or `<` outside a quoted value, an `=` with no name or no value, no whitespace between two attributes,
    /// or no end. The `>` is the one `MarkupScanner.endOfTag` finds: in a plain list the only one outside quotes.
    /// With `keepsAll` (a `<meta>`, `<link>` or `<base>` the profile reads) every name is kept, not only
    /// `readAttributes`.
    mutating func collectAttributes(from start: Int, moves: Bool, keepsAll: Bool) -> Int? {
        attributeCount = 0
        keptCount = 0
        let bytes = scanner.bytes
        let end = bytes.count
        /// The index past the tag's end when `k` is at one: `>`, or `/>` (`<br />`).
        func tagEnd(at k: Int) -> Int? {
            if bytes[k] == UInt8(ascii: ">") { return k + 1 }
            if bytes[k] == UInt8(ascii: "/"), k + 1 < end, bytes[k + 1] == UInt8(ascii: ">") { return k + 2 }
            return nil
        }
        var i = start
        while i < end {
            let wholeStart = i
            guard MarkupScanner.isSpace(bytes[i]) else {
                // Only the end (`>`, `/>`) may follow the last attribute without a space.
                return tagEnd(at: i)
            }
            while i < end, MarkupScanner.isSpace(bytes[i]) { i += 1 }
            if i == end { return nil }
            if bytes[i] == UInt8(ascii: ">") || bytes[i] == UInt8(ascii: "/") { return tagEnd(at: i) }
            let nameStart = i
            // Lowercase letters and `-` first: nearly every attribute name is made of them.
            while i < end, bytes[i] &- 0x61 < 26 || bytes[i] == UInt8(ascii: "-") || Self.isNameByte(bytes[i]) {
                i += 1
            }
            guard i > nameStart else { return nil }
            let nameRange = nameStart..<i
            var valueRange = i..<i
            var hasValue = false
            if i < end, bytes[i] == UInt8(ascii: "=") {
                i += 1
                guard i < end else { return nil }
                let quote = bytes[i]
                if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    guard let close = scanner.find(quote, from: i + 1) else { return nil }
                    valueRange = (i + 1)..<close
                    i = close + 1
                } else {
                    let valueStart = i
                    while i < end, !MarkupScanner.isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">") {
                        let b = bytes[i]
                        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "<")
                            || b == UInt8(ascii: "=") || b == UInt8(ascii: "`")
                        {
                            return nil
                        }
                        i += 1
                    }
                    guard i > valueStart, i < end else { return nil }
                    // An unquoted value ending in `/` right before `>` is ambiguous (`<a href=x/>`): copy whole.
                    if bytes[i] == UInt8(ascii: ">"), bytes[i - 1] == UInt8(ascii: "/") { return nil }
                    valueRange = valueStart..<i
                }
                hasValue = true
            } else if i < end, !MarkupScanner.isSpace(bytes[i]), bytes[i] != UInt8(ascii: "/"),
                bytes[i] != UInt8(ascii: ">")
            {
                return nil
            }
            var action = ContentStripper.AttributeAction.drop
            // A name longer than a PackedWord holds could not be told from another: the tag is copied whole.
            if keepsAll, nameRange.count > 16 { return nil }
            // Names longer than any read attribute are dropped without being packed (`data-…` names often are).
            if keepsAll || nameRange.count <= longestReadAttribute {
                let name = PackedWord(in: bytes, from: nameRange.lowerBound, to: nameRange.upperBound)
                // Of a name given twice libxml2 keeps the first.
                if keepsAll || readAttributes.contains(name), !keptNames[..<keptCount].contains(name) {
                    if keptCount < keptNames.count { keptNames[keptCount] = name } else { keptNames.append(name) }
                    keptCount += 1
                    action =
                        moves && hasValue && Self.isPlain(UnsafeBufferPointer(rebasing: bytes[valueRange]))
                        ? .move : .keep
                }
            }
            let attribute = (name: nameRange, value: valueRange, whole: wholeStart..<i, action: action)
            if attributeCount < attributes.count {
                attributes[attributeCount] = attribute
            } else {
                attributes.append(attribute)
            }
            attributeCount += 1
        }
        return nil  // no end
    }

    /// A value libxml2 stores as it is but for the character references `CharacterReferences` decodes as it does:
    /// no control character (libxml2 turns CR LF into LF), no other reference.
    ///
    /// Eight bytes at a time up to the first control character or `&` (speed: this check was a third of reading a
    /// tag's attributes, a byte at a time).
    @inline(__always)
    static func isPlain(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = value.baseAddress else { return true }
        var k = 0
        while k + 8 <= value.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
            let control = (word &- 0x2020_2020_2020_2020) & ~word
            let ampersand = word ^ 0x2626_2626_2626_2626
            if (control | ((ampersand &- 0x0101_0101_0101_0101) & ~ampersand)) & 0x8080_8080_8080_8080 != 0 { break }
            k += 8
        }
        var ampersand = false
        for byte in UnsafeBufferPointer(rebasing: value[k...]) where byte < 0x20 || byte == UInt8(ascii: "&") {
            if byte < 0x20 { return false }
            ampersand = true
        }
        return !ampersand || CharacterReferences.canDecode(value)
    }
}
