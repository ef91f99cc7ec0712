/// Removes, before parsing, the bytes of a page that cannot hold article content.
///
/// On an RFI article page about 400 of 480 KB are inline `<style>` (with SVG markup inside `url('data:…')`), inline
/// `<svg>` icons and `<script>` bundles. libxml2 spends half its time on them (perf-notes.md), and extraction never
/// reads them. Removed whole (start tag, content, end tag):
/// - comments;
/// - `<style>` and `<svg>` elements (nested `<svg>` counted);
/// - `<script>` elements, except JSON ones (`type` containing `json`): JSON-LD and RFI's
///   `<script id="datalayer" type="application/json">` carry metadata.
///
/// The end of a raw-text element is found the way the HTML tokenizer finds it: the first case-insensitive `</script`
/// (`</style`) followed by a delimiter. RFI's scripts write `<\/div>` in strings, which is not an end tag, and an
/// `<svg>` written inside a style's `url()` is inside the style. A raw-text element that never ends runs to the end
/// of input, as in a browser. An unterminated `<svg>` is kept (it is ordinary markup, and may hold the rest of a
/// truncated page).
enum ContentStripper {
    static func strip(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { strip(MarkupScanner($0)) }
    }

    private static func strip(_ scanner: MarkupScanner) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(scanner.count / 2)
        var copied = 0 // bytes[copied..<i] are pending copy
        var i = 0
        func flush(upTo end: Int) {
            if end > copied { out.append(contentsOf: UnsafeBufferPointer(rebasing: scanner.bytes[copied..<end])) }
        }
        while let lt = scanner.find(UInt8(ascii: "<"), from: i) {
            if scanner.isCommentStart(at: lt) {
                flush(upTo: lt)
                i = scanner.endOfComment(from: lt)
                copied = i
                continue
            }
            guard let next = scanner.byte(at: lt + 1), ASCII.isAlpha(next) else {
                i = lt + 1
                continue
            }
            if scanner.hasName("script", at: lt + 1) {
                let tagEnd = scanner.endOfTag(from: lt + 7)
                let end = scanner.closingTag("script", from: tagEnd)?.end ?? scanner.count
                if !isJSONScript(scanner.attributes(in: (lt + 7)..<tagEnd)) {
                    flush(upTo: lt)
                    copied = end
                }
                i = end
            } else if scanner.hasName("style", at: lt + 1) {
                let tagEnd = scanner.endOfTag(from: lt + 6)
                let end = scanner.closingTag("style", from: tagEnd)?.end ?? scanner.count
                flush(upTo: lt)
                copied = end
                i = end
            } else if scanner.hasName("svg", at: lt + 1) {
                let tagEnd = scanner.endOfTag(from: lt + 4)
                let selfClosing = tagEnd >= 2 && scanner.bytes[tagEnd - 2] == UInt8(ascii: "/")
                if selfClosing {
                    flush(upTo: lt)
                    copied = tagEnd
                    i = tagEnd
                } else if let close = scanner.closingTag("svg", from: tagEnd, nests: true) {
                    flush(upTo: lt)
                    copied = close.end
                    i = close.end
                } else {
                    i = tagEnd
                }
            } else {
                // Any other tag: step over it whole, so a `<script` inside an attribute value is not mistaken for one.
                i = scanner.endOfTag(from: lt + 1)
            }
        }
        flush(upTo: scanner.count)
        return out
    }

    private static func isJSONScript(_ attributes: [(name: [UInt8], value: [UInt8])]) -> Bool {
        guard let type = attributes.first(where: { $0.name.elementsEqual("type".utf8) }) else { return false }
        let value = type.value.map(ASCII.lowercase)
        let json = Array("json".utf8)
        guard value.count >= json.count else { return false }
        for start in 0...(value.count - json.count) where value[start..<(start + json.count)].elementsEqual(json) {
            return true
        }
        return false
    }
}
