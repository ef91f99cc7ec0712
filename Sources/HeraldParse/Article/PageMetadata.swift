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

    init(document: MarkupDocument) {
        guard let root = document.root else { return }
        root.walk { node in
            if node.isElement, node.tag != .meta, Self.hasItemprop(node) { itemprops.append(node) }
            switch node.tag {
            case .meta: record(meta: node)
            case .link: record(link: node)
            case .base:
                if baseHref == nil, let href = node.attribute("href") { baseHref = href }
            case .title:
                if title == nil { title = node.text }
                return .skipChildren
            case .script:
                jsonScripts.append((node.attribute("id"), node.attribute("type") ?? "", node.text))
                return .skipChildren
            case .article: articles.append(node)
            case .body: body = node
            default: break
            }
            return .continue
        }
    }

    private static let itempropName: StaticString = "itemprop"

    /// `node.hasAttribute("itemprop")` in one walk of the element's attributes, its name compared as bytes (speed: the
    /// lookup by name walked the list twice and made a String for every element of the page).
    private static func hasItemprop(_ node: Node) -> Bool {
        let name = UnsafeBufferPointer(start: itempropName.utf8Start, count: itempropName.utf8CodeUnitCount)
        var marked: Int?
        var attribute = node.pointer.pointee.properties
        while let current = attribute {
            if let attributeName = current.pointee.name {
                if name.indices.allSatisfy({ attributeName[$0] == name[$0] }), attributeName[name.count] == 0 {
                    return true
                }
                if marked == nil, node.document.attributes != nil { marked = AttributeTable.marker(attributeName) }
            }
            attribute = current.pointee.next
        }
        guard let table = node.document.attributes, let marked else { return false }
        return table.withValue(ofElement: marked, named: name) { _ in true } ?? false
    }

    func meta(_ key: String) -> String? {
        metas[key]?.first(where: { !Normalize.whitespace($0).isEmpty })
    }

    func allMeta(_ key: String) -> [String] { metas[key] ?? [] }

    private static let contentName = Array("content".utf8)
    /// The attributes that name a `<meta>`'s content, in the order its keys are recorded.
    private static let metaKeyNames = [Array("property".utf8), Array("name".utf8), Array("itemprop".utf8)]

    /// The `content` recorded under each of `property`, `name` and `itemprop`. One walk of the attributes, the first of
    /// each name read (as `attribute(_:)` does); speed: four lookups by name, each copying the name as a C string.
    private mutating func record(meta node: Node) {
        var content: String?
        var keys: [String?] = [nil, nil, nil]
        node.forEachAttributeValue { name, value in
            if AttributeWords.equals(name, Self.contentName) {
                if content == nil { content = String(decoding: value, as: UTF8.self) }
            } else if let k = Self.metaKeyNames.firstIndex(where: { AttributeWords.equals(name, $0) }), keys[k] == nil {
                keys[k] = String(decoding: value, as: UTF8.self)
            }
        }
        guard let content else { return }
        for key in keys {
            if let key { metas[ASCII.lowercased(Normalize.whitespace(key)), default: []].append(content) }
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
