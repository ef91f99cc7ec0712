import CLibXML2
import HeraldURL

/// What the head (and a few landmarks) of a page say, gathered in one pass over the tree.
struct PageMetadata {
    /// `<meta>` contents keyed by lowercased `property`, `name` or `itemprop`, in document order.
    private(set) var metas: [String: [String]] = [:]
    /// First `<link rel=canonical href>`, verbatim.
    private(set) var canonical: String?
    /// First `<link rel=next href>`, verbatim.
    private(set) var nextLink: String?
    /// First `<base href>`, verbatim (later ones are ignored, as browsers do).
    private(set) var baseHref: String?
    /// Text of the first `<title>`.
    private(set) var title: String?
    /// JSON `<script>` elements (the only scripts the stripper keeps): JSON-LD, RFI's datalayer.
    private(set) var jsonScripts: [(id: String?, type: String, text: String)] = []
    /// `<article>` elements in document order.
    private(set) var articles: [Node] = []
    private(set) var body: Node?
    /// Elements other than `<meta>` with an `itemprop` (microdata), in document order: `Microdata` reads them.
    private(set) var itemprops: [Node] = []

    /// The document was stripped for the generic profile, which drops the `<meta>`s it does not read: debug builds
    /// check every key asked for is one of `ContentStripper.readMetaKeys`.
    private var keptReadMetasOnly = false

    init(document: MarkupDocument) {
        keptReadMetasOnly = document.readAttributesOnly
        guard let root = document.root else { return }
        // Room for a page's usual keys (speed: grown from empty, the table was rehashed four times a page).
        metas.reserveCapacity(32)
        let table = document.attributes
        let itempropElements = table.map(Self.elementsWithItemprop) ?? []
        // `Node.walk`'s order, by pointer: a `Node` (which retains the document) is made for elements only, and no
        // closure is called per node (speed: the walk was most of this function's time, over every node of the page).
        var current = root.pointer.pointee.children
        while let pointer = current {
            var descend = true
            if pointer.pointee.type == XML_ELEMENT_NODE {
                let node = Node(pointer, in: document)
                let tag = node.tag
                if tag != .meta, Self.hasItemprop(pointer, itempropElements) { itemprops.append(node) }
                switch tag {
                case .meta: record(meta: node)
                case .link: record(link: node)
                case .base:
                    if baseHref == nil, let href = node.attribute("href") { baseHref = href }
                case .title:
                    if title == nil { title = node.text }
                    descend = false
                case .script:
                    jsonScripts.append((node.attribute("id"), node.attribute("type") ?? "", node.text))
                    descend = false
                case .article: articles.append(node)
                case .body: body = node
                default: break
                }
                if descend, let child = pointer.pointee.children {
                    current = child
                    continue
                }
            }
            current = Node.next(after: pointer, within: root.pointer)
        }
    }

    private static let itempropName: StaticString = "itemprop"

    /// `Node.hasAttribute("itemprop")` in one walk of the element's attributes, its name compared as bytes, and for
    /// moved values a look at `withItemprop` (`elementsWithItemprop`). Speed: the lookup by name walked the list twice,
    /// made a String and searched the table, for every element of the page.
    private static func hasItemprop(_ pointer: xmlNodePtr, _ withItemprop: [Bool]) -> Bool {
        let name = UnsafeBufferPointer(start: itempropName.utf8Start, count: itempropName.utf8CodeUnitCount)
        var marked: Int?
        var attribute = pointer.pointee.properties
        while let current = attribute {
            if let attributeName = current.pointee.name {
                if name.indices.allSatisfy({ attributeName[$0] == name[$0] }), attributeName[name.count] == 0 {
                    return true
                }
                if marked == nil, !withItemprop.isEmpty { marked = AttributeTable.marker(current) }
            }
            attribute = current.pointee.next
        }
        guard let marked, marked >= 0, marked < withItemprop.count else { return false }
        return withItemprop[marked]
    }

