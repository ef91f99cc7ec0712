import CLibXML2

/// Per-element text statistics of a page and the elements the generic extractor prunes, from two walks of the tree.
///
/// 1. Bottom-up (one walk with an exit callback): for every element, its text length (non-space Unicode scalars,
///    CJK counted twice: a Chinese character carries about what two Latin letters do), the part inside links, and its
///    commas (`,`, `，`, `、`). Text is read once, as bytes; nothing is recomputed later.
/// 2. Top-down: which subtrees are furniture. An element is pruned when its tag is never content (`nav`, `aside`,
///    `form`, `footer`…), when its attributes name furniture (`Boilerplate`) unless they also name content and it
///    holds a large share of the page's text (`<div class="content no-sidebar">`), or when it is a list or a box of
///    links (link density over one half).
struct ContentMap {
    struct Stats {
        var text = 0
        var linked = 0
        var commas = 0
        /// Text in direct text-node children (a `<div>` used as a paragraph).
        var ownText = 0
        /// Element children that are blocks (`p`, `div`, lists, tables…).
        var blockChildren = 0

        var linkDensity: Double { text == 0 ? 0 : Double(linked) / Double(text) }

        /// A child element's totals added (one access to the stack's element, not three).
        @inline(__always)
        mutating func add(child: Stats) {
            text += child.text
            linked += child.linked
            commas += child.commas
        }

        /// A direct text node's measure added.
        @inline(__always)
        mutating func add(text length: Int, commas: Int, linked: Bool) {
            text += length
            ownText += length
            self.commas += commas
            if linked { self.linked += length }
        }
    }

    private var stats = NodeTable<Stats>()
    /// Pruned elements (their subtrees are skipped by every later walk and by the cleaner).
    private(set) var pruned = NodeTable<Bool>(capacity: 64)
    /// Text inside pruned subtrees.
    private var prunedText = 0
    let root: Node
    /// Whether attribute words prune (`false`: only tags, hidden elements and link boxes, Readability's retry).
    let strict: Bool
    /// Whether `<noscript>` content counts as text (the last retry: Blogger and some CMS templates put the whole
    /// post in `<noscript>` and render it by script).
    let readsNoscript: Bool
    /// The page has a `<noscript>` element (measured when `readsNoscript` is off; the retry is only worth it then).
    private(set) var hasNoscript = false
    /// Elements whose content is never read.
    let invisibleTags: TagSet

    init(root: Node, strict: Bool = true, readsNoscript: Bool = false) {
        self.root = root
        self.strict = strict
        self.readsNoscript = readsNoscript
        invisibleTags = readsNoscript ? Self.invisible.subtracting([.noscript]) : Self.invisible
        measure()
        stats[root] = stats[root] ?? Stats()
        prune()
    }

    /// The same page measured again with attribute words ignored (stats are reused, not recomputed).
    func relaxed() -> ContentMap {
        var copy = self
        copy.strictOverride = false
        copy.prune()
        return copy
    }

    private var strictOverride: Bool?

    func stats(of node: Node) -> Stats { stats[node] ?? Stats() }

    private func stats(at address: Int) -> Stats { stats[address: address] ?? Stats() }

    /// The page's text outside pruned subtrees (they are disjoint: the walk does not enter a pruned element).
    var unprunedText: Int {
        stats(of: root).text - prunedText
    }

    // MARK: Walk 1: measure

