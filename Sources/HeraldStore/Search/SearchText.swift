import CSQLite
import Foundation

/// The text the word index (`articles_search`, schema v5) holds: every run of CJK characters written as its
/// overlapping pairs followed by its last character, everything else as it is, for FTS5's `unicode61` tokenizer.
///
///     台北市长 → " 台北 北市 市长 长 "       T-Dome → "T-Dome" (tokens t, dome)       400亿美元 → "400 亿美 美元 元 "
///
/// Each character of a CJK run is the start of exactly one token (its pair, or itself at the end of the run), so
/// token positions follow character positions: a two-character word is one token (`"台北"`), a longer one a phrase
/// of its pairs (`"习近 近平"`), a single character a prefix query (`"台"*`). The transformation is part of the schema:
/// the index's triggers call it as the SQL function `herald_search_text`, and changing it would need a rebuild.
package enum SearchText {
    /// Han (with the extensions and compatibility ideographs), kana and Hangul: the scripts written without spaces.
    @inline(__always)
    static func isCJK(_ value: UInt32) -> Bool {
        switch value {
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF,
            0x1100...0x11FF, 0x3130...0x318F, 0x20000...0x3134F:
            return true
        default:
            return false
        }
    }

    /// The indexed form of `text` (see the type's documentation).
    package static func indexed(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var run: [Unicode.Scalar] = []
        func flushRun() {
            guard !run.isEmpty else { return }
            scalars.append(" ")
            for index in 0..<(run.count - 1) {
                scalars.append(run[index])
                scalars.append(run[index + 1])
                scalars.append(" ")
            }
            scalars.append(run[run.count - 1])
            scalars.append(" ")
            run.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            if isCJK(scalar.value) {
                run.append(scalar)
            } else {
                flushRun()
                scalars.append(scalar)
            }
        }
        flushRun()
        return String(scalars)
    }

    /// What the trigram index (`articles_fts`, schema v9) holds: every run of CJK characters replaced by one U+0001,
    /// everything else as it is, so no trigram spans Chinese text (which `articles_search` indexes) and every non-CJK
    /// substring is where it was. `400亿美元` → `400\u{1}`. Part of the schema: the SQL function `herald_latin_text`.
    package static func latin(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var inRun = false
        for scalar in text.unicodeScalars {
            if isCJK(scalar.value) {
                if !inRun { scalars.append(latinRunMark) }
                inRun = true
            } else {
                scalars.append(scalar)
                inRun = false
            }
        }
        return String(scalars)
    }

    /// What stands for a run of CJK characters in `latin`: a control character no article text holds.
    static let latinRunMark: Unicode.Scalar = "\u{1}"

    /// `latin` of the UTF-8 text `bytes`, as UTF-8; nil when `bytes` is not valid UTF-8.
    static func latinUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inRun = false
        var index = 0
        while index < bytes.count {
            guard let (length, value) = scalar(in: bytes, at: index) else { return nil }
            if isCJK(value) {
                if !inRun { out.append(0x01) }
                inRun = true
            } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
                inRun = false
            }
            index += length
        }
        return out
    }

    /// The distinct CJK characters of `texts`, in order of first appearance, separated by spaces: what
    /// `articles_chars` (schema v6) indexes, so that a one-character query is one token there.
    package static func characters(_ texts: [String]) -> String {
        var seen = Set<UInt32>()
        var scalars = String.UnicodeScalarView()
        for text in texts {
            for scalar in text.unicodeScalars where isCJK(scalar.value) && seen.insert(scalar.value).inserted {
                if !scalars.isEmpty { scalars.append(" ") }
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    // MARK: - The same on UTF-8 bytes, for the SQL functions

    // The triggers call the functions on every title, lead, body and author list written, so they work on the bytes
    // SQLite hands over rather than building a String, a scalar view and a C string (about a tenth of a save's CPU
    // in a profile). Their output must be byte for byte what `indexed` and `characters` give: the index's 'delete'
    // recomputes it from the old row. So they accept only valid UTF-8 and answer nil otherwise, and the caller then
    // takes the String path (which reads invalid bytes as U+FFFD).

    /// The length of the valid UTF-8 sequence starting at `index` and its scalar, or nil when the bytes there are not
    /// valid UTF-8 (overlong forms, surrogates and values past U+10FFFF included, as Swift's decoder rejects them).
    @inline(__always)
    static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (length: Int, value: UInt32)? {
        let count = bytes.count
        let lead = bytes[index]
        if lead < 0x80 { return (1, UInt32(lead)) }
        func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> UInt32? {
            guard index + offset < count else { return nil }
            let byte = bytes[index + offset]
            return byte >= low && byte <= high ? UInt32(byte & 0x3F) : nil
        }
        switch lead {
        case 0xC2...0xDF:
            guard let b1 = continuation(1) else { return nil }
            return (2, UInt32(lead & 0x1F) << 6 | b1)
        case 0xE0...0xEF:
            let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = lead == 0xED ? 0x9F : 0xBF
            guard let b1 = continuation(1, low, high), let b2 = continuation(2) else { return nil }
            return (3, UInt32(lead & 0x0F) << 12 | b1 << 6 | b2)
        case 0xF0...0xF4:
            let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
            guard let b1 = continuation(1, low, high), let b2 = continuation(2), let b3 = continuation(3) else {
                return nil
            }
            return (4, UInt32(lead & 0x07) << 18 | b1 << 12 | b2 << 6 | b3)
        default:
            return nil
        }
    }

    /// `indexed` of the UTF-8 text `bytes`, as UTF-8; nil when `bytes` is not valid UTF-8.
    static func indexedUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2 + 8)
        // The current CJK run as (start, length) of each character in `bytes`.
        var run: [(start: Int, length: Int)] = []
        func append(_ character: (start: Int, length: Int)) {
            out.append(
                contentsOf: UnsafeBufferPointer(rebasing: bytes[character.start..<(character.start + character.length)])
            )
        }
        func flushRun() {
            guard let last = run.last else { return }
            out.append(0x20)
            for index in 0..<(run.count - 1) {
                append(run[index])
                append(run[index + 1])
                out.append(0x20)
            }
            append(last)
            out.append(0x20)
            run.removeAll(keepingCapacity: true)
        }
        var index = 0
        while index < bytes.count {
            guard let (length, value) = scalar(in: bytes, at: index) else { return nil }
            if isCJK(value) {
                run.append((index, length))
            } else {
                flushRun()
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
            }
            index += length
        }
        flushRun()
        return out
    }

    /// `characters` of the UTF-8 texts, as UTF-8; nil when one of them is not valid UTF-8.
    static func charactersUTF8(_ texts: [UnsafeBufferPointer<UInt8>]) -> [UInt8]? {
        var seen = Set<UInt32>()
        var out: [UInt8] = []
        for bytes in texts {
            var index = 0
            while index < bytes.count {
                guard let (length, value) = scalar(in: bytes, at: index) else { return nil }
                if isCJK(value) && seen.insert(value).inserted {
                    if !out.isEmpty { out.append(0x20) }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
                }
                index += length
            }
        }
        return out
    }

    /// Whether `term` holds a CJK character.
    static func hasCJK(_ term: String) -> Bool { term.unicodeScalars.contains { isCJK($0.value) } }
    /// The longest run of consecutive CJK characters in `term` (the first of equal ones), or nil when it has none.
    static func longestCJKRun(_ term: String) -> String? {
        var best = String.UnicodeScalarView()
        var run = String.UnicodeScalarView()
        for scalar in term.unicodeScalars {
            if isCJK(scalar.value) {
                run.append(scalar)
                if run.count > best.count { best = run }
            } else {
                run = String.UnicodeScalarView()
            }
        }
        return best.isEmpty ? nil : String(best)
    }
    /// Whether every character of `term` is CJK.
    static func isAllCJK(_ term: String) -> Bool { !term.isEmpty && term.unicodeScalars.allSatisfy { isCJK($0.value) } }
    /// Whether `term` has a letter or digit that `unicode61` keeps as (part of) a token.
    static func hasWordCharacter(_ term: String) -> Bool {
        term.unicodeScalars.contains {
            isCJK($0.value) || $0.properties.isAlphabetic || $0.properties.numericType != nil
        }
    }

    /// The FTS5 phrase that finds `term` in `articles_search`, or nil when it has no letter, digit or CJK character
    /// (punctuation alone is not indexed). Always one quoted string (a `"` inside doubled), so nothing the user typed
    /// is FTS5 syntax; `*` after it when the term ends in a single CJK character or a Latin/digit word (a prefix).
    static func phrase(for term: String) -> String? {
        guard hasWordCharacter(term) else { return nil }
        var tokens: [String] = []
        var run: [Unicode.Scalar] = []
        var other = String.UnicodeScalarView()
        var prefix = false
        let scalars = Array(term.unicodeScalars)
        var index = 0
        func flushRun(last: Bool) {
            guard !run.isEmpty else { return }
            if run.count == 1 {
                tokens.append(String(Character(run[0])))
                prefix = last
            } else {
                for i in 0..<(run.count - 1) { tokens.append(String(String.UnicodeScalarView([run[i], run[i + 1]]))) }
                if !last { tokens.append(String(Character(run[run.count - 1]))) }
                prefix = false
            }
            run.removeAll()
        }
        func flushOther(last: Bool) {
            guard !other.isEmpty else { return }
            let text = String(other)
            tokens.append(text)
            if last, let final = text.unicodeScalars.last {
                prefix = final.properties.isAlphabetic || final.properties.numericType != nil
            } else {
                prefix = false
            }
            other = String.UnicodeScalarView()
        }
        while index < scalars.count {
            let scalar = scalars[index]
            let last = index == scalars.count - 1
            if isCJK(scalar.value) {
                flushOther(last: false)
                run.append(scalar)
                if last { flushRun(last: true) }
            } else {
                flushRun(last: false)
                other.append(scalar)
                if last { flushOther(last: true) }
            }
            index += 1
        }
        let body = tokens.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"")
        return "\"" + body + "\"" + (prefix ? "*" : "")
    }

    /// Registers `herald_search_text(text)` on `connection` (deterministic and innocuous, so the schema's triggers may
    /// call it). Every connection Herald opens has it; other writers (sqlite3, Python) must register an equal function
    /// to insert or change articles (Benchmarks/make-archive.py shows how).
    static func register(on handle: OpaquePointer) {
        // herald_search_chars(title, lead, body_text): `characters` of its arguments (NULLs skipped).
        sqlite3_create_function_v2(
            handle, "herald_search_chars", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            { context, count, arguments in
                var texts: [UnsafeBufferPointer<UInt8>] = []
                for index in 0..<Int(count) {
                    guard let argument = arguments?[index], sqlite3_value_type(argument) != SQLITE_NULL,
                        let bytes = sqlite3_value_text(argument)
                    else { continue }
                    texts.append(UnsafeBufferPointer(start: bytes, count: Int(sqlite3_value_bytes(argument))))
                }
                let result =
                    SearchText.charactersUTF8(texts)
                    ?? Array(SearchText.characters(texts.map { String(decoding: $0, as: UTF8.self) }).utf8)
                result.withUnsafeBufferPointer { buffer in
                    SearchText.setResult(context, buffer)
                }
            }, nil, nil, nil)
        sqlite3_create_function_v2(
            handle, "herald_latin_text", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            { context, _, arguments in
                SearchText.transformText(context, arguments, fast: SearchText.latinUTF8) {
                    Array(SearchText.latin($0).utf8)
                }
            }, nil, nil, nil)
        sqlite3_create_function_v2(
            handle, "herald_search_text", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            { context, _, arguments in
                SearchText.transformText(context, arguments, fast: SearchText.indexedUTF8) {
                    Array(SearchText.indexed($0).utf8)
                }
            }, nil, nil, nil)
    }

    /// The body of a one-argument text function: NULL stays NULL; the text goes through `fast` (on SQLite's UTF-8
    /// bytes) or, when that declines (invalid UTF-8), through `slow` on the decoded String, so the output is the same
    /// either way.
    private static func transformText(
        _ context: OpaquePointer?, _ arguments: UnsafeMutablePointer<OpaquePointer?>?,
        fast: (UnsafeBufferPointer<UInt8>) -> [UInt8]?, slow: (String) -> [UInt8]
    ) {
        guard let argument = arguments?[0], sqlite3_value_type(argument) != SQLITE_NULL,
            let bytes = sqlite3_value_text(argument)
        else {
            sqlite3_result_null(context)
            return
        }
        let text = UnsafeBufferPointer(start: bytes, count: Int(sqlite3_value_bytes(argument)))
        let result = fast(text) ?? slow(String(decoding: text, as: UTF8.self))
        result.withUnsafeBufferPointer { buffer in
            SearchText.setResult(context, buffer)
        }
    }

    /// A function's text result (copied by SQLite); an empty text is '' rather than NULL.
    private static func setResult(_ context: OpaquePointer?, _ buffer: UnsafeBufferPointer<UInt8>) {
        if let base = buffer.baseAddress, !buffer.isEmpty {
            base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                sqlite3_result_text(context, pointer, Int32(buffer.count), herald_sqlite_transient())
            }
        } else {
            sqlite3_result_text(context, "", 0, herald_sqlite_transient())
        }
    }
}
