import Foundation

/// Adds sources to a config file as text, so everything else in it stays as written: formatting, `//` and `/* */`
/// comments, trailing commas, key order. The new blocks go at the end of the top-level `"sources"` array, indented
/// like its closing bracket plus two spaces.
package enum ConfigEditor {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// A new config holding only `blocks` (for `herald source add` when no config file exists yet).
    package static func newConfig(with blocks: [String]) -> String {
        """
        {
          // Written by `herald source add`. Every key and its default: docs/config.md.
          "database": "herald.db",
          "sources": [
        \(blocks.joined(separator: ",\n"))
          ]
        }

        """
    }

    /// `text` with `blocks` (JSON objects, already indented by four spaces) appended to its `"sources"` array.
    package static func appendSources(_ blocks: [String], to text: String) throws(Failure) -> String {
        guard !blocks.isEmpty else { return text }
        let bytes = Array(text.utf8)
        guard let (open, close) = sourcesArray(in: bytes) else {
            throw Failure(description: "no top-level \"sources\" array found to add to")
        }
        // The last significant byte before the closing bracket: `[` (empty array), `,` (trailing comma) or a value.
        var last = close - 1
        while last > open {
            if let skipped = commentStart(endingAt: last, in: bytes, after: open) {
                last = skipped - 1
                continue
            }
            if isSpace(bytes[last]) {
                last -= 1
                continue
            }
            break
        }
        // The new blocks go after anything already in the array, comments included (a comment trailing the last
        // source stays with it); a comma, when one is needed, right after the last value.
        var end = close
        while end > open + 1, isSpace(bytes[end - 1]) { end -= 1 }
        let closeIndent = indentation(ofLineAt: close, in: bytes)
        let needsComma = bytes[last] != UInt8(ascii: "[") && bytes[last] != UInt8(ascii: ",")
        let reindented = blocks.map { reindent($0, to: closeIndent + "  ") }
        var insertion = "\n" + reindented.joined(separator: ",\n")
        // Keep the closing bracket on its own line, where it was.
        insertion += bytes[end..<close].contains(UInt8(ascii: "\n")) ? "" : "\n" + closeIndent
        var result = Array(bytes[...last])
        if needsComma { result.append(UInt8(ascii: ",")) }
        result += bytes[(last + 1)..<end]
        result += Array(insertion.utf8)
        result += bytes[end...]
        return String(decoding: result, as: UTF8.self)
    }

    /// The byte offsets of the top-level `"sources"` array's `[` and `]`.
    static func sourcesArray(in bytes: [UInt8]) -> (Int, Int)? {
        var depth = 0
        var index = 0
        var lastString: String?
        var awaitingValueOfSources = false
        var sourcesOpen: Int?
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            }
            if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                index += 2
                while index + 1 < bytes.count,
                    !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/"))
                {
                    index += 1
                }
                index += 2
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                let start = index + 1
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                lastString = String(decoding: bytes[start..<min(index, bytes.count)], as: UTF8.self)
            case UInt8(ascii: ":"):
                awaitingValueOfSources = depth == 1 && lastString == "sources" && sourcesOpen == nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if awaitingValueOfSources, byte == UInt8(ascii: "[") { sourcesOpen = index }
                awaitingValueOfSources = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if let open = sourcesOpen, depth == 1, byte == UInt8(ascii: "]") { return (open, index) }
            default:
                if !isSpace(byte) { awaitingValueOfSources = false }
            }
            index += 1
        }
        return nil
    }

    /// When `index` ends a `/* … */` comment, or sits inside a `// …` line comment, the offset where it starts.
    private static func commentStart(endingAt index: Int, in bytes: [UInt8], after floor: Int) -> Int? {
        if index > floor + 1, bytes[index] == UInt8(ascii: "/"), bytes[index - 1] == UInt8(ascii: "*") {
            var start = index - 2
            while start > floor, !(bytes[start] == UInt8(ascii: "/") && bytes[start + 1] == UInt8(ascii: "*")) {
                start -= 1
            }
            return start
        }
        // A line comment: scan the line from its start for `//` outside a string.
        var lineStart = index
        while lineStart > floor + 1, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        var inString = false
        var position = lineStart
        while position < index {
            if bytes[position] == UInt8(ascii: "\"") { inString.toggle() }
            if !inString, bytes[position] == UInt8(ascii: "/"), bytes[position + 1] == UInt8(ascii: "/") {
                return position
            }
            position += 1
        }
        return nil
    }

    private static func indentation(ofLineAt index: Int, in bytes: [UInt8]) -> String {
        var start = index
        while start > 0, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        var end = start
        while end < index, bytes[end] == UInt8(ascii: " ") || bytes[end] == UInt8(ascii: "\t") { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// `block`'s lines moved so its first line starts at `indent`.
    private static func reindent(_ block: String, to indent: String) -> String {
        let lines = block.split(separator: "\n", omittingEmptySubsequences: false)
        let current = lines.first.map { $0.prefix { $0 == " " }.count } ?? 0
        return lines.map { line in indent + line.dropFirst(min(current, line.prefix { $0 == " " }.count)) }
            .joined(separator: "\n")
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
