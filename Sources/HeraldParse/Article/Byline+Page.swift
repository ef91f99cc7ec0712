import CLibXML2

// MARK: Finding the byline on the page

extension Byline {
    /// An element's text with a space at every element boundary (`<span>Von</span><a>Jane</a>` is "Von Jane").
    static func spacedText(_ node: Node) -> String {
        if node.isText { return node.text }
        var out = [UInt8]()
        _ = appendSpacedText(node, to: &out, limit: .max)
        return String(decoding: out, as: UTF8.self)
    }

    /// `spacedText`'s bytes into `out` (emptied first), unless they pass `limit`: false then, the walk cut short.
    ///
    /// A loop over libxml2's pointers with `Node.walk(_:exit:)`'s order: a space where an element opens and where it
    /// closes, the text of text and CDATA nodes (speed: the closure walk made a `Node`, with a retain and a release of
    /// its document, per node; the second byline walk gathers the text of most blocks of the article).
    private static func appendSpacedText(_ node: Node, to out: inout [UInt8], limit: Int) -> Bool {
        out.removeAll(keepingCapacity: true)
        let root = node.pointer
        var current = root.pointee.children
        while let child = current {
            let type = child.pointee.type
            if type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE {
                if let content = child.pointee.content {
                    out.append(contentsOf: UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                }
            } else if type == XML_ELEMENT_NODE {
                out.append(0x20)
            }
            if out.count > limit { return false }
            if type == XML_ELEMENT_NODE {
                if let grandchild = child.pointee.children {
                    current = grandchild
                    continue
                }
                out.append(0x20)  // an empty element closes at once
            }
            current = Node.next(after: child, within: root, closing: { _ in out.append(0x20) })
        }
        return out.count <= limit
    }

    /// The first byte of `text` that is not ASCII whitespace (what `Normalize.whitespace` keeps first).
    private static func firstLetter(_ text: [UInt8]) -> UInt8? {
        text.first { !Normalize.isASCIIWhitespace($0) }
    }

    /// Could the line `node` holds start with a byline label (else `names(from:requirePrefix: true)` has none)? Read
    /// from its first `headBytes` bytes when they hold more than `headLength` Characters (speed: a headline's sibling
    /// can be the whole article, gathered and normalised whole before its first words met the labels).
    private static func mayStartWithLabel(_ node: Node, _ buffer: inout [UInt8]) -> Bool {
        let complete: Bool
        if node.isText {
            let bytes = node.ownTextBytes
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<min(bytes.count, headBytes)]))
            complete = bytes.count <= headBytes
        } else {
            complete = appendSpacedText(node, to: &buffer, limit: headBytes)
        }
        let text = Normalize.whitespace(String(decoding: buffer.prefix(headBytes), as: UTF8.self))
        // A cut line is read only when the cut is past the Characters compared (and the one after them).
        guard complete || text.count > headLength + 1 else { return true }
        let lower = lowercasedHead(text)
        return labelList.candidates(lower).contains { lower.hasPrefix($0) }
    }

    private static let headBytes = 512

    /// The first letters of `strongLabels` that are ASCII: a line starting with another ASCII letter has none.
    private static let strongLabelInitials: Set<UInt8> = Set(
        strongLabels.compactMap { $0.utf8.first }.filter { $0 < 0x80 })

    /// The names of the page's visible byline within `scope` (the main `<article>` or the body), else beside the
    /// headline.
    static func find(in scope: Node, headline: Node?) -> [String] {
        var found: [String] = []
        // What the first walk read of each element's attributes, for the second walk and the headline's siblings
        // (speed: read again, at about 1,000 instructions an element).
        var namings = NodeTable<Naming>(capacity: 512)
        scope.walk { node in
            guard node.isElement else { return .skipChildren }
            switch node.tag {
            case .nav, .aside, .form, .select, .button, .script, .style: return .skipChildren
            default: break
            }
            let naming = naming(node, &namings)
            if naming == .skip { return .skipChildren }
            if node.tag == .a, let rel = node.attribute("rel"),
                rel.lowercased().split(separator: " ").contains("author")
            {
                found = names(from: spacedText(node))
                return found.isEmpty ? .skipChildren : .stop
            }
            if naming == .author {
                let text = spacedText(node)
                if text.count <= maximumLine * 2 {
                    found = names(from: text)
                    if !found.isEmpty { return .stop }
                }
            }
            return .continue
        }
        if !found.isEmpty { return found }
        // A short line anywhere in the article that starts with an unambiguous byline label ("Posted by Konstantin
        // @ 12:00 am", "Geschrieben von …"): not "By"/"Von" alone, which start sentences too.
        var line: [UInt8] = []
        line.reserveCapacity(maximumLine * 2 + 64)
        scope.walk { node in
            guard node.isElement else { return .skipChildren }
            switch node.tag {
            case .nav, .aside, .form, .select, .button, .script, .style: return .skipChildren
            default: break
            }
            if naming(node, &namings) == .skip { return .skipChildren }
            guard node.tag == .p || node.tag == .span || node.tag == .div || node.tag == .li || node.tag == .small
            else { return .continue }
            // Speed: the text is gathered only up to the limit (a `div` holding the article was read whole, once per
            // level of nesting), and a line whose first letter starts no label is not made a String. Repairing bad
            // UTF-8 only lengthens the text, so over the limit in bytes is over it as a String too.
            guard appendSpacedText(node, to: &line, limit: maximumLine * 2) else { return .continue }
            switch firstLetter(line) {
            case nil: return .skipChildren
            case let byte? where byte < 0x80 && !strongLabelInitials.contains(Byte.lowercase(byte)):
                return .skipChildren
            default: break
            }
            let text = String(decoding: line, as: UTF8.self)
            guard text.utf8.count <= maximumLine * 2 else { return .continue }
            let lower = lowercasedHead(Normalize.whitespace(text))
            guard strongLabelList.candidates(lower).contains(where: { lower.hasPrefix($0) }) else {
                return .skipChildren
            }
            found = names(from: text, requirePrefix: true)
            return found.isEmpty ? .skipChildren : .stop
        }
        if !found.isEmpty { return found }
        guard let headline else { return [] }
        var head: [UInt8] = []
        var level: Node? = headline
        for _ in 0..<2 {
            guard let current = level else { break }
            var next = current.nextSibling
            var seen = 0
            while let sibling = next, seen < 6 {
                next = sibling.nextSibling
                guard sibling.isElement || sibling.isText else { continue }
                seen += 1
                if sibling.isElement, naming(sibling, &namings) == .skip { continue }
                guard mayStartWithLabel(sibling, &head) else { continue }
                let byline = names(from: spacedText(sibling), requirePrefix: true)
                if !byline.isEmpty { return byline }
            }
            level = current.parent
        }
        return []
    }

    enum Naming { case none, author, skip }

    private static let skipMarks = [
        "comment", "reply", "respond", "kommentar", "disqus", "related", "recommend", "sidebar", "widget", "teaser",
        "promo", "popular", "trending", "footer", "menu", "nav", "share", "avatar", "bio", "description",
    ]
    private static let authorMarks = [
        "byline", "author", "autor", "auteur", "writer", "reporter", "journalist", "verfasser", "redakteur",
    ]

    /// `naming(node)`, kept in `namings`.
    private static func naming(_ node: Node, _ namings: inout NodeTable<Naming>) -> Naming {
        if let known = namings[node] { return known }
        let computed = naming(node)
        namings[node] = computed
        return computed
    }

    private static func naming(_ node: Node) -> Naming {
        // Any skip word wins over an author word, whichever attribute holds it: one walk of the attributes.
        var skip = false
        var author = false
        AttributeWords.forEach(node, namingAttributes) { _, word in
            if skip { return true }
            if skipMarkList.hasPrefix(of: word) {
                skip = true
                return true
            }
            if authorMarkList.hasPrefix(of: word) { author = true }
            return false
        }
        return skip ? .skip : author ? .author : .none
    }

    private static let namingAttributes = AttributeWords.bytes(["class", "id", "itemprop", "rel"])

    private static let skipMarkList = WordList(skipMarks)
    private static let authorMarkList = WordList(authorMarks)
}