    /// Per element of the table: has it a moved `itemprop`? One pass over the table's attributes.
    private static func elementsWithItemprop(_ table: AttributeTable) -> [Bool] {
        let name = UnsafeBufferPointer(start: itempropName.utf8Start, count: itempropName.utf8CodeUnitCount)
        var found = [Bool](repeating: false, count: table.count)
        let elements = table.elements
        table.bytes.withUnsafeBufferPointer { bytes in
            table.spans.withUnsafeBufferPointer { spans in
                var k = 0
                for i in spans.indices {
                    while k + 1 < elements.count, Int(elements[k + 1]) <= i { k += 1 }
                    let span = spans[i]
                    guard Int(span.value - span.name) == name.count, k < found.count else { continue }
                    var equal = true
                    for j in 0..<name.count where bytes[Int(span.name) + j] != name[j] {
                        equal = false
                        break
                    }
                    if equal { found[k] = true }
                }
            }
        }
        return found
    }

    func meta(_ key: String) -> String? {
        assert(isKept(key), "<meta> \(key) is read but ContentStripper drops it: add it to readMetaKeys")
        // The first value `Normalize.whitespace` does not empty: one with a byte other than ASCII whitespace (speed:
        // normalising made a copy of every description asked for).
        return metas[key]?.first(where: { $0.utf8.contains { !Normalize.isASCIIWhitespace($0) } })
    }

    func allMeta(_ key: String) -> [String] {
        assert(isKept(key), "<meta> \(key) is read but ContentStripper drops it: add it to readMetaKeys")
        return metas[key] ?? []
    }

    private func isKept(_ key: String) -> Bool {
        !keptReadMetasOnly || ContentStripper.readMetaKeys.contains(Array(key.utf8))
    }

    private static let contentName = Array("content".utf8)

    /// `ASCII.lowercased(Normalize.whitespace(key))` in one copy of the bytes.
    private static func metaKey(_ key: String) -> String {
        var bytes = Normalize.whitespace(bytes: Array(key.utf8))
        for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A { bytes[i] |= 0x20 }
        return String(decoding: bytes, as: UTF8.self)
    }
    /// The attributes that name a `<meta>`'s content, in the order its keys are recorded.
    private static let metaKeyNames = [Array("property".utf8), Array("name".utf8), Array("itemprop".utf8)]

    /// The `content` recorded under each of `property`, `name` and `itemprop`. One walk of the attributes, the first of
    /// each name read (as `attribute(_:)` does); speed: four lookups by name, each copying the name as a C string.
    private mutating func record(meta node: Node) {
        var content: String?
        var property: String?
        var name: String?
        var itemprop: String?
        node.forEachAttributeValue { attribute, value in
            if AttributeWords.equals(attribute, Self.contentName) {
                if content == nil { content = String(decoding: value, as: UTF8.self) }
            } else if property == nil, AttributeWords.equals(attribute, Self.metaKeyNames[0]) {
                property = String(decoding: value, as: UTF8.self)
            } else if name == nil, AttributeWords.equals(attribute, Self.metaKeyNames[1]) {
                name = String(decoding: value, as: UTF8.self)
            } else if itemprop == nil, AttributeWords.equals(attribute, Self.metaKeyNames[2]) {
                itemprop = String(decoding: value, as: UTF8.self)
            }
        }
        guard let content else { return }
        for key in [property, name, itemprop] {
            if let key { metas[Self.metaKey(key), default: []].append(content) }
        }
    }

    private static let canonicalWord = PackedWord(Array("canonical".utf8))
    private static let nextWord = PackedWord(Array("next".utf8))

    private mutating func record(link node: Node) {
        guard canonical == nil || nextLink == nil, node.hasAttribute("rel") else { return }
        // The rel tokens compared as bytes (splitting the value into Strings cost 2 % of the generic profile).
        var isCanonical = false
        var isNext = false
        _ = node.withAttributeBytes("rel") { value in
            var start = 0
            for k in 0...value.count where k == value.count || MarkupScanner.isSpace(value[k]) {
                if k > start {
                    let word = PackedWord(UnsafeBufferPointer(rebasing: value[start..<k]))
                    if word.count == 9, word.low == Self.canonicalWord.low, word.high == Self.canonicalWord.high {
                        isCanonical = true
                    } else if word.count == 4, word.low == Self.nextWord.low {
                        isNext = true
                    }
                }
                start = k + 1
            }
        }
        guard isCanonical || isNext, let href = node.attribute("href") else { return }
        if canonical == nil, isCanonical { canonical = href }
        if nextLink == nil, isNext { nextLink = href }
    }
}
