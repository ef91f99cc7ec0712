import HeraldURL

/// Class and id names that content-management systems give the element holding an article's text (WordPress's
/// `entry-content`, Drupal's `field-body`, `itemprop="articleBody"`…): trafilatura's first rule, as a vocabulary.
/// Matched as substrings of the lowercased `class`/`id`, so `td-post-content` and `c-article__body` match.
enum ContentContainer {
    static let names: [[UInt8]] = [
        "entry-content", "article-content", "art-content", "article__content", "article-body", "articlebody",
        "article__body", "article_body", "body-text", "post-text", "post_text", "post-body", "postentry", "post-entry",
        "post-content", "post_content", "postcontent", "article-text", "articletext", "page-content", "text-content",
        "story-content", "storycontent", "story-body", "storybody", "blog-content", "section-content",
        "single-content", "theme-content", "single-post", "main-column", "wpb_text_column", "field-body",
        "field-name-body", "post-bodycopy", "content-main", "content_main", "content-body", "contentbody",
        "content__body", "articlecontent", "article__container", "rich-text", "richtext",
    ].map { Array($0.utf8) }

    /// `itemprop="articleBody"`, or a name of `names` in the lowercased `class` or `id`. One walk of the element's
    /// attributes, values lowercased into a stack buffer, and at each byte only the names starting with it compared
    /// (speed: a lookup by name per attribute, an array per value and every name tried at every byte before).
    static func isNamed(_ node: Node) -> Bool {
        var found = false
        node.forEachAttributeValue { name, value in
            guard !found else { return }
            switch name.count {
            case 8:
                found =
                    name[0] == UInt8(ascii: "i") && name.elementsEqual("itemprop".utf8)
                    && value.elementsEqual("articleBody".utf8)
            case 5, 2:
                // The first byte tested before the generic compare.
                guard value.count >= 8,
                    name[0] == UInt8(ascii: "c") && name.elementsEqual("class".utf8)
                        || name[0] == UInt8(ascii: "i") && name.elementsEqual("id".utf8)
                else {
                    return
                }
                found = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: value.count) { lower in
                    for i in 0..<value.count { lower[i] = Byte.lowercase(value[i]) }
                    return containsName(UnsafeBufferPointer(lower))
                }
            default: break
            }
        }
        return found
    }

    /// `names` grouped by their first byte.
    private static let namesByFirstByte: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: 256)
        for name in names { table[Int(name[0])].append(name) }
        return table
    }()

    /// The first two bytes of every name: most positions of a value start none.
    private static let nameStarts = BytePairSet(names)

    /// Does some name of `names` occur in `value`?
    private static func containsName(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        let table = namesByFirstByte
        let starts = nameStarts
        let count = value.count
        for i in 0..<count where i + 1 < count && starts.contains(value[i], value[i + 1]) {
            for name in table[Int(value[i])] where i + name.count <= count {
                var k = 1
                while k < name.count, value[i + k] == name[k] { k += 1 }
                if k == name.count { return true }
            }
        }
        return false
    }
}
