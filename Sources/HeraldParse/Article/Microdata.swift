/// The schema.org microdata of a page's article (`itemprop` on visible elements: `<h1 itemprop="headline">`,
/// `<time itemprop="datePublished" datetime>`, `<span itemprop="author" itemscope><span itemprop="name">`,
/// `<img itemprop="image">`). `<meta itemprop>` is read with the other `<meta>` (`PageMetadata`). Properties inside a
/// comment (an element named or typed as a comment) belong to the comment, not the article, and are skipped.
struct Microdata {
    private(set) var headline: String?
    private(set) var datePublished: String?
    private(set) var dateModified: String?
    private(set) var authors: [String] = []
    private(set) var image: String?

    /// The longest author name read from an element's text: longer is a bio or a sentence.
    static let maximumNameLength = 80
    /// More `author` properties than this are a reference list, not the article's byline: the first ones are kept.
    static let maximumAuthors = 10

    /// `nodes`: the page's elements with an `itemprop`, in document order (`PageMetadata.itemprops`).
    init(nodes: [Node]) {
        var insideAuthor: Node?
        for node in nodes {
            if let author = insideAuthor, node.ancestor(where: { $0 == author }) != nil { continue }
            insideAuthor = nil
            guard let property = node.attribute("itemprop") else { continue }
            let names = property.lowercased().split(separator: " ")
            // Speed: the ancestors are searched for a comment only when a property would be read.
            guard names.contains(where: { wants($0) }) else { continue }
            if Self.inComment(node) { continue }
            for name in names {
                switch name {
                case "headline" where headline == nil:
                    headline = Self.value(of: node).map(Normalize.whitespace).flatMap { $0.isEmpty ? nil : $0 }
                case "datepublished" where datePublished == nil:
                    datePublished = Self.value(of: node)
                case "datemodified" where dateModified == nil:
                    dateModified = Self.value(of: node)
                case "author", "creator":
                    if let author = Self.author(node), !authors.contains(author), authors.count < Self.maximumAuthors {
                        authors.append(author)
                    }
                    insideAuthor = node
                case "image" where image == nil:
                    image = Self.value(of: node).map(Normalize.whitespace).flatMap { $0.isEmpty ? nil : $0 }
                default: break
                }
            }
        }
    }

    /// Would the loop of `init` read property `name` now?
    private func wants(_ name: Substring) -> Bool {
        switch name {
        case "headline": headline == nil
        case "datepublished": datePublished == nil
        case "datemodified": dateModified == nil
        case "author", "creator": true
        case "image": image == nil
        default: false
        }
    }

    /// Inside an element typed (`itemtype` …/Comment) or named (`class`/`id` comment, reply…) as a comment.
    private static func inComment(_ node: Node) -> Bool {
        var current: Node? = node
        while let element = current, element.tag != .body {
            if AttributeWords.contains(element, ["itemtype"], where: { AttributeWords.hasPrefix($0, commentWord) }) {
                return true
            }
            if VisibleDate.dateNaming(element) == .comment { return true }
            current = element.parent
        }
        return false
    }

    private static let commentWord = Array("comment".utf8)

    /// An element's microdata value: `content`, `datetime`, `src`/`href` for media and links, else its text.
    private static func value(of node: Node) -> String? {
        if let content = node.attribute("content") { return content }
        switch node.tag {
        case .time: return node.attribute("datetime") ?? node.text
        case .img, .source, .video, .audio: return node.attribute("src")
        case .a, .link: return node.attribute("href")
        case .meta: return nil
        default: return node.text
        }
    }

    /// A `Person` scope's `name`, else the element's own text (when short and not a link target).
    private static func author(_ node: Node) -> String? {
        let named = node.first { $0.isElement && $0.attribute("itemprop")?.lowercased() == "name" }
        let raw = named.flatMap { $0.attribute("content") ?? $0.text } ?? node.attribute("content") ?? node.text
        let name = TitleCleaner.author(raw)
        guard !name.isEmpty, name.count <= maximumNameLength, !name.hasPrefix("http") else { return nil }
        return name
    }
}
