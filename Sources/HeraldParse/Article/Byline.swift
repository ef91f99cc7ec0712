import Foundation

/// The author names a page prints for readers, for pages whose metadata names none: `rel=author` links, elements
/// the page names as the byline or the author (`class`/`id` words such as byline, author, autor, auteur, writer),
/// and short lines beside the headline that start "By", "Von", "Par", "Por", "作者："…
///
/// A byline's text is cut down to the names: the label before them ("Written by", "Geschrieben von", "作者："), and
/// what follows them (a date, "on …", "| Section", a role after a comma) are dropped; "Jane Doe and John Roe" gives
/// two names. A candidate is a name only if it looks like one: one to five words (two to twelve characters without
/// spaces in CJK), starting with a capital or a non-Latin letter, no digits, no "@", no sentence punctuation; "By" alone, a
/// label, or a whole sentence gives nothing. Comments, related-post lists and navigation are never read.
enum Byline {
    static let maximumLine = 120
    static let maximumName = 50

    /// Names in a byline's text ("By Jane Doe and John Roe | 5 March 2024" → ["Jane Doe", "John Roe"]).
    static func names(from raw: String, requirePrefix: Bool = false) -> [String] {
        guard !hasMoreGraphicBytes(raw, than: maximumLine) else { return [] }
        var text = Normalize.whitespace(raw)
        guard !text.isEmpty, hasAtMostCharacters(text, maximumLine) else { return [] }
        var prefixed = false
        // Labels, longest first, repeatedly ("Posted by: By Jane").
        var stripped = true
        while stripped {
            stripped = false
            let lower = lowercasedHead(text)
            for label in labelList.candidates(lower) where lower.hasPrefix(label) {
                let rest = text.dropFirst(label.count)
                // A Latin label ends at a word boundary ("Bylines" is not "By lines").
                if let first = label.unicodeScalars.first, first.isASCII, let next = rest.unicodeScalars.first,
                    next.properties.isAlphabetic, label.last?.isLetter == true
                {
                    continue
                }
                text = Normalize.whitespace(String(rest.drop(while: { $0 == ":" || $0 == "：" || $0 == " " })))
                prefixed = true
                stripped = true
                break
            }
        }
        if requirePrefix, !prefixed { return [] }
        text = cutTail(text)
        var parts = [text]
        for (separator, bytes) in zip(nameSeparators, nameSeparatorBytes) {
            parts = parts.flatMap { split($0, at: separator, bytes) }
        }
        var names: [String] = []
        for part in parts {
            let name = trimming(Normalize.whitespace(part), nameTrim)
            guard looksLikeName(name) else {
                // One bad part (a sentence, a role) spoils the line: it was not a byline.
                if !name.isEmpty, names.isEmpty || parts.count > 1 { return [] }
                continue
            }
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// Does `text` hold more than `limit` printable ASCII bytes (`!`…`~`)? Then its normalised form holds more than
    /// `limit` Characters too (normalising touches only whitespace, and no two such bytes share a Character), and is
    /// no byline. Speed: a headline's sibling can be the whole article, which was normalised before its length was read.
    private static func hasMoreGraphicBytes(_ text: String, than limit: Int) -> Bool {
        var count = 0
        for byte in text.utf8 where byte &- 0x21 < 0x5E {
            count += 1
            if count > limit { return true }
        }
        return false
    }

    /// `text.count <= limit`, counting no further than the limit (speed: a headline's sibling can be the whole
    /// article, and counting its Characters cost more than the rest of the byline rules).
    private static func hasAtMostCharacters(_ text: String, _ limit: Int) -> Bool {
        if text.utf8.count <= limit { return true }  // a Character has at least one byte
        var count = 0
        for _ in text {
            count += 1
            if count > limit { return false }
        }
        return true
    }

    /// The first `headLength` Characters of `text`, lowercased: what a label (18 Characters at most) is compared
    /// with. `lowercased()` maps each scalar on its own, so a label is a prefix of this exactly when it is one of the
    /// whole text lowercased (speed: lowercasing whole lines cost more than the rest of the byline rules).
    static func lowercasedHead(_ text: String) -> String {
        if let latin1 = latin1LowercasedHead(text) { return latin1 }
        return String(text.prefix(headLength)).lowercased()
    }

    /// `lowercasedHead` of a text whose head is Latin-1 (U+0000…U+00FF), lowercased scalar by scalar (speed:
    /// `lowercased()` cost about 4,000 instructions a line, 16,000 with an umlaut, and the byline and date rules ask it
    /// of many lines); nil otherwise. The first `headLength` scalars are the first `headLength` Characters when they
    /// and the scalar after them are Latin-1 and none is a carriage return (each is then a Character by itself, but
    /// CR LF), and `lowercased()` maps each by itself: A–Z and À–Þ (not ×) move up by 0x20, the rest stay.
    private static func latin1LowercasedHead(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var out: [UInt8] = []
            out.reserveCapacity(2 * headLength)
            var scalars = 0
            var i = 0
            while i < bytes.count {
                var value = UInt32(bytes[i])
                var width = 1
                if value >= 0x80 {
                    guard value == 0xC2 || value == 0xC3, i + 1 < bytes.count, bytes[i + 1] & 0xC0 == 0x80 else {
                        return nil
                    }
                    value = (value & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
                    width = 2
                }
                guard value != 0x0D else { return nil }
                if scalars == headLength { break }  // the scalar after the head: checked, not kept
                let isUpper = (0x41...0x5A).contains(value) || ((0xC0...0xDE).contains(value) && value != 0xD7)
                let lower = isUpper ? value + 0x20 : value
                if lower < 0x80 {
                    out.append(UInt8(lower))
                } else {
                    out.append(0xC0 | UInt8(lower >> 6))
                    out.append(0x80 | UInt8(lower & 0x3F))
                }
                scalars += 1
                i += width
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    static let headLength = 32

    /// Byline labels (lowercase), longest first so "written by" wins over "by".
    private static let labels: [String] = [
        "ein beitrag von", "ein artikel von", "geschrieben von", "verfasst von", "veröffentlicht von", "erstellt von",
        "written by", "posted by", "published by", "words by", "story by", "report by", "reported by",
        "publié par", "écrit par", "escrito por", "publicado por", "scritto da", "pubblicato da", "geplaatst door",
        "autorin", "autoren", "author", "autor", "auteur", "autore", "verfasser", "text von", "text",
        "von", "by", "par", "por", "di", "door", "av", "przez", "作者", "文／", "文/", "记者", "記者", "撰文",
    ].sorted { $0.count > $1.count }

    static let labelList = LabelList(labels)
    static let strongLabelList = LabelList(strongLabels)

    /// Labels that only start a byline.
    static let strongLabels = [
        "posted by", "written by", "geschrieben von", "verfasst von", "ein beitrag von", "publié par", "écrit par",
        "escrito por", "publicado por", "scritto da", "geplaatst door", "autor:", "autorin:", "author:", "作者：",
    ]

    /// Where the names end: a date, "on …", a section after a bar.
    private static let tailMarks = [
        " | ", " |", "|", " – ", " — ", " - ", "•", "·", " / ", "(", "\n", " @", " on ", " am ", " le ", " el ", " il ",
        " in ", " for ", " em ", " at ", " um ", ", published", ", updated", " posted ", " veröffentlicht",
        " publié", " publicado", "，", "。",
    ]

    private static let tailMarkBytes = tailMarks.map { Array($0.utf8) }

    /// Where the first of `tailMarks` starts (the end when none occurs). Speed: compared as bytes where that gives
    /// Foundation's `range(of:)` answer (`TitleCleaner.isPlain`), which was most of the time of a byline's names.
    private static func firstTailMark(in text: String) -> String.Index {
        var end = text.endIndex
        guard TitleCleaner.isPlain(text) else {
            for mark in tailMarks {
                if let range = text.range(of: mark), range.lowerBound < end { end = range.lowerBound }
            }
            return end
        }
        var text = text
        let offset: Int? = text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                for mark in tailMarkBytes where mark[0] == bytes[i] && i + mark.count <= bytes.count {
                    var k = 1
                    while k < mark.count, bytes[i + k] == mark[k] { k += 1 }
                    if k == mark.count { return i }
                }
                i += 1
            }
            return nil
        }
        guard let offset else { return text.endIndex }
        return text.utf8.index(text.utf8.startIndex, offsetBy: offset)
    }

    private static func cutTail(_ text: String) -> String {
        var end = firstTailMark(in: text)
        if let digit = text.firstIndex(where: { $0.isNumber }), digit < end { end = digit }
        // Words left before a cut date or time: "Jane Doe Feb 5", "Jane Doe Stand: 5.3.", "Jane Doe vor 2 Stunden".
        var words = text[..<end].split(separator: " ")
        while let last = words.last, words.count > 1,
            trailingWords.contains(last.lowercased()) || isCalendarWord(last.lowercased())
        {
            words.removeLast()
        }
        return words.joined(separator: " ")
    }

    private static let trailingWords: Set<String> = [
        "stand", "vor", "am", "on", "le", "el", "den", "der", "updated", "aktualisiert", "published", "veröffentlicht",
        "posted", "publié", "publicado", "chefredakteur", "redakteur", "redakteurin", "reporter", "editor",
    ]

    /// A month or weekday name (with its abbreviations): "Feb", "Donnerstag", "Dezember".
    static func isCalendarWord(_ word: String) -> Bool {
        let bare = trimming(word, calendarTrim)
        return VisibleDate.monthNames[bare] != nil || weekdays.contains(bare)
    }

    private static let weekdays: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri",
        "sat", "sun", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "sonnabend",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lunes", "martes", "miércoles",
        "jueves", "viernes", "sábado", "domingo", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato",
    ]

    /// `text.components(separatedBy: separator)`, as bytes where that gives Foundation's answer (`TitleCleaner.isPlain`;
    /// speed: Foundation's search was most of the time of a byline's names).
    private static func split(_ text: String, at separator: String, _ pattern: [UInt8]) -> [String] {
        guard TitleCleaner.isPlain(text) else { return text.components(separatedBy: separator) }
        var parts: [String] = []
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            var i = 0
            while i + pattern.count <= bytes.count {
                var k = 0
                while k < pattern.count, bytes[i + k] == pattern[k] { k += 1 }
                if k == pattern.count {
                    parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                    i += k
                    start = i
                } else {
                    i += 1
                }
            }
            parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
        }
        return parts
    }

    /// `text.trimmingCharacters(in: CharacterSet(charactersIn: …))`: scalars of `set` dropped from both ends, as
    /// Foundation does, without Foundation (speed).
    private static func trimming(_ text: String, _ set: Set<Unicode.Scalar>) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !set.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !set.contains($0) })!
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return text }
        return String(scalars[first...last])
    }

    private static let nameTrim = Set(" ,;:.-–—".unicodeScalars)
    private static let calendarTrim = Set(".,".unicodeScalars)
    private static let nameSeparatorBytes = nameSeparators.map { Array($0.utf8) }

    private static let nameSeparators = [
        " and ", " und ", " & ", " et ", " y ", " e ", " i ", " og ", ", ", "、", " en ",
    ]

    /// Words that are labels, not names.
    private static let notNames: Set<String> = [
        "by", "von", "par", "por", "author", "autor", "autorin", "auteur", "posted", "written", "share", "teilen",
        "redaktion", "unknown", "anonymous", "guest", "admin", "administrator", "team", "staff", "editor",
        "editorial", "comments", "kommentare", "read more", "weiterlesen", "more", "mehr",
    ]

    static func looksLikeName(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= maximumName, !notNames.contains(name.lowercased()),
            !isCalendarWord(name.lowercased())
        else { return false }
        guard !name.contains("@"), !name.contains("http"), !name.contains(where: { $0.isNumber }),
            !name.contains(where: { "!?:;\"“”«»()[]{}<>=#*".contains($0) })
        else { return false }
        let scalars = name.unicodeScalars
        let cjk = scalars.contains { isCJK($0) }
        if cjk {
            return !name.contains(" ") ? (2...12).contains(name.count) : name.split(separator: " ").count <= 3
        }
        let words = name.split(separator: " ")
        guard (1...5).contains(words.count), let first = name.first, first.isLetter, first.isUppercase || !first.isCased
        else { return false }
        // Most words capitalised: "Jane van der Berg" yes, "the story of the day" no.
        let capitalised = words.filter { $0.first.map { $0.isUppercase || !$0.isCased } ?? false }.count
        return capitalised * 2 > words.count
    }

    private static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (0x3040...0x30FF).contains(v) || (0x3400...0x9FFF).contains(v) || (0xAC00...0xD7AF).contains(v)
    }

}

/// Labels grouped by their first Character, in their order: a text starts with a label only if it starts with the
/// label's first Character, so only those are compared (speed: a line was compared with every label, 43 for the
/// byline).
struct LabelList {
    private let byFirst: [Character: [String]]

    init(_ labels: [String]) {
        var byFirst: [Character: [String]] = [:]
        for label in labels {
            if let first = label.first { byFirst[first, default: []].append(label) }
        }
        self.byFirst = byFirst
    }

    /// The labels that `text` may start with (those starting with its first Character), in the list's order.
    func candidates(_ text: String) -> [String] {
        text.first.flatMap { byFirst[$0] } ?? []
    }
}
