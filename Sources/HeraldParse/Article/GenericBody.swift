import HeraldURL

/// The generic profile's body text: the main block (`MainBlockFinder`), checked against two recall fallbacks.
///
/// The rule for choosing, in order (lengths are `ContentMap.measureText` lengths: non-space characters, CJK twice):
/// 1. The JSON-LD `articleBody` when the main block holds less than 60 % of it: the page's HTML shows part of the
///    story (the rest is rendered by script) or the main block is the wrong one. The HTML is the trusted source
///    otherwise (it keeps subheads, lists and links; `articleBody` is often a summary).
/// 2. The baseline (every block of the page outside pruned furniture) when the main block is short (under
///    `shortMainBlock`) and the baseline holds more than twice as much: the scoring found a fragment (one boxed
///    paragraph) on a page whose text is spread over many small containers.
/// 3. Otherwise the main block.
struct GenericBody {
    enum Source: String {
        case mainBlock = "main block"
        case jsonLD = "JSON-LD articleBody"
        case baseline = "baseline"
    }

    var html: String
    var text: String
    var source: Source
    /// `length(text)`, measured once (speed: the text was measured up to three times, by the choice here and by
    /// `GenericArticleReader.checkArticle`).
    var length: Int

    init(html: String, text: String, source: Source, length: Int? = nil) {
        self.html = html
        self.text = text
        self.source = source
        self.length = length ?? Self.length(text)
    }

    static let shortMainBlock = 1500
    static let baselineRatio = 2.0
    static let jsonLDShare = 0.6

    static func extract(root: Node, jsonLDBody: String?, headlines: Set<String>, baseURL: String) -> GenericBody {
        let map = ContentMap(root: root)
        let strict = extract(map: map, jsonLDBody: jsonLDBody, headlines: headlines, baseURL: baseURL)
        // Readability's retry: furniture words pruned the text away (a wrapper named like furniture).
        var best = strict
        var bestLength = strict.length
        if bestLength < shortMainBlock, map.stats(of: root).text > 4 * max(bestLength, 250) {
            let relaxed = extract(map: map.relaxed(), jsonLDBody: jsonLDBody, headlines: headlines, baseURL: baseURL)
            let relaxedLength = relaxed.length
            if relaxedLength > 2 * bestLength { (best, bestLength) = (relaxed, relaxedLength) }
        }
        // The last retry: the visible page holds little and the text may be in <noscript> (Blogger's posts,
        // pages rendered by script with a no-script copy). Taken only when it more than doubles the text.
        guard bestLength < shortMainBlock, map.hasNoscript else { return best }
        let noscriptMap = ContentMap(root: root, readsNoscript: true)
        guard noscriptMap.stats(of: root).text > map.stats(of: root).text + bestLength else { return best }
        let withNoscript = extract(map: noscriptMap, jsonLDBody: jsonLDBody, headlines: headlines, baseURL: baseURL)
        return withNoscript.length > 2 * max(bestLength, 1) ? withNoscript : best
    }

    private static func extract(
        map: ContentMap, jsonLDBody: String?, headlines: Set<String>,
        baseURL: String
    ) -> GenericBody {
        let root = map.root
        let found = MainBlockFinder(map: map).find()
        var options = BodyCleaner.Options(
            baseURL: baseURL, selfPromoMarkers: false, dropFurniture: false,
            dropClasses: [])
        options.pruned = map.pruned
        options.genericBlockRules = true
        options.droppedBlocks = headlines
        options.readsNoscript = map.readsNoscript
        let cleaner = BodyCleaner(options: options)
        let main = cleaner.clean(
            LeadFinder(map: map).lead(before: found.containers).map { [$0] + found.containers }
                ?? found.containers)
        let mainLength = length(main.text)

        if let jsonLDBody, let body = plainText(jsonLDBody) {
            let bodyLength = length(body)
            if Double(mainLength) < Double(bodyLength) * jsonLDShare {
                return GenericBody(html: paragraphsHTML(body), text: body, source: .jsonLD, length: bodyLength)
            }
        }
        // The baseline's length is known from the map (the page's text minus pruned subtrees, an upper bound), so
        // it is only cleaned when it may win.
        if mainLength < shortMainBlock, found.containers != [root],
            Double(map.unprunedText) > baselineRatio * Double(mainLength)
        {
            let baseline = cleaner.clean([root])
            let baselineLength = length(baseline.text)
            if Double(baselineLength) > baselineRatio * Double(mainLength) {
                return GenericBody(html: baseline.html, text: baseline.text, source: .baseline, length: baselineLength)
            }
        }
        return GenericBody(html: main.html, text: main.text, source: .mainBlock, length: mainLength)
    }

    static func length(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { ContentMap.measureText($0).0 }
    }