    /// A loop over the libxml2 tree's pointers, the walk's order and its exits written out (speed: the closure walk
    /// built a `Node`, with a retain and a release of its document, per node; measure 26.2 -> 21.5 M instructions on
    /// every 20th corpus file).
    private mutating func measure() {
        var stack: [Stats] = [Stats()]
        stack.reserveCapacity(64)
        var linkDepth = 0
        // Grown as needed: the corpus's pages average under 500 elements, and 2,048 slots were zeroed per map.
        var collected = NodeTable<Stats>(capacity: 512)
        var sawNoscript = false
        let invisibleTags = invisibleTags
        let rootPointer = root.pointer

        /// Leaving an element the walk entered: its totals are final, and its parent's grow by them.
        func exit(_ element: xmlNodePtr) {
            let own = stack.removeLast()
            // An element with no text and no block children reads as `Stats()` whether stored or not (an empty
            // `<img>`, `<br>`, `<input>`): not stored.
            if own.text != 0 || own.blockChildren != 0 { collected[address: Int(bitPattern: element)] = own }
            if Node.tag(of: element) == .a { linkDepth -= 1 }
            stack[stack.count - 1].add(child: own)
        }

        var current = rootPointer.pointee.children
        while let node = current {
            let type = node.pointee.type
            if type == XML_ELEMENT_NODE {
                let tag = Node.tag(of: node)
                if invisibleTags.contains(tag) {
                    if tag == .noscript { sawNoscript = true }
                } else {
                    if tag == .a { linkDepth += 1 }
                    if Self.blockTags.contains(tag) { stack[stack.count - 1].blockChildren += 1 }
                    stack.append(Stats())  // popped by `exit`
                    if let child = node.pointee.children {
                        current = child
                        continue
                    }
                    exit(node)
                }
            } else if type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE, let content = node.pointee.content {
                let (length, commas) = Self.measureText(
                    UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                stack[stack.count - 1].add(text: length, commas: commas, linked: linkDepth > 0)
            }
            // Climb until a node with a next sibling, leaving the elements closed on the way. (`Node.next(after:within:
            // closing:)` climbs the same way, but handing it `exit` boxes the stack that `exit` pops: this walk took
            // twice the time.)
            var climb: xmlNodePtr? = node
            current = nil
            while let up = climb, up != rootPointer {
                if let next = up.pointee.next {
                    current = next
                    break
                }
                climb = up.pointee.parent
                if let parent = climb, parent != rootPointer { exit(parent) }
            }
        }
        collected[root] = stack[0]
        stats = collected
        hasNoscript = sawNoscript
    }

    /// (length, commas) of a text node: non-space scalars, CJK (3-byte and 4-byte sequences) counted twice.
    ///
    /// Eight bytes at a time while they are ASCII with no byte below 0x20 (prose between line breaks): the non-space
    /// bytes are then those above 0x20 and the commas those equal to 0x2C, both counted with a few integer operations
    /// (speed: measureText 15.3 -> 10.9 M instructions on every 20th corpus file). Other bytes go one scalar at a time.
    static func measureText(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        guard let base = bytes.baseAddress else { return (0, 0) }
        var length = 0
        var commas = 0
        var i = 0
        let n = bytes.count
        let high: UInt64 = 0x8080_8080_8080_8080
        while i < n {
            if i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                // ASCII (no high bit), and every byte + 0x60 reaches 0x80 (no byte below 0x20); no carries: b <= 0x7F.
                if word & high == 0, (word &+ 0x6060_6060_6060_6060) & high == high {
                    // b + 0x5F reaches 0x80 when b >= 0x21: not a space.
                    length += Self.countHighBits((word &+ 0x5F5F_5F5F_5F5F_5F5F) & high)
                    // The bytes equal to "," are the zero bytes of word ^ ",,,,,,,,": exact zero-byte test.
                    let x = word ^ 0x2C2C_2C2C_2C2C_2C2C
                    let nonzero = (((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & high
                    commas += 8 - Self.countHighBits(nonzero)
                    i += 8
                    continue
                }
            }
            // One word's worth of bytes a scalar at a time (a line break or a non-ASCII letter in it).
            let stop = min(n, i + 8)
            while i < stop {
                let byte = bytes[i]
                if byte < 0x80 {
                    if !MarkupScanner.isSpace(byte) { length += 1 }
                    if byte == UInt8(ascii: ",") { commas += 1 }
                    i += 1
                } else if byte >= 0xE0 {
                    length += 2
                    // ， (EF BC 8C) and 、 (E3 80 81)
                    if i + 2 < n,
                        byte == 0xEF && bytes[i + 1] == 0xBC && bytes[i + 2] == 0x8C
                            || byte == 0xE3 && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x81
                    {
                        commas += 1
                    }
                    i += byte >= 0xF0 ? 4 : 3
                } else {
                    if byte >= 0xC0 { length += 1 }
                    i += 1
                }
            }
        }
        return (length, commas)
    }

    /// The number of bytes of `bits` with their high bit set (no other bit set): the bits moved to the bytes' low
    /// ends and summed into the top byte by one multiplication (`nonzeroBitCount` is a dozen instructions without
    /// the POPCNT instruction, which the baseline x86-64 target lacks).
    @inline(__always)
    static func countHighBits(_ bits: UInt64) -> Int {
        Int(truncatingIfNeeded: ((bits >> 7) &* 0x0101_0101_0101_0101) >> 56)
    }

    // MARK: Walk 2: prune

    /// A loop over the libxml2 tree's pointers, like `measure`: text nodes cost nothing, and a `Node` is built only
    /// for an element with attributes (measured: prune 14.8 -> 14.7 M instructions on every 20th corpus file; its cost
    /// is in the attribute rules, not the walk).
    private mutating func prune() {
        let total = max(1, stats(of: root).text)
        var pruned = NodeTable<Bool>(capacity: 64)
        var prunedText = 0
        let isStrict = strictOverride ?? strict
        let document = root.document
        let rootPointer = root.pointer

        /// Whether the walk enters `element`; prunes it (and does not enter it) when it is furniture.
        func enters(_ element: xmlNodePtr) -> Bool {
            let tag = Node.tag(of: element)
            if invisibleTags.contains(tag) { return false }
            let address = Int(bitPattern: element)
            // Attributes are read through a `Node`; an element with none has no hidden mark and no furniture word.
            let node = element.pointee.properties == nil ? nil : Node(element, in: document)
            // ASP.NET pages wrap the whole page in one <form>; some templates wrap the article in an <aside>
            // (a "direct content" pane): either holding 30 % of the page's text is the content, not furniture.
            if Self.neverContent.contains(tag)
                && !((tag == .form || tag == .aside) && stats(at: address).text * 10 >= total * 3)
                || node.map(Self.isHidden) == true
            {
                pruned[address: address] = true
                prunedText += stats(at: address).text
                return false
            }
            if tag == .p || tag == .a || Self.inlineTags.contains(tag) {
                // A paragraph or inline element named by a strong furniture word and no content word is a caption,
                // credit, byline or newsletter box written as a <p>/<span> (`media__caption`, `newsletter-teaser`).
                // Screen-reader labels stay: the block rules read them ("Author, " marks a byline).
                if isStrict, tag != .a, let node, node.hasAttribute("class") || node.hasAttribute("id"),
                    !Boilerplate.isScreenReaderLabel(node)
                {
                    let verdict = Boilerplate.verdict(of: node)
                    let stat = stats(at: address)
                    if verdict.furniture == 2, !verdict.content, stat.text * 100 < total * 20 {
                        pruned[address: address] = true
                        prunedText += stat.text
                    }
                }
                return false
            }
            let stat = stats(at: address)
            if isStrict, tag != .body, tag != .html, tag != .main, let node {
                let verdict = Boilerplate.verdict(of: node)
                // The share of the page's text above which a furniture word is not believed.
                let share: Int =
                    switch (verdict.furniture, verdict.content) {
                    case (2, false): 50
                    case (2, true), (1, false): 20
                    case (1, true): 8
                    default: 0
                    }
                if share > 0, stat.text * 100 < total * share {
                    pruned[address: address] = true
                    prunedText += stat.text
                    return false
                }
            }
            if Self.linkBoxes.contains(tag), stat.text > 0, stat.linkDensity > (tag == .table ? 0.8 : 0.5),
                tag == .ul || tag == .ol || tag == .dl || tag == .menu || stat.text * 4 < total
            {
                pruned[address: address] = true
                prunedText += stat.text
                return false
            }
            return true
        }

        var current = rootPointer.pointee.children
        while let node = current {
            if node.pointee.type == XML_ELEMENT_NODE, enters(node), let child = node.pointee.children {
                current = child
                continue
            }
            current = Node.next(after: node, within: rootPointer)
        }
        self.pruned = pruned
        self.prunedText = prunedText
    }

    /// `hidden`, `aria-hidden="true"` or `display:none` in `style`, read in one walk of the attributes (three
    /// lookups by name per element before).
    static func isHidden(_ node: Node) -> Bool {
        var hidden = false
        node.forEachAttributeValue { name, value in
            guard !hidden else { return }
            switch name.count {
            case 5:
                // The first byte tested before the generic compare (speed: most 5-byte names are `class`).
                hidden =
                    name[0] == UInt8(ascii: "s") && name.elementsEqual("style".utf8)
                    && (Boilerplate.contains(value, Self.displayNone)
                        || Boilerplate.contains(value, Self.displayNoneSpaced))
            case 6, 11: hidden = isHiddenMark(name: name, value: value)
            default: break
            }
        }
        return hidden
    }

    /// Is this attribute `hidden` or `aria-hidden="true"`?
    @inline(__always)
    static func isHiddenMark(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool {
        name.count == 6 && name[0] == UInt8(ascii: "h") && name.elementsEqual("hidden".utf8)
            || name.count == 11 && name[0] == UInt8(ascii: "a") && name.elementsEqual("aria-hidden".utf8)
                && value.elementsEqual("true".utf8)
    }

    private static let displayNone = Array("display:none".utf8)
    private static let displayNoneSpaced = Array("display: none".utf8)

    /// Never read as text: also ruby annotations (`<rt>`, `<rp>`: the furigana over Japanese kanji, the pinyin over
    /// Chinese characters), which a reader sees above the text, not in it.
    static let invisible: TagSet = [.script, .style, .template, .noscript, .head, .svg, .math, .rt, .rp]
    static let neverContent: TagSet = [
        .nav, .aside, .form, .button, .select, .input, .textarea, .iframe, .object, .embed, .canvas, .audio, .video,
        .dialog, .menu, .footer, .label, .fieldset,
    ]
    static let inlineTags: TagSet = [
        .b, .strong, .em, .i, .u, .s, .span, .code, .sub, .sup, .small, .mark, .q, .time, .del, .ins, .img, .br, .wbr,
    ]
    static let blockTags: TagSet = [
        .p, .div, .section, .article, .ul, .ol, .dl, .table, .pre, .blockquote, .h1, .h2, .h3, .h4, .h5, .h6,
        .figure, .main, .header, .footer, .li, .tr, .form,
    ]
    private static let linkBoxes: TagSet = [.ul, .ol, .dl, .menu, .div, .section, .table, .tbody, .header]
}
