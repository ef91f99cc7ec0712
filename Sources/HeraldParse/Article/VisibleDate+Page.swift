import HeraldTime
import HeraldURL

// MARK: Finding the date on the page

extension VisibleDate {
    /// The longest text an element may hold for its text to be read as a date line.
    static let maximumDateLine = 240
    /// The longest line beside the headline read for a date: longer is the article's text.
    static let maximumHeadlineLine = 160
    static let maximumLineWords = 12

    /// The publication date printed on the page: first in an element the page names as a date or as the article's
    /// meta line (`class`/`id`/`itemprop` words such as date, datum, fecha, published, posted, time, meta, byline;
    /// `<time>` without `datetime`), in document order within `scope`, skipping comments; then in the short lines
    /// next to the headline (`headline`'s siblings and its parent's). An element named as an update date
    /// (`updated`, `modified`) is not read.
    static func find(in scope: Node, headline: Node?, monthFirst: Bool, now: Instant = .now) -> Instant? {
        var found: Instant?
        scope.walk { node in
            guard node.isElement else { return .skipChildren }
            switch node.tag {
            case .nav, .footer, .form, .select, .option, .button: return .skipChildren
            default: break
            }
            let naming = dateNaming(node)
            if naming == .comment || naming == .update { return .skipChildren }
            if naming == .date || node.tag == .time {
                let text = node.text
                if text.utf8.count <= maximumDateLine * 4, !startsWithUpdate(text),
                    let date = parse(text, monthFirst: monthFirst, now: now)
                {
                    found = date
                    return .stop
                }
            }
            return .continue
        }
        if let found { return found }
        guard let headline else { return nil }
        // The lines around the headline: its siblings, then its parent's siblings.
        var level: Node? = headline
        for _ in 0..<2 {
            guard let current = level else { break }
            var siblings: [Node] = []
            // After the headline, up to where the text begins (the first long element).
            var next = current.nextSibling
            while let sibling = next, siblings.count < 6 {
                next = sibling.nextSibling
                guard sibling.isElement else { continue }
                if sibling.text.utf8.count > maximumHeadlineLine { break }
                siblings.append(sibling)
            }
            var previous = current.previousSibling
            var before = 0
            while let sibling = previous, before < 2 {
                if sibling.isElement {
                    siblings.append(sibling)
                    before += 1
                }
                previous = sibling.previousSibling
            }
            for sibling in siblings where sibling.tag != .nav && dateNaming(sibling) == .none {
                let text = sibling.text
                // A date line, not a sentence of the text that mentions a date.
                guard text.utf8.count <= maximumHeadlineLine, !startsWithUpdate(text),
                    text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).count <= maximumLineWords
                else { continue }
                if let date = parse(text, monthFirst: monthFirst, now: now) { return date }
            }
            level = current.parent
        }
        return nil
    }

    enum Naming { case none, date, update, comment }

    /// A line that gives the update date ("Updated: 6 March", "Aktualisiert am …", "Mis à jour le …").
    static func startsWithUpdate(_ text: String) -> Bool {
        let lower = Byline.lowercasedHead(Normalize.whitespace(text))  // the labels are shorter
        return updateLabelList.candidates(lower).contains { lower.hasPrefix($0) }
    }

    private static let updateLabelList = LabelList(updateLabels)

    private static let updateLabels = [
        "updated", "last updated", "aktualisiert", "zuletzt aktualisiert", "geändert", "mis à jour", "actualizado",
        "actualización", "aggiornato", "atualizado", "modified", "edited", "更新",
    ]

    /// What an element's `class`, `id` and `itemprop` words say: a date or meta line, an update date, comments.
    static func dateNaming(_ node: Node) -> Naming {
        // In one walk of the attributes; as if read in the order class, id, itemprop: the first comment or update
        // word of the earliest of them decides, else any date word makes a date line.
        var decided: (index: Int, naming: Naming)?
        var date = false
        AttributeWords.forEach(node, dateNamingAttributes) { index, word in
            if let decided, decided.index <= index { return true }
            if commentMarkList.hasPrefix(of: word) {
                decided = (index, .comment)
                return true
            }
            if updateMarkList.occurs(in: word) {
                decided = (index, .update)
                return true
            }
            if dateWordList.contains(word) || datePartList.occurs(in: word) {
                date = true
            }
            return false
        }
        return decided?.naming ?? (date ? .date : .none)
    }

    private static let dateNamingAttributes = AttributeWords.bytes(["class", "id", "itemprop"])
    // Compared by first byte (`WordList`).
    private static let commentMarkList = WordList(commentMarks)
    private static let updateMarkList = WordList(updateMarks)
    private static let dateWordList = WordList(Array(dateWords))
    private static let datePartList = WordList(dateParts)

    private static let commentMarks = ["comment", "reply", "respond", "kommentar", "disqus"]
    private static let updateMarks = ["update", "modified", "aktualisiert", "geaendert", "edited"]
    /// Whole words.
    private static let dateWords: Set<String> = [
        "time", "data", "day", "meta", "metadata", "docdata", "byline", "info", "posted", "published", "created",
        "when", "fecha", "datum",
    ]
    /// Contained in a word (`entry-date`, `postDate`, `itemPostDate`, `post-meta`, `publishdate`).
    private static let dateParts = [
        "date", "datum", "fecha", "publish", "posted", "postmeta", "entrymeta", "timestamp",
        "dateline", "byline", "pubtime", "posttime", "articlemeta", "postinfo", "entryinfo",
    ]

    /// A date written in the URL's path: `/2024/03/05/`, `/2024-03-05-slug`, `/20240305/`.
    static func fromURL(_ url: String, now: Instant = .now) -> Instant? {
        guard let pathStart = url.range(of: "://").map({ url[$0.upperBound...] })?.firstIndex(of: "/") else {
            return nil
        }
        let path = Array(url[pathStart...].utf8)
        var i = 0
        while i < path.count {
            // A date starts after a separator.
            guard path[i] == UInt8(ascii: "/") || path[i] == UInt8(ascii: "-") || path[i] == UInt8(ascii: "_") else {
                i += 1
                continue
            }
            if let day = urlDate(path, from: i + 1), plausible(day, now: now) { return midnight(day) }
            i += 1
        }
        return nil
    }

    private static func urlDate(_ path: [UInt8], from start: Int) -> Day? {
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= path.count else { return nil }
            var value = 0
            for k in from..<(from + count) {
                guard ASCII.isDigit(path[k]) else { return nil }
                value = value * 10 + Int(path[k] - 0x30)
            }
            return value
        }
        func isEnd(_ index: Int) -> Bool { index >= path.count || !ASCII.isDigit(path[index]) }
        guard let year = number(start, 4), year >= earliestYear else { return nil }
        let separator = start + 4 < path.count ? path[start + 4] : 0
        if separator == UInt8(ascii: "/") || separator == UInt8(ascii: "-") {
            guard let month = number(start + 5, 2), start + 7 < path.count, path[start + 7] == separator,
                let day = number(start + 8, 2), isEnd(start + 10)
            else { return nil }
            return Day(year: year, month: month, day: day)
        }
        if let month = number(start + 4, 2), let day = number(start + 6, 2), isEnd(start + 8) {
            return Day(year: year, month: month, day: day)
        }
        return nil
    }
}
