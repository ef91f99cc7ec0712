import CLibXML2

/// A node of a `MarkupDocument`. Holds its document, so the tree stays alive as long as any node is used.
///
/// Everything above this file sees plain Swift: names, attributes as `String`, text as `String` or UTF-8 bytes,
/// and iterative traversal (no recursion, so a page nested 10,000 deep cannot exhaust the stack).
struct Node {
    let pointer: xmlNodePtr
    let document: MarkupDocument

    init(_ pointer: xmlNodePtr, in document: MarkupDocument) {
        self.pointer = pointer
        self.document = document
    }

    /// The node's address: a key for per-node tables that neither hashes with SipHash nor retains the document.
    var address: Int { Int(bitPattern: pointer) }

    var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }
    var isText: Bool { pointer.pointee.type == XML_TEXT_NODE || pointer.pointee.type == XML_CDATA_SECTION_NODE }

    /// The element name as parsed (lowercase for HTML; the local name for XML).
    var name: String {
        guard let name = pointer.pointee.name else { return "" }
        return String(cString: name)
    }

    /// The element's tag, for the HTML elements extraction cares about.
    ///
    /// Looked up once per element and kept in the node's `extra` field (libxml2 reserves it for XPath/XSLT users and
    /// its HTML and XML tree builders leave it zero; `xmlTextReader`, which does use it, never builds these trees): the
    /// generic extractor asks every element's tag in several walks.
    var tag: Tag { Self.tag(of: pointer) }

    /// `tag` of a node pointer, for walks over the libxml2 tree that build no `Node`.
    @inline(__always)
    static func tag(of pointer: xmlNodePtr) -> Tag {
        guard pointer.pointee.type == XML_ELEMENT_NODE else { return .none }
        let cached = pointer.pointee.extra
        if cached & Self.tagMark != 0 { return Tag(index: Int(cached & 0x7F)) }
        let tag = Tag(rawName: pointer.pointee.name)
        pointer.pointee.extra = Self.tagMark | UInt16(tag.index)
        return tag
    }

    private static let tagMark: UInt16 = 0x8000

    /// The namespace URI of an XML element (nil for none).
    var namespace: String? {
        guard let ns = pointer.pointee.ns, let href = ns.pointee.href else { return nil }
        return String(cString: href)
    }

    var parent: Node? {
        guard let parent = pointer.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return Node(parent, in: document)
    }

    var nextSibling: Node? { pointer.pointee.next.map { Node($0, in: document) } }
    var previousSibling: Node? { pointer.pointee.prev.map { Node($0, in: document) } }

    var children: [Node] {
        var result: [Node] = []
        var child = pointer.pointee.children
        while let current = child {
            result.append(Node(current, in: document))
            child = current.pointee.next
        }
        return result
    }

    var elementChildren: [Node] { children.filter(\.isElement) }

    /// The next sibling that is an element.
    var nextElementSibling: Node? {
        var sibling = pointer.pointee.next
        while let current = sibling {
            if current.pointee.type == XML_ELEMENT_NODE { return Node(current, in: document) }
            sibling = current.pointee.next
        }
        return nil
    }

    // MARK: Attributes
    //
    // The generic profile's pages keep most attribute values in the document's `AttributeTable` (the element carries a
    // `_h` marker instead, numbered by the tree builder): every function here reads both, so no caller sees the
    // difference.

    /// The element's number in the document's attribute table, if it has a marker (the tree builder writes it into
    /// the element's `_private` too: no walk of the attributes).
    private var markedElement: Int? {
        guard document.attributes != nil, pointer.pointee.type == XML_ELEMENT_NODE,
            let number = pointer.pointee._private
        else { return nil }
        return Int(bitPattern: number) - 1
    }

    /// Calls `body` with the moved value of `name`, if the element has one.
    private func withMovedValue<R>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        assert(
            !document.readAttributesOnly || ContentStripper.reads(name)
                || Self.wholeTags.contains(tag),
            "the generic profile reads \(name), which ContentStripper.readAttributes does not keep")
        guard let table = document.attributes, let k = markedElement else { return nil }
        var name = name
        return name.withUTF8 { nameBytes in table.withValue(ofElement: k, named: nameBytes, body) }
    }

    /// Elements whose start tags the generic profile's stripper copies with all their attributes.
    private static let wholeTags: TagSet = [.meta, .link, .base, .script, .article, .pre, .textarea]

    func attribute(_ name: String) -> String? {
        if let attribute = xmlHasProp(pointer, name) { return Self.value(of: attribute) }
        return withMovedValue(name) { String(decoding: $0, as: UTF8.self) }
    }

    func hasAttribute(_ name: String) -> Bool {
        xmlHasProp(pointer, name) != nil || withMovedValue(name, { _ in true }) != nil
    }

    /// Every attribute name, in document order (moved ones after the others).
    var attributeNames: [String] {
        var names: [String] = []
        var attribute = pointer.pointee.properties
        while let current = attribute {
            if let name = current.pointee.name, AttributeTable.marker(current) == nil || document.attributes == nil {
                names.append(String(cString: name))
            }
            attribute = current.pointee.next
        }
        if let table = document.attributes, let k = markedElement {
            table.forEach(ofElement: k) { name, _ in
                names.append(String(decoding: name, as: UTF8.self))
                return false
            }
        }
        return names
    }

    /// Is `token` one of the whitespace-separated classes? Compares bytes in place, no allocation.
    func hasClass(_ token: String) -> Bool {
        guard let classAttribute = xmlHasProp(pointer, "class") else {
            return withMovedValue("class") { value in
                Self.classList(String(decoding: value, as: UTF8.self)).contains(token)
            } ?? false
        }
        if let text = classAttribute.pointee.children, text.pointee.next == nil, let content = text.pointee.content,
            let found = token.utf8.withContiguousStorageIfAvailable({ Self.containsToken(content, $0) })
        {
            return found
        }
        return Self.classList(Self.value(of: classAttribute)).contains(token)
    }

    /// Calls `body` with the attribute's value as UTF-8 bytes, without building a `String` when the value is one text
    /// node (the usual case): the generic extractor reads `class`/`id`/`role` of every element of a page.
    func withAttributeBytes<R>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard let attribute = xmlHasProp(pointer, name) else { return withMovedValue(name, body) }
        if let text = attribute.pointee.children, text.pointee.next == nil, let content = text.pointee.content {
            return body(UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
        }
        return Array(Self.value(of: attribute).utf8).withUnsafeBufferPointer(body)
    }

    /// Calls `body` with each attribute's name and value as UTF-8 bytes, in one walk of the attribute list (the
    /// generic extractor reads six attributes of every element; looking each up by name walked the list six times).
    /// Values that are not one text node are skipped (libxml2 builds them only for entity references).
    func forEachAttributeBytes(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        let table = document.attributes
        var marked: Int?
        var attribute = pointer.pointee.properties
        while let current = attribute {
            if let name = current.pointee.name {
                if table != nil, let k = AttributeTable.marker(current) {
                    marked = k
                } else if let text = current.pointee.children, text.pointee.next == nil,
                    let content = text.pointee.content
                {
                    body(
                        UnsafeBufferPointer(start: name, count: Int(xmlStrlen(name))),
                        UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                }
            }
            attribute = current.pointee.next
        }
        if let table, let marked {
            table.forEach(ofElement: marked) { name, value in
                body(name, value)
                return false
            }
        }
    }

    /// As `forEachAttributeBytes`, but every attribute, also a value libxml2 split around entity references (built
    /// whole, as `attribute(_:)` returns it). For rules that read several attributes of most elements: one walk of the
    /// list instead of a lookup by name for each.
    func forEachAttributeValue(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        let table = document.attributes
        var marked: Int?
        var attribute = pointer.pointee.properties
        while let current = attribute {
            if let name = current.pointee.name {
                if table != nil, let k = AttributeTable.marker(current) {
                    marked = k
                } else {
                    // Measured only here: most elements of the generic profile's pages carry just their marker.
                    let nameBytes = UnsafeBufferPointer(start: name, count: Int(xmlStrlen(name)))
                    if let text = current.pointee.children, text.pointee.next == nil,
                        let content = text.pointee.content
                    {
                        body(nameBytes, UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                    } else {
                        Array(Self.value(of: current).utf8).withUnsafeBufferPointer { body(nameBytes, $0) }
                    }
                }
            }
            attribute = current.pointee.next
        }
        if let table, let marked {
            table.forEach(ofElement: marked) { name, value in
                body(name, value)
                return false
            }
        }
    }

    private static func classList(_ value: String) -> [String] {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" })
            .map(String.init)
    }

    private static func containsToken(_ list: UnsafePointer<xmlChar>, _ token: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while true {
            while MarkupScanner.isSpace(list[i]) { i += 1 }
            if list[i] == 0 { return false }
            let start = i
            while list[i] != 0, !MarkupScanner.isSpace(list[i]) { i += 1 }
            if i - start == token.count {
                var equal = true
                for k in 0..<token.count where list[start + k] != token[k] {
                    equal = false
                    break
                }
                if equal { return true }
            }
        }
    }

    private static func value(of attribute: xmlAttrPtr) -> String {
        if let text = attribute.pointee.children, text.pointee.next == nil, let content = text.pointee.content {
            return String(cString: content)
        }
        guard let list = xmlNodeListGetString(attribute.pointee.doc, attribute.pointee.children, 1) else { return "" }
        defer { herald_xml_free(list) }
        return String(cString: list)
    }

    // MARK: Text

    /// This text node's own content as UTF-8 bytes (empty for elements).
    var ownTextBytes: UnsafeBufferPointer<UInt8> {
        guard isText, let content = pointer.pointee.content else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content)))
    }

    /// Concatenated text of all descendant text nodes (character references already decoded by the parser).
    var text: String { String(decoding: textBytes(), as: UTF8.self) }

    func textBytes() -> [UInt8] {
        var out = [UInt8]()
        appendText(to: &out)
        return out
    }

    func appendText(to out: inout [UInt8]) {
        if isText {
            out.append(contentsOf: ownTextBytes)
            return
        }
        walk { node in
            if node.isText { out.append(contentsOf: node.ownTextBytes) }
            return .continue
        }
    }

    // MARK: Traversal

    enum WalkAction { case `continue`, skipChildren, stop }

    /// The node after `node` and its descendants in document order, within `root` (nil past its last): the climb every
    /// iterative walk over libxml2's pointers makes.
    @inline(__always)
    static func next(after node: xmlNodePtr, within root: xmlNodePtr) -> xmlNodePtr? {
        next(after: node, within: root, closing: { _ in })
    }

    /// As `next(after:within:)`, calling `closing` with each element the climb leaves behind (below `root`): the walks
    /// that close elements (`walk(_:exit:)`, the content map's measure, the byline's spaced text) climb with it.
    @inline(__always)
    static func next(after node: xmlNodePtr, within root: xmlNodePtr, closing: (xmlNodePtr) -> Void) -> xmlNodePtr? {
        var climb: xmlNodePtr? = node
        while let up = climb, up != root {
            if let next = up.pointee.next { return next }
            climb = up.pointee.parent
            if let parent = climb, parent != root { closing(parent) }
        }
        return nil
    }

    /// Visits the descendants of this node in document order (not the node itself), iteratively.
    func walk(_ visit: (Node) -> WalkAction) {
        let root = pointer
        var current = pointer.pointee.children
        while let node = current {
            let action = visit(Node(node, in: document))
            if action == .stop { return }
            if action == .continue, let child = node.pointee.children, node.pointee.type == XML_ELEMENT_NODE {
                current = child
                continue
            }
            current = Self.next(after: node, within: root)
        }
    }

    /// As `walk(_:)`, and `exit` is called after an element's subtree has been visited (not for skipped ones).
    /// Both closures are non-escaping: an optional (hence escaping) `exit` boxed every variable the two closures
    /// shared and made each access to them a dynamic exclusivity check.
    func walk(_ visit: (Node) -> WalkAction, exit: (Node) -> Void) {
        let root = pointer
        var current = pointer.pointee.children
        while let node = current {
            let wrapped = Node(node, in: document)
            let action = visit(wrapped)
            if action == .stop { return }
            if action == .continue, let child = node.pointee.children, node.pointee.type == XML_ELEMENT_NODE {
                current = child
                continue
            }
            if action == .continue, node.pointee.type == XML_ELEMENT_NODE { exit(wrapped) }
            current = Self.next(after: node, within: root, closing: { exit(Node($0, in: document)) })
        }
    }

    /// The first descendant element (document order) satisfying `predicate`.
    func first(where predicate: (Node) -> Bool) -> Node? {
        var found: Node?
        walk { node in
            guard node.isElement, predicate(node) else { return .continue }
            found = node
            return .stop
        }
        return found
    }

    /// Every descendant element satisfying `predicate`, in document order.
    func all(where predicate: (Node) -> Bool) -> [Node] {
        var found: [Node] = []
        walk { node in
            if node.isElement, predicate(node) { found.append(node) }
            return .continue
        }
        return found
    }

    /// The closest ancestor (not self) satisfying `predicate`, climbing at most `limit` levels.
    func ancestor(limit: Int = .max, where predicate: (Node) -> Bool) -> Node? {
        var current = parent
        var steps = 0
        while let node = current, steps < limit {
            if predicate(node) { return node }
            current = node.parent
            steps += 1
        }
        return nil
    }
}

extension Node: Equatable {
    static func == (lhs: Node, rhs: Node) -> Bool { lhs.pointer == rhs.pointer }
}

extension Node: Hashable {
    func hash(into hasher: inout Hasher) { hasher.combine(pointer) }
}
