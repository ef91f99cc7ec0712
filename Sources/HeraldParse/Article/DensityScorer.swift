/// Finds the element holding an article's text on pages with no known markup (readability's idea, reduced):
/// every paragraph scores its text length minus its link text, credited in full to its parent and half to its
/// grandparent; the best-scoring element wins. Navigation, asides, forms and page furniture are not counted.
enum DensityScorer {
    /// Paragraphs shorter than this (in Unicode scalars) are captions, bylines or buttons, not body text.
    static let minimumParagraphLength = 10

    static func bestContainer(in root: Node) -> Node? {
        var scores: [Node: Int] = [:]
        root.walk { node in
            guard node.isElement else { return .skipChildren }
            let tag = node.tag
            if ignored.contains(tag) || Furniture.looksLikeFurniture(node, tag: tag) && tag != .body && tag != .article
            {
                return .skipChildren
            }
            guard tag == .p || tag == .pre else { return .continue }
            let (length, linked) = textLengths(of: node)
            guard length >= minimumParagraphLength else { return .skipChildren }
            let score = length - linked
            if let parent = node.parent {
                scores[parent, default: 0] += score * 2
                if let grandparent = parent.parent { scores[grandparent, default: 0] += score }
            }
            return .skipChildren
        }
        return scores.max { a, b in a.value < b.value }?.key
    }

    /// Total length of paragraph text (minus links) under `node`.
    static func paragraphTextLength(in node: Node) -> Int {
        var total = 0
        node.walk { child in
            guard child.isElement else { return .skipChildren }
            if ignored.contains(child.tag) { return .skipChildren }
            guard child.tag == .p || child.tag == .pre else { return .continue }
            let (length, linked) = textLengths(of: child)
            if length >= minimumParagraphLength { total += length - linked }
            return .skipChildren
        }
        return total
    }

    private static let ignored: TagSet = [
        .script, .style, .nav, .aside, .form, .noscript, .template, .button, .select, .header, .footer, .menu,
    ]

    /// (all text, text inside links) of a paragraph, in Unicode scalars (so CJK and Latin text weigh alike).
    private static func textLengths(of paragraph: Node) -> (Int, Int) {
        var length = 0
        var linked = 0
        // How many links the walk is in (speed: a stack of their nodes, of which only the emptiness was read).
        var linkDepth = 0
        paragraph.walk(
            { node in
                if node.tag == .a { linkDepth += 1 }
                if node.isText {
                    let count = scalarCount(node.ownTextBytes)
                    length += count
                    if linkDepth > 0 { linked += count }
                }
                return .continue
            },
            exit: { node in
                if node.tag == .a, linkDepth > 0 { linkDepth -= 1 }
            })
        return (length, linked)
    }

    /// Non-whitespace scalars: UTF-8 bytes that start a scalar, minus ASCII whitespace.
    ///
    /// Eight bytes at a time (speed: a byte at a time, this was most of the time spent choosing the page's main
    /// `<article>`): the continuation bytes (10xxxxxx) and the whitespace bytes are masked and counted together.
    static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0
        var i = 0
        while i + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            count += 8 - ContentMap.countHighBits(continuationBytes(word) | whitespaceBytes(word))
            i += 8
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte & 0xC0 != 0x80 && !MarkupScanner.isSpace(byte) { count += 1 }
            i += 1
        }
        return count
    }

    private static let high: UInt64 = 0x8080_8080_8080_8080
    private static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// The high bit of each byte of `word` that is 10xxxxxx (bit 6 moved up under bit 7; what crosses into the next
    /// byte lands on its bit 0, outside the mask).
    @inline(__always)
    private static func continuationBytes(_ word: UInt64) -> UInt64 {
        word & ~(word << 1) & high
    }

    /// The high bit of each byte of `word` that is a space, tab, line feed, form feed or carriage return
    /// (`MarkupScanner.isSpace`). Exact: the bytes up to 0x20 are found first (sums of the low seven bits, which carry
    /// into no other byte), and when they are all spaces the other four tests are skipped.
    @inline(__always)
    private static func whitespaceBytes(_ word: UInt64) -> UInt64 {
        let upTo20 = ~((word & low7) &+ 0x5F5F_5F5F_5F5F_5F5F) & ~word & high
        let spaces = zeroBytes(word ^ 0x2020_2020_2020_2020)
        guard upTo20 != spaces else { return spaces }
        return spaces | zeroBytes(word ^ 0x0909_0909_0909_0909) | zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0A)
            | zeroBytes(word ^ 0x0C0C_0C0C_0C0C_0C0C) | zeroBytes(word ^ 0x0D0D_0D0D_0D0D_0D0D)
    }

    /// The high bit of each zero byte of `x` (exact: the low seven bits are added without carrying into the next byte).
    @inline(__always)
    private static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~(((x & low7) &+ low7) | x) & high
    }
}
