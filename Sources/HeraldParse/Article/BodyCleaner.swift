import HeraldURL

/// Turns an article's body container into clean HTML and plain text, in one pass over the tree.
///
/// HTML (the export's line-5 body, README "Export"):
/// - kept elements lose every attribute except `href` on `<a>` (made absolute) and `src`/`alt` on `<img>`;
/// - other containers are unwrapped (their content stays);
/// - scripts, styles, SVG, forms, buttons, iframes, nav, aside, templates… are dropped with their content, and so
///   are the profile's own noise (RFI's `.m-interstitial` ad) and a custom profile's `remove` nodes;
/// - RFI's `.o-self-promo` blocks become the empty markers `<div data-selfpromo-newsletter></div>` /
///   `<div data-selfpromo-app></div>`, in place, as the seed format has them;
/// - whitespace-only text nodes are dropped (one space is kept between two inline siblings inside a text block, so
///   `<b>a</b> <em>b</em>` does not become "ab"), other text is kept verbatim and escaped (`HTMLEscape`);
/// - elements are joined with no whitespace.
///
/// Text (README "Body text rule"): the blocks are `p`, `h1`–`h6`, `li`, `pre`, `figcaption`, `dt`, `dd`, table cells;
/// a block's text is all its descendant text, normalised with rule N; empty blocks are dropped; blocks are joined
/// with `\n`. Text outside any block (loose text in a `div`) forms a block of its own at the next block boundary, so
/// nothing is lost on pages that do not use `<p>`. A `<br>` counts as a space.
struct BodyCleaner {
    struct Options {
        /// Base for relative `href`/`src`.
        var baseURL: String?
        /// Emit RFI's self-promo markers (else self-promo blocks are dropped like other noise).
        var selfPromoMarkers = true
        /// Drop elements whose class or id looks like page furniture (share bars, related links, ads…): for the
        /// generic profile, whose body container is a guess.
        var dropFurniture = false
        /// Classes whose elements are dropped with their content.
        var dropClasses: [String] = ["m-interstitial"]
        /// Nodes dropped with their content (a custom profile's `remove` expressions, the generic profile's furniture).
        var removed: Set<Node> = []
        /// The generic profile's furniture (`ContentMap`), dropped with its content.
        var pruned: NodeTable<Bool>?
        /// The generic profile's block rules: labels ("Advertisement", caption and credit prefixes, byline labels),
        /// a block repeating an earlier one, and a block equal to one of `droppedBlocks` (the headline) are dropped;
        /// `figure` and `figcaption` (captions, credits) go with their content.
        var genericBlockRules = false
        /// Normalised block texts dropped wherever they occur (the headline, for `genericBlockRules`).
        var droppedBlocks: Set<String> = []
        /// Read `<noscript>` content like any container (the generic profile's last retry, `ContentMap.readsNoscript`).
        var readsNoscript = false
    }

    let options: Options

    func clean(_ container: Node) -> (html: String, text: String) {
        clean([container])
    }

    /// Several containers in order (the generic profile's main block and the siblings that belong to it), as one body.
    func clean(_ containers: [Node]) -> (html: String, text: String) {
        var state = State()
        state.genericRules = options.genericBlockRules
        state.droppedBlocks = options.droppedBlocks.map { Array($0.utf8) }
        state.droppedStrings = options.droppedBlocks
        for container in containers {
            if options.genericBlockRules, container.isElement, container.tag != .body {
                // A sibling paragraph taken with the main block: keep its own element.
                if case .keep = treatment(of: container, tag: container.tag) {
                    if visit(container, &state) == .continue {
                        container.walk({ node in visit(node, &state) }, exit: { node in leave(node, &state) })
                        leave(container, &state)
                    }
                    continue
                }
            }
            container.walk({ node in visit(node, &state) }, exit: { node in leave(node, &state) })
            state.flushBlock()
        }
        state.flushBlock()
        if let cut = state.cut {
            // Everything from the end marker on goes; the elements open there are closed.
            state.html.removeSubrange(cut.html...)
            for tag in cut.open.reversed() { state.closeTag(tag) }
        }
        return (String(decoding: state.html, as: UTF8.self), state.text())
    }

