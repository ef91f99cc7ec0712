import HeraldURL

/// Finds the charset a page declares in its markup: `<meta charset>` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=…">`.
///
/// The HTML Standard's prescan looks at the first 1024 bytes only; real pages (RFI's among them) put a 190 KB inline
/// `<style>` before their metas. This scan covers the whole head instead, stepping over comments and the contents of
/// `script`, `style`, `title`, `textarea`, `noscript` and `template`, and stops at the first element that can only be
/// in the body.
enum MetaPrescan {
    static func charsetLabel(in bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { charsetLabel(in: MarkupScanner($0)) }
    }

    private static func charsetLabel(in scanner: MarkupScanner) -> String? {
        var i = 0
        while let lt = scanner.find(UInt8(ascii: "<"), from: i) {
            if scanner.isCommentStart(at: lt) {
                i = scanner.endOfComment(from: lt)
                continue
            }
            guard let next = scanner.byte(at: lt + 1) else { return nil }
            if next == UInt8(ascii: "/") || next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
                i = scanner.endOfTag(from: lt + 2)
                continue
            }
            guard Byte.isAlpha(next) else {
                i = lt + 1
                continue
            }
            let (name, nameEnd) = scanner.tagName(at: lt + 1)
            let tagEnd = scanner.endOfTag(from: nameEnd)
            switch String(decoding: name, as: UTF8.self) {
            case "meta":
                if let label = charset(fromMeta: scanner.attributes(in: nameEnd..<tagEnd)) { return label }
            case "script":
                i = scanner.closingTag("script", from: tagEnd)?.end ?? scanner.count
                continue
            case "style":
                i = scanner.closingTag("style", from: tagEnd)?.end ?? scanner.count
                continue
            case "title":
                i = scanner.closingTag("title", from: tagEnd)?.end ?? scanner.count
                continue
            case "textarea":
                i = scanner.closingTag("textarea", from: tagEnd)?.end ?? scanner.count
                continue
            case "noscript":
                i = scanner.closingTag("noscript", from: tagEnd)?.end ?? scanner.count
                continue
            case "template":
                i = scanner.closingTag("template", from: tagEnd)?.end ?? scanner.count
                continue
            case "body", "div", "p", "article", "main", "section", "header", "footer", "nav", "h1", "h2", "h3",
                "table", "ul", "ol", "form", "span", "a", "img":
                return nil
            default:
                break
            }
            i = tagEnd
        }
        return nil
    }

    private static func charset(fromMeta attributes: [(name: [UInt8], value: [UInt8])]) -> String? {
        func value(_ name: String) -> String? {
            attributes.first(where: { $0.name.elementsEqual(name.utf8) })
                .map { String(decoding: $0.value, as: UTF8.self) }
        }
        if let charset = value("charset"), !Normalize.whitespace(charset).isEmpty {
            return Normalize.whitespace(charset)
        }
        guard let equiv = value("http-equiv"), ASCII.lowercased(Normalize.whitespace(equiv)) == "content-type",
            let content = value("content")
        else { return nil }
        return charset(fromContent: content)
    }

    /// HTML Standard "extracting a character encoding from a meta element": the value after `charset=`,
    /// optionally quoted.
    static func charset(fromContent content: String) -> String? {
        let bytes = Array(content.utf8)
        let lower = bytes.map(Byte.lowercase)
        let key = Array("charset".utf8)
        var i = 0
        while i + key.count <= lower.count {
            guard lower[i..<(i + key.count)].elementsEqual(key) else {
                i += 1
                continue
            }
            var j = i + key.count
            while j < bytes.count, MarkupScanner.isSpace(bytes[j]) { j += 1 }
            guard j < bytes.count, bytes[j] == UInt8(ascii: "=") else {
                i = j
                continue
            }
            j += 1
            while j < bytes.count, MarkupScanner.isSpace(bytes[j]) { j += 1 }
            guard j < bytes.count else { return nil }
            var end: Int
            if bytes[j] == UInt8(ascii: "\"") || bytes[j] == UInt8(ascii: "'") {
                let quote = bytes[j]
                j += 1
                end = j
                while end < bytes.count, bytes[end] != quote { end += 1 }
                guard end < bytes.count else { return nil }
            } else {
                end = j
                while end < bytes.count, !MarkupScanner.isSpace(bytes[end]), bytes[end] != UInt8(ascii: ";") {
                    end += 1
                }
            }
            let label = String(decoding: bytes[j..<end], as: UTF8.self)
            return label.isEmpty ? nil : label
        }
        return nil
    }
}
