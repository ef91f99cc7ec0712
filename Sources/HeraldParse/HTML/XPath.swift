import CLibXML2

/// XPath 1.0 over a `MarkupDocument`, for custom profiles and feeds.
///
/// Expressions are compiled again at each evaluation rather than cached: a compiled libxml2 expression is a C pointer
/// that Swift cannot prove safe to share between threads, and compiling is microseconds next to parsing a page.
enum XPath {
    static let atomNamespace = "http://www.w3.org/2005/Atom"

    /// Namespaces every expression may use: feeds' `atom:`, `dc:`, `content:`, `media:` (and RSS 1.0's).
    static let namespaces: [(prefix: String, uri: String)] = [
        ("atom", atomNamespace),
        ("dc", "http://purl.org/dc/elements/1.1/"),
        ("content", "http://purl.org/rss/1.0/modules/content/"),
        ("media", "http://search.yahoo.com/mrss/"),
        ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
        ("rss1", "http://purl.org/rss/1.0/"),
    ]

    enum Value {
        case nodes([Node])
        case string(String)

        /// Strings as they are; nodes by their text (attributes by their value), one string per node.
        var strings: [String] {
            switch self {
            case let .string(s): [s]
            case let .nodes(nodes): nodes.map(XPath.stringValue)
            }
        }
    }

    /// Does the expression compile? (libxml2's error text goes nowhere: its handlers are silenced.)
    static func compiles(_ expression: String) -> Bool {
        LibXML.prepareThread()
        guard let compiled = xmlXPathCompile(expression) else { return false }
        xmlXPathFreeCompExpr(compiled)
        return true
    }

    /// Evaluates `expression` with `context` (default: the document) as the context node; nil when evaluation fails.
    static func evaluate(_ expression: String, in document: MarkupDocument, context: Node? = nil) -> Value? {
        LibXML.prepareThread()
        guard let xpathContext = xmlXPathNewContext(document.pointer) else { return nil }
        defer { xmlXPathFreeContext(xpathContext) }
        for (prefix, uri) in namespaces { xmlXPathRegisterNs(xpathContext, prefix, uri) }
        let result: xmlXPathObjectPtr?
        if let context {
            result = xmlXPathNodeEval(context.pointer, expression, xpathContext)
        } else {
            result = xmlXPathEvalExpression(expression, xpathContext)
        }
        guard let result else { return nil }
        defer { xmlXPathFreeObject(result) }
        switch result.pointee.type {
        case XPATH_NODESET:
            let set = result.pointee.nodesetval
            let count = herald_xpath_nodeset_count(set)
            var nodes: [Node] = []
            nodes.reserveCapacity(Int(count))
            for i in 0..<count {
                if let node = herald_xpath_nodeset_item(set, i) { nodes.append(Node(node, in: document)) }
            }
            return .nodes(nodes)
        default:
            guard let string = xmlXPathCastToString(result) else { return .string("") }
            defer { herald_xml_free(string) }
            return .string(String(cString: string))
        }
    }

    /// The string value of a node: an attribute's value, an element's text.
    static func stringValue(_ node: Node) -> String {
        if node.pointer.pointee.type == XML_ATTRIBUTE_NODE {
            guard let content = xmlNodeGetContent(node.pointer) else { return "" }
            defer { herald_xml_free(content) }
            return String(cString: content)
        }
        return node.text
    }
}