    // MARK: Decisions

    private enum Treatment {
        case keep, unwrap, drop
        case marker(String)
    }

    private static let kept: TagSet = [
        .p, .h1, .h2, .h3, .h4, .h5, .h6, .strong, .b, .em, .i, .a, .img, .ul, .ol, .li, .blockquote, .figure,
        .figcaption, .br, .pre, .code, .table, .thead, .tbody, .tfoot, .tr, .th, .td, .caption, .sub, .sup, .dl, .dt,
        .dd, .q,
    ]

    private static let dropped: TagSet = [
        .script, .style, .svg, .math, .template, .noscript, .iframe, .frame, .frameset, .form, .button, .input,
        .select, .option, .optgroup, .textarea, .label, .fieldset, .legend, .nav, .aside, .object, .embed, .canvas,
        .audio, .video, .source, .dialog, .menu, .head, .title, .meta, .link, .base, .rt, .rp,
    ]

    /// Blocks of the text rule; text between them forms anonymous blocks.
    private static let textBlocks: TagSet = [
        .p, .h1, .h2, .h3, .h4, .h5, .h6, .li, .pre, .figcaption, .dt, .dd, .td, .th, .caption,
    ]

    /// Inline elements never split a block's text.
    private static let inline: TagSet = [
        .a, .b, .strong, .em, .i, .u, .s, .span, .code, .sub, .sup, .small, .mark, .q, .time, .del, .ins, .img, .br,
        .wbr, .label, .other,
    ]

    private static let void: TagSet = [.img, .br, .wbr, .hr]
    /// Each tag's name as UTF-8 bytes, by `Tag.index`.
    fileprivate static let tagNames: [[UInt8]] = Tag.allCases.map { Array($0.rawValue.utf8) }
    private static let headings: TagSet = [.h1, .h2, .h3, .h4, .h5, .h6]

    private func treatment(of node: Node, tag: Tag) -> Treatment {
        if Self.dropped.contains(tag) { return tag == .noscript && options.readsNoscript ? .unwrap : .drop }
        if !options.removed.isEmpty, options.removed.contains(node) { return .drop }
        if let pruned = options.pruned, pruned.contains(node) { return .drop }
        if options.genericBlockRules {
            // The generic profile knows no site's classes; its furniture is in `removed`.
        } else if node.hasAttribute("class") {
            if node.hasClass("o-self-promo") || tag == .div && hasSelfPromoAttribute(node) {
                guard options.selfPromoMarkers, let marker = selfPromoMarker(node) else { return .drop }
                return .marker(marker)
            }
            for name in options.dropClasses where node.hasClass(name) { return .drop }
        } else if tag == .div, hasSelfPromoAttribute(node) {
            guard options.selfPromoMarkers, let marker = selfPromoMarker(node) else { return .drop }
            return .marker(marker)
        }
        if options.dropFurniture, Furniture.looksLikeFurniture(node, tag: tag) { return .drop }
        if options.genericBlockRules, tag == .figure || tag == .figcaption || tag == .footer {
            return .drop
        }
        return Self.kept.contains(tag) ? .keep : .unwrap
    }

    private func hasSelfPromoAttribute(_ node: Node) -> Bool { selfPromoMarker(node) != nil }

    /// The `data-selfpromo-*` attribute naming the block (`data-selfpromo-newsletter`, `data-selfpromo-app`).
    private func selfPromoMarker(_ node: Node) -> String? {
        node.attributeNames.first { $0.hasPrefix("data-selfpromo-") }
    }

    // MARK: Walk

