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
public enum SearchText {
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
    public static func indexed(_ text: String) -> String {
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

    /// The distinct CJK characters of `texts`, in order of first appearance, separated by spaces: what
    /// `articles_chars` (schema v6) indexes, so that a one-character query is one token there.
    public static func characters(_ texts: [String]) -> String {
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

    /// Whether `term` holds a CJK character.
    static func hasCJK(_ term: String) -> Bool { term.unicodeScalars.contains { isCJK($0.value) } }
    /// Whether every character of `term` is CJK.
    static func isAllCJK(_ term: String) -> Bool { !term.isEmpty && term.unicodeScalars.allSatisfy { isCJK($0.value) } }
    /// Whether `term` has a letter or digit that `unicode61` keeps as (part of) a token.
    static func hasWordCharacter(_ term: String) -> Bool {
        term.unicodeScalars.contains { isCJK($0.value) || $0.properties.isAlphabetic || $0.properties.numericType != nil }
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
                var texts: [String] = []
                for index in 0..<Int(count) {
                    guard let argument = arguments?[index], sqlite3_value_type(argument) != SQLITE_NULL,
                          let bytes = sqlite3_value_text(argument) else { continue }
                    texts.append(String(decoding: UnsafeBufferPointer(start: bytes,
                                                                      count: Int(sqlite3_value_bytes(argument))),
                                        as: UTF8.self))
                }
                var utf8 = SearchText.characters(texts).utf8CString
                utf8.withUnsafeMutableBufferPointer { buffer in
                    sqlite3_result_text(context, buffer.baseAddress, Int32(buffer.count - 1), herald_sqlite_transient())
                }
            }, nil, nil, nil)
        sqlite3_create_function_v2(
            handle, "herald_search_text", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            { context, _, arguments in
                guard let argument = arguments?[0], sqlite3_value_type(argument) != SQLITE_NULL,
                      let bytes = sqlite3_value_text(argument) else {
                    sqlite3_result_null(context)
                    return
                }
                let count = Int(sqlite3_value_bytes(argument))
                let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
                let result = SearchText.indexed(text)
                var utf8 = result.utf8CString
                utf8.withUnsafeMutableBufferPointer { buffer in
                    sqlite3_result_text(context, buffer.baseAddress, Int32(buffer.count - 1), herald_sqlite_transient())
                }
            }, nil, nil, nil)
    }
}
