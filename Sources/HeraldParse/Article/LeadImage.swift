/// The caption of an article's lead image, as the page prints it: the first `<figure>` holding an image and a
/// `<figcaption>` (or an element named as a caption: `wp-caption-text`, `image-caption`, `bildunterschrift`,
/// `legende` beside an image), within the article's scope and before much of its text (`maximumTextBefore`
/// characters of paragraphs). Text in the caption named as a credit (`credit`, `copyright`, `source`) is left out.
/// A figure in related-post lists, sidebars or comments is not the lead image.
enum LeadImage {
    static let maximumTextBefore = 600
    static let maximumCaption = 600

    static func caption(in scope: Node, headline: Node?) -> String? {
        var textBefore = 0
        var found: String?
        scope.walk { node in
            guard node.isElement else { return .skipChildren }
            switch node.tag {
            case .nav, .aside, .form, .footer, .script, .style: return .skipChildren
            case .p:
                textBefore += characterCount(node)
                return textBefore > maximumTextBefore ? .stop : .skipChildren
            default: break
            }
            let (skip, caption) = naming(node)
            if skip { return .skipChildren }
            if node.tag == .figure {
                guard node.first(where: { $0.tag == .img || $0.tag == .picture }) != nil,
                    let caption = node.first(where: { $0.tag == .figcaption }).flatMap(Self.text)
                else { return .skipChildren }
                found = caption
                return .stop
            }
            if caption, node.parent?.first(where: { $0.tag == .img }) != nil, let caption = text(node) {
                found = caption
                return .stop
            }
            return .continue
        }
        return found
    }

    /// `node.text.count`, without building the String when the text is ASCII (speed: every paragraph before the
    /// caption was copied and broken into Characters): there each byte is a Character, but for `\r\n`, which is one.
    private static func characterCount(_ node: Node) -> Int {
        var count = 0
        var previous: UInt8 = 0
        var ascii = true
        node.walk { child in
            guard child.isText else { return .continue }
            for byte in child.ownTextBytes {
                if byte >= 0x80 {
                    ascii = false
                    return .stop
                }
                if byte != 0x0A || previous != 0x0D { count += 1 }
                previous = byte
            }
            return .continue
        }
        return ascii ? count : node.text.count
    }

    /// The caption's text without its credit line; nil when empty or too long to be a caption.
    private static func text(_ caption: Node) -> String? {
        var out = ""
        caption.walk { node in
            if node.isText {
                out += node.text
                return .continue
            }
            guard node.isElement else { return .skipChildren }
            if node.tag == .br { out += " " }
            return AttributeWords.any(node, classAndID) { word in
                creditWordList.contains(word)
            } ? .skipChildren : .continue
        }
        let text = Normalize.whitespace(out)
        return text.isEmpty || text.count > maximumCaption ? nil : text
    }

    private static let creditWords: Set<String> = [
        "credit", "credits", "copyright", "source", "photographer", "fotograf", "quelle", "bildquelle", "author",
    ]
    private static let captionWords: Set<String> = [
        "caption", "figcaption", "captiontext", "legend", "legende", "bildunterschrift", "bildtext", "pie",
    ]
    private static let skipWords = [
        "related", "sidebar", "teaser", "comment", "recommend", "promo", "widget", "avatar",
    ]

    private static let classAndID = AttributeWords.bytes(["class", "id"])
    private static let creditWordList = WordList(Array(creditWords))
    private static let captionWordList = WordList(Array(captionWords))
    private static let skipWordList = WordList(skipWords)
    private static let captionSuffix = Array("caption".utf8)
    private static let noPrefix = Array("no".utf8)

    /// Does the element's `class`/`id` name something the lead image is not in (related posts, sidebars,
    /// comments…), and does it name a caption? One walk of its attributes for both (speed: one each before).
    private static func naming(_ node: Node) -> (skip: Bool, caption: Bool) {
        var skip = false
        var caption = false
        AttributeWords.forEach(node, classAndID) { _, word in
            if !skip, skipWordList.hasPrefix(of: word) { skip = true }
            if !caption,
                captionWordList.contains(word)
                    || (AttributeWords.hasSuffix(word, captionSuffix) && !AttributeWords.hasPrefix(word, noPrefix))
            {
                caption = true
            }
            return skip && caption
        }
        return (skip, caption)
    }
}