    private struct State {
        var html: [UInt8] = []
        var blocks: [[UInt8]] = []
        var current: [UInt8] = []
        /// Depth of explicit text blocks we are inside.
        var blockDepth = 0
        /// Generic block rules (see `Options.genericBlockRules`).
        var genericRules = false
        /// `Options.droppedBlocks` as bytes (a block is compared with each; there are a handful).
        var droppedBlocks: [[UInt8]] = []
        var droppedStrings: Set<String> = []
        /// How each element entered with `.continue` was treated, popped by `leave` (the treatment and the link's
        /// resolution were computed twice per element): `Entered`.
        var entered: [Entered] = []
        /// FNV-1a hashes of the blocks kept (hashing `[UInt8]` through `Hasher` costs a call per byte).
        var seenBlocks = HashSet()
        /// Where the HTML of the explicit text block being read starts, to take it back if the block is dropped.
        var blockHTMLStart: Int?
        /// The block being read is a `<p>`, a heading.
        var blockIsParagraph = false
        var blockIsHeading = false
        /// Elements open in `html` (generic rules only), to close them where the text is cut.
        var openTags: [Tag] = []
        /// Where an end marker ("Related articles", "Leave a comment") cut the text: the HTML offset of its block
        /// and the elements open there. Every later block is dropped.
        var cut: (html: Int, open: [Tag])?
        /// Bytes of text kept so far (an end marker only counts after some text).
        var keptBytes = 0

        mutating func flushBlock() {
            let normalized = genericRules ? Joins.normalize(current) : Normalize.whitespace(bytes: current)
            current.removeAll(keepingCapacity: true)
            if genericRules, !normalized.isEmpty {
                if cut == nil, keptBytes >= 400, blockDepth == 0, normalized.count <= 120,
                    blockIsHeading || blockHTMLStart == nil,
                    Boilerplate.isEndMarker(bytes: normalized)
                {
                    cut = (blockHTMLStart ?? html.count, openTags)
                }
                if cut != nil || dropsBlock(normalized) {
                    if blockDepth == 0, let start = blockHTMLStart, start <= html.count {
                        html.removeSubrange(start...)
                    }
                    blockIsParagraph = false
                    blockIsHeading = false
                    blockHTMLStart = nil
                    return
                }
                keptBytes += normalized.count
            }
            blockHTMLStart = nil
            blockIsParagraph = false
            blockIsHeading = false
            if !normalized.isEmpty { blocks.append(normalized) }
        }

        /// A label, the headline again, or a block already kept (menus and pull quotes repeat text; short blocks
        /// such as "1." or a table's repeated cell values may repeat legitimately).
        private mutating func dropsBlock(_ block: [UInt8]) -> Bool {
            if block.count <= 360 {
                if Boilerplate.isLabel(bytes: block) || droppedBlocks.contains(block) { return true }
                // Strings compare by canonical equivalence (a headline in JSON-LD may spell "é" decomposed): the
                // byte compare above decides ASCII blocks; others of a headline's length are compared as Strings.
                // Compared with `==` rather than looked up in the set (speed: hashing a String normalises all of it;
                // `==` stops at the first difference).
                if !droppedBlocks.isEmpty, block.contains(where: { $0 >= 0x80 }),
                    droppedBlocks.contains(where: { block.count <= 3 * $0.count && $0.count <= 3 * block.count })
                {
                    let string = String(decoding: block, as: UTF8.self)
                    if droppedStrings.contains(where: { $0 == string }) { return true }
                }
            }
            // A paragraph may repeat a sentence of the story; other blocks that repeat are layout (pull quotes,
            // teasers, a menu twice).
            let hash = Self.fnv1a(block)
            if blockIsParagraph {
                _ = seenBlocks.insert(hash)
            } else if block.count >= 24, !seenBlocks.insert(hash) {
                return true
            }
            return false
        }

        /// A set of 64-bit hashes, open addressing on the hash's own bits (speed: `Set<UInt64>` hashed each hash again
        /// with SipHash, most of the cost of remembering a block).
        struct HashSet {
            private var slots = [UInt64](repeating: 0, count: 256)
            private var count = 0

            /// Inserts `hash`; whether it was absent. 0 marks an empty slot and stands for itself as 1: one more pair
            /// of hashes taken as equal, as any two blocks with one FNV-1a hash are.
            mutating func insert(_ hash: UInt64) -> Bool {
                let key = hash == 0 ? 1 : hash
                let mask = slots.count - 1
                var i = Int(truncatingIfNeeded: key >> 40) & mask
                while slots[i] != 0 {
                    if slots[i] == key { return false }
                    i = (i + 1) & mask
                }
                slots[i] = key
                count += 1
                if count * 2 > slots.count { grow() }
                return true
            }