    /// `articleBody` as body text: markup some publishers leave in it removed, entities decoded by a parse, one block
    /// per line.
    ///
    /// Read as bytes (speed: Foundation's `contains` and `split` on a long `articleBody` String cost more than
    /// extracting the rest of its page).
    static func plainText(_ value: String) -> String? {
        var source = Array(value.utf8)
        if source.contains(UInt8(ascii: "<")) || source.contains(UInt8(ascii: "&")) {
            let wrapped =
                "<html><body><div>" + value.replacingOccurrences(of: "\n", with: "<br>") + "</div></body></html>"
            if let document = MarkupDocument.html(utf8: Array(wrapped.utf8)), let root = document.root {
                var options = BodyCleaner.Options(baseURL: nil, selfPromoMarkers: false)
                options.genericBlockRules = true
                source = Array(BodyCleaner(options: options).clean(root).text.utf8)
            }
        }
        var lines: [String] = []
        var start = 0
        for k in 0...source.count where k == source.count || isLineBreak(source, at: k) {
            let line = Joins.normalize(Array(source[start..<k]))
            if !line.isEmpty { lines.append(String(decoding: line, as: UTF8.self)) }
            start = k + 1
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// Does a line end at `k`: LF or CR, but not inside CR LF, which Swift reads as one Character, neither LF nor
    /// CR (the text was split by Characters before).
    private static func isLineBreak(_ bytes: [UInt8], at k: Int) -> Bool {
        switch bytes[k] {
        case 0x0A: return k == 0 || bytes[k - 1] != 0x0D
        case 0x0D: return k + 1 == bytes.count || bytes[k + 1] != 0x0A
        default: return false
        }
    }

    private static func paragraphsHTML(_ text: String) -> String {
        var out = [UInt8]()
        for line in text.split(separator: "\n") {
            out += Array("<p>".utf8)
            Array(line.utf8).withUnsafeBufferPointer { HTMLEscape.appendText($0, to: &out) }
            out += Array("</p>".utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The lead (standfirst) a page sets before its text, outside the main block: `<p class="lead">`, `div.intro`,
/// `entry__subtitle`, `texto-bajada`… in the article's header, which the scoring leaves out (too short, or a sibling
/// of the text's parent). Looked for in the main block's region (up to `levels` ancestors above it, below `<body>`),
/// in document order before the main block: the first element outside pruned furniture whose `class`/`id` names a
/// lead and that holds `minimumText`…`maximumText` of text, under a quarter of it links.
struct LeadFinder {
    let map: ContentMap

    static let levels = 3
    static let minimumText = 40
    static let maximumText = 1500

    func lead(before containers: [Node]) -> Node? {
        guard let first = containers.first, first != map.root, first.tag != .body else { return nil }
        var region = first
        for _ in 0..<Self.levels {
            guard let parent = region.parent, parent != map.root, parent.tag != .body, parent.tag != .html else {
                break
            }
            region = parent
        }
        guard region != first else { return nil }
        // At most `levels` elements: an array searched in order (a Set hashed each with SipHash).
        var ancestors: [Node] = []
        var node: Node? = first
        while let current = node, current != region {
            ancestors.append(current)
            node = current.parent
        }
        var found: Node?
        region.walk { node in
            guard node.isElement else { return .skipChildren }
            if node == first { return .stop }
            if map.pruned.contains(node) || map.invisibleTags.contains(node.tag) { return .skipChildren }
            if ancestors.contains(node) { return .continue }
            guard Self.namesLead(node) else { return .continue }
            let stat = map.stats(of: node)
            guard stat.text >= Self.minimumText, stat.text <= Self.maximumText, stat.linkDensity < 0.25 else {
                return .skipChildren
            }
            found = node
            return .stop
        }
        return found
    }

    /// Contained in a word (`articleIntro`, `entry__subtitle`, `texto-bajada`).
    private static let parts: [[UInt8]] = [
        "lead", "intro", "subtitle", "standfirst", "excerpt", "chapo", "perex", "bajada", "abstract", "subheadline",
    ].map { Array($0.utf8) }
    /// Whole words only (as parts they occur in unrelated words: `dekoration`).
    private static let wholeWords: [[UInt8]] = ["deck", "dek", "summary", "sapo"].map { Array($0.utf8) }
    private static let board = Array("board".utf8)

    /// A word of `class` or `id` (split at non-alphanumerics, any case) names a lead; `leaderboard` (an ad slot) does
    /// not.
    static func namesLead(_ node: Node) -> Bool {
        for name in ["class", "id"] {
            let hit = node.withAttributeBytes(name) { value -> Bool in
                // Lowercased into a stack buffer, words compared in place (an array per value and per word before).
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, value.count)) { buffer -> Bool in
                    for k in 0..<value.count { buffer[k] = Byte.lowercase(value[k]) }
                    let lower = UnsafeBufferPointer(rebasing: buffer[0..<value.count])
                    var start = 0
                    for i in 0...lower.count {
                        let byte: UInt8 = i < lower.count ? lower[i] : 0x20
                        if Byte.isAlpha(byte) || (byte >= 0x30 && byte <= 0x39) { continue }
                        if i > start {
                            let word = UnsafeBufferPointer(rebasing: lower[start..<i])
                            if wholeWords.contains(where: { $0.elementsEqual(word) }) { return true }
                            if !Boilerplate.contains(word, board),
                                parts.contains(where: { Boilerplate.contains(word, $0) })
                            {
                                return true
                            }
                        }
                        start = i + 1
                    }
                    return false
                }
            }
            if hit == true { return true }
        }
        return false
    }
}
