import Foundation
import HeraldURL

/// Reads typed fields out of a parsed JSON document, collecting every problem with its field path and position
/// instead of stopping at the first one.
final class ConfigReader {
    typealias Members = [String: (value: JSONValue, position: JSONPosition)]

    let file: String
    private(set) var problems: [ConfigProblem] = []
    private(set) var warnings: [String] = []

    init(file: String) {
        self.file = file
    }

    func problem(_ field: String, at position: JSONPosition?, _ message: String) {
        problems.append(
            ConfigProblem(
                file: file, line: position?.line, column: position?.column, field: field,
                message: message))
    }

    func warn(_ field: String, _ message: String) {
        warnings.append("\(file): \(field): \(message)")
    }

    /// The members of an object, after reporting keys not in `allowed` (typos must not pass silently).
    func object(_ value: JSONValue, field: String, allowed: [String]) -> Members? {
        guard case let .object(members, _) = value else {
            problem(field, at: value.position, "expected an object, got \(value.summary)")
            return nil
        }
        var result: Members = [:]
        for member in members {
            if !allowed.contains(member.key) {
                let path = field.isEmpty ? member.key : "\(field).\(member.key)"
                let hint = Self.closest(to: member.key, in: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
                problem(
                    path, at: member.position,
                    "unknown key\(hint); allowed here: \(allowed.joined(separator: ", "))")
                continue
            }
            result[member.key] = (member.value, member.position)
        }
        return result
    }

    func path(_ field: String, _ key: String) -> String {
        field.isEmpty ? key : "\(field).\(key)"
    }

    func string(_ members: Members, _ key: String, in field: String) -> String? {
        guard let (value, _) = members[key] else { return nil }
        guard case let .string(text, _) = value else {
            problem(path(field, key), at: value.position, "expected a string, got \(value.summary)")
            return nil
        }
        return text
    }

    func bool(_ members: Members, _ key: String, in field: String) -> Bool? {
        guard let (value, _) = members[key] else { return nil }
        guard case let .bool(flag, _) = value else {
            problem(path(field, key), at: value.position, "expected true or false, got \(value.summary)")
            return nil
        }
        return flag
    }

    func int(_ members: Members, _ key: String, in field: String, range: ClosedRange<Int>) -> Int? {
        guard let (value, _) = members[key] else { return nil }
        guard case let .number(number, _) = value, number == number.rounded(), abs(number) < 1e15 else {
            problem(path(field, key), at: value.position, "expected a whole number, got \(value.summary)")
            return nil
        }
        let integer = Int(number)
        guard range.contains(integer) else {
            problem(
                path(field, key), at: value.position,
                "\(integer) is out of range (\(range.lowerBound)…\(range.upperBound))")
            return nil
        }
        return integer
    }

    /// A duration string ("90s", "15m", "6h"); numbers are refused because their unit would be a guess.
    func duration(
        _ members: Members, _ key: String, in field: String, minimum: Double,
        maximum: Double = 30 * 86400
    ) -> Double? {
        guard let (value, _) = members[key] else { return nil }
        guard case let .string(text, _) = value else {
            problem(
                path(field, key), at: value.position,
                "expected a duration string such as \"90s\", \"15m\" or \"6h\", got \(value.summary)")
            return nil
        }
        guard let seconds = DurationText.parse(text) else {
            problem(
                path(field, key), at: value.position,
                "\"\(text)\" is not a duration (use a number and a unit: ms, s, m, h, d, e.g. \"15m\")")
            return nil
        }
        guard seconds >= minimum else {
            problem(
                path(field, key), at: value.position,
                "\"\(text)\" is below the minimum of \(DurationText.format(minimum))")
            return nil
        }
        guard seconds <= maximum else {
            problem(
                path(field, key), at: value.position,
                "\"\(text)\" is above the maximum of \(DurationText.format(maximum))")
            return nil
        }
        return seconds
    }

    /// An absolute http(s) URL.
    func httpURL(_ members: Members, _ key: String, in field: String) -> String? {
        guard let text = string(members, key, in: field) else { return nil }
        let position = members[key]?.position
        // The scheme is judged first: `file:///etc/passwd` has no host, but what is wrong with it is the scheme.
        guard let url = AbsoluteURL(text) else {
            problem(
                path(field, key), at: position, "\"\(text)\" is not an absolute URL (e.g. https://example.com/news/)")
            return nil
        }
        guard url.scheme == "http" || url.scheme == "https" else {
            problem(
                path(field, key), at: position,
                "\"\(text)\": unsupported scheme \"\(url.scheme)\" (only http and https are fetched)")
            return nil
        }
        guard let host = url.host, !host.isEmpty else {
            problem(path(field, key), at: position, "\"\(text)\" has no host (e.g. https://example.com/news/)")
            return nil
        }
        return text
    }

    /// The allowed key nearest to a typo, when it is near enough to be a plausible intent.
    static func closest(to key: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, key.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where j <= b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