            private mutating func grow() {
                let old = slots
                slots = [UInt64](repeating: 0, count: old.count * 2)
                count = 0
                for key in old where key != 0 { _ = insert(key) }
            }
        }

        /// FNV-1a over eight bytes at a time, then the rest a byte at a time (speed: a multiplication per byte over
        /// every kept block). Only compared with the hashes of other blocks, so which 64-bit hash does not matter.
        static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            bytes.withUnsafeBufferPointer { buffer in
                var i = 0
                if let base = buffer.baseAddress {
                    while i + 8 <= buffer.count {
                        hash ^= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                        hash = hash &* 0x100_0000_01b3
                        i += 8
                    }
                }
                while i < buffer.count {
                    hash ^= UInt64(buffer[i])
                    hash = hash &* 0x100_0000_01b3
                    i += 1
                }
            }
            return hash
        }

        func text() -> String {
            var out = [UInt8]()
            for (i, block) in blocks.enumerated() {
                if i > 0 { out.append(0x0A) }
                out += block
            }
            return String(decoding: out, as: UTF8.self)
        }

        /// Tags written from `BodyCleaner.tagNames` (speed: each was a `String`, compared with "img" and "br" and
        /// appended through its UTF-8 view).
        mutating func open(_ tag: Tag) {
            if genericRules, tag != .img, tag != .br { openTags.append(tag) }
            html.append(UInt8(ascii: "<"))
            html.append(contentsOf: BodyCleaner.tagNames[tag.index])
        }

        mutating func closeTag(_ tag: Tag) {
            html.append(UInt8(ascii: "<"))
            html.append(UInt8(ascii: "/"))
            html.append(contentsOf: BodyCleaner.tagNames[tag.index])
            html.append(UInt8(ascii: ">"))
        }
    }

    /// How `visit` treated an element it entered (`leave` acts on it).
    private enum Entered {
        case unwrapped, kept, keptLink, keptUnlinked
    }

    private func visit(_ node: Node, _ state: inout State) -> Node.WalkAction {
        if node.isText {
            let bytes = node.ownTextBytes
            state.current.append(contentsOf: bytes)
            if bytes.contains(where: { !MarkupScanner.isSpace($0) }) {
                HTMLEscape.appendText(bytes, to: &state.html)
            } else if state.blockDepth > 0, isInline(node.previousSibling), isInline(node.nextSibling) {
                state.html.append(0x20)
            }
            return .continue
        }
        guard node.isElement else { return .skipChildren }  // comments, processing instructions
        let tag = node.tag
        switch treatment(of: node, tag: tag) {
        case .drop:
            return .skipChildren
        case let .marker(name):
            boundary(tag: .div, &state)
            state.html.append(contentsOf: "<div ".utf8)
            state.html.append(contentsOf: name.utf8)
            state.html.append(contentsOf: "></div>".utf8)
            return .skipChildren
        case .unwrap:
            boundary(tag: tag, &state)
            state.entered.append(.unwrapped)
            return .continue
        case .keep:
            boundary(tag: tag, &state)
            if Self.textBlocks.contains(tag) {
                if state.blockDepth == 0 {
                    state.blockHTMLStart = state.html.count
                    state.blockIsParagraph = tag == .p
                    state.blockIsHeading = Self.headings.contains(tag)
                }
                state.blockDepth += 1
            }
            var entered = Entered.kept
            switch tag {
            case .a:
                if let href = node.attribute("href").flatMap({ LinkResolver.absolute($0, base: options.baseURL) }) {
                    state.open(.a)
                    state.html.append(contentsOf: " href=\"".utf8)
                    HTMLEscape.appendAttribute(href, to: &state.html)
                    state.html.append(contentsOf: "\">".utf8)
                    entered = .keptLink
                } else {
                    entered = .keptUnlinked
                }
            case .img:
                guard let src = imageSource(node) else { return .skipChildren }
                state.open(.img)
                state.html.append(contentsOf: " src=\"".utf8)
                HTMLEscape.appendAttribute(src, to: &state.html)
                state.html.append(UInt8(ascii: "\""))
                if let alt = node.attribute("alt") {
                    state.html.append(contentsOf: " alt=\"".utf8)
                    HTMLEscape.appendAttribute(alt, to: &state.html)
                    state.html.append(UInt8(ascii: "\""))
                }
                state.html.append(UInt8(ascii: ">"))
            case .br:
                if state.genericRules {
                    state.flushBlock()  // a line break: the text goes on on a new line, with no invented space
                } else {
                    state.current.append(0x20)
                }
                state.html.append(contentsOf: "<br>".utf8)
            default:
                state.open(tag)
                state.html.append(UInt8(ascii: ">"))
            }
            state.entered.append(entered)
            return .continue
        }
    }

    private func leave(_ node: Node, _ state: inout State) {
        let tag = node.tag
        let entered = state.entered.popLast() ?? .unwrapped
        switch entered {
        case .unwrapped:
            boundary(tag: tag, &state)
            return
        case .keptLink:
            state.html.append(contentsOf: "</a>".utf8)
            if state.genericRules, !state.openTags.isEmpty { state.openTags.removeLast() }
        case .keptUnlinked:
            break
        case .kept:
            if !Self.void.contains(tag) {
                state.closeTag(tag)
                if state.genericRules, !state.openTags.isEmpty { state.openTags.removeLast() }
            }
        }
        if Self.textBlocks.contains(tag) {
            state.blockDepth -= 1
            state.flushBlock()
        } else {
            boundary(tag: tag, &state)
        }
    }

    /// Entering or leaving an element: a text block starts or ends there unless it is inline, or a non-block element
    /// inside an explicit block.
    private func boundary(tag: Tag, _ state: inout State) {
        if Self.textBlocks.contains(tag) {
            state.flushBlock()
        } else if state.blockDepth == 0, !Self.inline.contains(tag) {
            state.flushBlock()
        }
    }

    /// A text node, or an element that does not break a line.
    private func isInline(_ node: Node?) -> Bool {
        guard let node else { return false }
        return node.isText || node.isElement && Self.inline.contains(node.tag)
    }

    /// `src` made absolute; a lazy-loading placeholder (`data:` URI or none) yields to `data-src`/`data-original`.
    private func imageSource(_ node: Node) -> String? {
        for attribute in ["src", "data-src", "data-original", "data-lazy-src"] {
            guard let value = node.attribute(attribute), !value.lowercased().hasPrefix("data:"),
                let absolute = LinkResolver.absolute(value, base: options.baseURL),
                absolute.hasPrefix("http")
            else { continue }
            return absolute
        }
        return nil
    }
}

