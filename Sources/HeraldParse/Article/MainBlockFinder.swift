/// Where a page's article text is, in one top-down walk over a `ContentMap`.
///
/// 1. A container the page names as its content (`ContentContainer`: `entry-content`, `article-body`,
///    `itemprop=articleBody`…, else the first `<article>`), when it holds at least a tenth of what step 2 finds
///    (trafilatura's first rule: CMS templates name their text's element).
/// 2. Otherwise Readability's candidate scoring: every paragraph-like element outside pruned furniture (`p`, `pre`,
///    `td`, `blockquote`, `dd`, `li`, or a `div` holding text and no blocks) of at least 25 (weighted) characters
///    scores 1 + its commas + one point per 100 characters (at most 3), credited in full to its parent, half to its
///    grandparent and a third or less further up (five levels). An ancestor's total is adjusted by its tag (`div` +5,
///    `pre`/`td`/`blockquote` +3, lists and forms −3, headings −5) and its attributes (content words +25, furniture
///    words −25), then scaled by one minus its link density. The best ancestor, raised while its parents add no
///    paragraph text, is the main block; its siblings join it when they score at least a fifth of it (or 10), when
///    they are paragraphs of real text (over 80 characters, under a quarter links), or when they are subheads, lists
///    or tables directly before a sibling that joined.
struct MainBlockFinder {
    let map: ContentMap

    static let minimumParagraph = 25
    static let climbGrowth = 1.0
    /// The share of the scored block's paragraph text a named content container must hold to be taken instead.
    static let namedContainerShare = 0.1

    struct Result {
        /// The main block, then the siblings that belong to it, in document order.
        var containers: [Node]
        var top: Node?
        var topScore: Double
    }

    func find() -> Result {
        // Candidates in the order they were first credited (ties go to the first: a dictionary's order changed
        // from run to run), with their index in `raw` by node.
        var candidates: [Node] = []
        var raw: [Double] = []
        // Small to start with (they grow): zeroing 512 and 1,024 slots per page cost more than the lookups.
        var slot = NodeTable<Int>(capacity: 64)
        var paragraphText = NodeTable<Int>(capacity: 128)
        let pruned = map.pruned
        var namedContainer: Node?
        var firstArticle: Node?
        map.root.walk { node in
            guard node.isElement else { return .skipChildren }
            if pruned.contains(node) || map.invisibleTags.contains(node.tag) { return .skipChildren }
            let tag = node.tag
            if tag == .div || tag == .article || tag == .section || tag == .main {
                if namedContainer == nil, ContentContainer.isNamed(node) { namedContainer = node }
                if firstArticle == nil, tag == .article { firstArticle = node }
            }
            guard isParagraphLike(node) else { return .continue }
            let stat = map.stats(of: node)
            guard stat.text >= Self.minimumParagraph else { return .skipChildren }
            let score = 1 + Double(stat.commas) + min(Double(stat.text) / 100, 3)
            var ancestor = node.parent
            var level = 0
            while let current = ancestor {
                if level < 5 {
                    let divider: Double = level == 0 ? 1 : level == 1 ? 2 : Double(level * 3)
                    if let k = slot[current] {
                        raw[k] += score / divider
                    } else {
                        slot[current] = raw.count
                        candidates.append(current)
                        raw.append(score / divider)
                    }
                }
                paragraphText[current] = (paragraphText[current] ?? 0) + stat.text - stat.linked
                if current == map.root { break }
                ancestor = current.parent
                level += 1
            }
            return node.tag == .li || node.tag == .td || node.tag == .div ? .continue : .skipChildren
        }
        var best: (node: Node, score: Double)?
        var scores = NodeTable<Double>(capacity: raw.count)
        for (node, value) in zip(candidates, raw) {
            let score = (value + weight(of: node)) * (1 - map.stats(of: node).linkDensity)
            scores[node] = score
            if best == nil || score > best!.score { best = (node, score) }
        }
        guard let top = best else { return Result(containers: [map.root], top: nil, topScore: 0) }
        let main = climb(from: top.node, paragraphText: paragraphText)
        if let named = namedContainer ?? firstArticle,
            Double(paragraphText[named] ?? 0) >= Double(paragraphText[main] ?? 0) * Self.namedContainerShare
        {
            // The page names its content container (trafilatura's first rule, or its first <article>): unless it holds
            // almost none of the text the scoring found, it is the better boundary (it keeps the lead, subheads and
            // lists the scored block left outside; measured: F +0.007 on the corpus).
            return Result(containers: [named], top: named, topScore: top.score)
        }
        return Result(
            containers: siblings(of: main, score: scores[main] ?? top.score, scores: scores), top: main,
            topScore: top.score)
    }

