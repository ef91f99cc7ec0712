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
        var linkDepthStack: [Node] = []
        paragraph.walk(
            { node in
                if node.tag == .a { linkDepthStack.append(node) }
                if node.isText {
                    let count = scalarCount(node.ownTextBytes)
                    length += count
                    if !linkDepthStack.isEmpty { linked += count }
                }
                return .continue
            },
            exit: { node in
                if node.tag == .a, !linkDepthStack.isEmpty { linkDepthStack.removeLast() }
            })
        return (length, linked)
    }

    /// Non-whitespace scalars: UTF-8 bytes that start a scalar, minus ASCII whitespace.
    private static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 && !MarkupScanner.isSpace(byte) { count += 1 }
        return count
    }
}