/// Page furniture by class or id, for bodies found by text density (the generic profile).
enum Furniture {
    private static let fragments = [
        "share", "social", "related", "comment", "newsletter", "promo", "advert", "sponsor", "breadcrumb",
        "pagination", "sidebar", "interstitial", "subscribe", "cookie", "popup", "outbrain", "taboola", "byline",
    ]

    static func looksLikeFurniture(_ node: Node, tag: Tag) -> Bool {
        if tag == .header || tag == .footer { return true }
        let wordsRead: Bool
        switch tag {
        case .p, .h1, .h2, .h3, .h4, .h5, .h6, .li, .blockquote, .pre, .a, .strong, .em, .b, .i, .img: wordsRead = false
        default: wordsRead = true
        }
        // One walk of the attributes for the hidden marks and the class and id (four lookups by name before).
        var hidden = false
        var classValue: String?
        var idValue: String?
        node.forEachAttributeValue { name, value in
            switch name.count {
            case 6, 11: if ContentMap.isHiddenMark(name: name, value: value) { hidden = true }
            case 5:
                if wordsRead, classValue == nil, name.elementsEqual("class".utf8) {
                    classValue = String(decoding: value, as: UTF8.self)
                }
            case 2:
                if wordsRead, idValue == nil, name.elementsEqual("id".utf8) {
                    idValue = String(decoding: value, as: UTF8.self)
                }
            default: break
            }
        }
        if hidden { return true }
        guard wordsRead else { return false }
        let words = [classValue, idValue].compactMap { $0 }
            .flatMap { $0.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) }
        return words.contains { word in
            word == "ad" || word == "ads" || word.hasPrefix("ad-") || word.hasSuffix("-ad") || word.contains("-ad-")
                || fragments.contains { word.contains($0) }
        }
    }
}