    /// Subheads and wrappers often sit one or two levels above the paragraphs' container: climb while an ancestor adds
    /// no paragraph text (`climbGrowth` 1.0: measured on the corpus, 1.3 let in as much furniture as text it found)
    /// and is not a box of links.
    private func climb(from top: Node, paragraphText: NodeTable<Int>) -> Node {
        var current = top
        while let parent = current.parent, parent != map.root, parent.tag != .body {
            let own = paragraphText[current] ?? 0
            let bigger = paragraphText[parent] ?? 0
            guard Double(bigger) <= Double(own) * Self.climbGrowth, map.stats(of: parent).linkDensity < 0.35 else {
                break
            }
            current = parent
        }
        return current
    }

    private func isParagraphLike(_ node: Node) -> Bool {
        switch node.tag {
        case .p, .pre, .td, .blockquote, .dd, .li: return true
        case .div, .section, .span, .other:
            let stat = map.stats(of: node)
            return stat.blockChildren == 0 && stat.ownText >= Self.minimumParagraph
        default: return false
        }
    }

    private func weight(of node: Node) -> Double {
        var weight: Double
        switch node.tag {
        case .div, .article, .main, .section: weight = 5
        case .pre, .td, .blockquote: weight = 3
        case .ol, .ul, .dl, .dd, .dt, .li, .form: weight = -3
        case .h1, .h2, .h3, .h4, .h5, .h6, .th: weight = -5
        default: weight = 0
        }
        let verdict = Boilerplate.verdict(of: node)
        if verdict.content { weight += 25 }
        if verdict.furniture > 0 { weight -= 25 }
        return weight
    }

    private func siblings(of top: Node, score: Double, scores: NodeTable<Double>) -> [Node] {
        guard let parent = top.parent, top != map.root else { return [top] }
        let threshold = max(10, score * 0.2)
        let topClass = top.attribute("class")
        let children = parent.elementChildren.filter { !map.pruned.contains($0) }
        var joined = [Bool](repeating: false, count: children.count)
        for (i, child) in children.enumerated() {
            if child == top {
                joined[i] = true
                continue
            }
            var sibling = scores[child] ?? 0
            if let topClass, !topClass.isEmpty, child.attribute("class") == topClass { sibling += score * 0.2 }
            if sibling >= threshold {
                joined[i] = true
            } else if child.tag == .p || isParagraphLike(child) || Self.textContainers.contains(child.tag) {
                let stat = map.stats(of: child)
                if stat.text > 80, stat.linkDensity < 0.25 {
                    joined[i] = true
                } else if stat.text > 0, stat.text <= 80, stat.linked == 0, child.tag == .p {
                    let text = child.text
                    joined[i] = text.contains(". ") || text.hasSuffix(".") || text.hasSuffix("。")
                }
            }
        }
        // Subheads, lists and tables directly before a joined sibling belong to the text.
        for i in stride(from: children.count - 2, through: 0, by: -1) where !joined[i] && joined[i + 1] {
            let tag = children[i].tag
            if Self.headings.contains(tag) || tag == .ul || tag == .ol || tag == .table {
                joined[i] = joined[i + 1] && map.stats(of: children[i]).linkDensity < 0.5
            }
        }
        return zip(children, joined).filter(\.1).map(\.0)
    }

    private static let headings: TagSet = [.h2, .h3, .h4, .h5, .h6]
    private static let textContainers: TagSet = [.blockquote, .pre, .ul, .ol, .table, .dl]
}
