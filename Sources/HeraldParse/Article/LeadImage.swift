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

    /// `node.text.count`, without building the String when each scalar is a Character of its own (speed: every
    /// paragraph before the caption was copied and broken into Characters, and pages in German, French or Chinese
    /// took that path for every paragraph): ASCII, and the scalars of `standaloneLength`, but for `\r\n`, which is one.
    private static func characterCount(_ node: Node) -> Int {
        var count = 0
        var previous: UInt8 = 0
        var standalone = true
        node.walk { child in
            guard child.isText else { return .continue }
            let bytes = child.ownTextBytes
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte < 0x80 {
                    if byte != 0x0A || previous != 0x0D { count += 1 }
                    i += 1
                } else if let length = standaloneLength(bytes, at: i) {
                    count += 1
                    i += length
                } else {
                    standalone = false
                    return .stop
                }
                previous = byte
            }
            return .continue
        }
        return standalone ? count : node.text.count
    }

    /// The length of the UTF-8 sequence at `i` when it is a scalar that is always a Character by itself (grapheme
    /// break class Other or Control: no combining mark, joiner, prepended mark, Hangul jamo or regional indicator),
    /// from the ranges news text is mostly written in; nil for any other scalar or bytes that are not valid UTF-8.
    private static func standaloneLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let lead = bytes[i]
        if lead >= 0xC2 && lead <= 0xD4 {
            guard i + 1 < bytes.count, bytes[i + 1] & 0xC0 == 0x80 else { return nil }
            let scalar = UInt32(lead & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
            // Latin-1, Latin Extended, IPA, spacing modifiers; Greek; Cyrillic without its combining marks.
            let standalone =
                scalar <= 0x2FF || (0x370...0x482).contains(scalar) || (0x48A...0x52F).contains(scalar)
            return standalone ? 2 : nil
        }
        if lead >= 0xE2 && lead <= 0xEF {
            guard i + 2 < bytes.count, bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80 else { return nil }
            let scalar = UInt32(lead & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
            // Dashes, quotes, bullets and other punctuation (not the joiners and format controls around them),
            // currency signs, CJK punctuation (not its tone marks), kana (not the voicing marks), CJK ideographs,
            // full-width ASCII.
            let standalone =
                (0x2010...0x2027).contains(scalar) || (0x2030...0x205E).contains(scalar)
                || (0x20A0...0x20C0).contains(scalar) || (0x3000...0x3029).contains(scalar)
                || (0x3041...0x3096).contains(scalar) || (0x30A0...0x30FF).contains(scalar)
                || (0x4E00...0x9FFF).contains(scalar) || (0xFF01...0xFF5E).contains(scalar)
            return standalone ? 3 : nil
        }
        return nil
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
