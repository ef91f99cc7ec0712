import Foundation
import HeraldTime

/// Dates as publishers write them, parsed without `DateFormatter` (slow, locale-dependent, and lenient in ways that
/// hide bad data).
///
/// - ISO 8601 / RFC 3339: `2023-10-28T09:52:00+00:00`, `…Z`, `….123Z`, `+0800`, `+08`, a space instead of `T`, a bare
///   date (midnight UTC). No offset means UTC.
/// - RFC 822 / 2822 (RSS `pubDate`): `Sat, 28 Oct 2023 09:52:00 GMT`, `+0800`, named US zones, 2-digit years.
package enum Timestamp {
    /// ISO 8601 first, then RFC 822.
    package static func parse(_ text: String) -> Instant? {
        parseISO8601(text) ?? parseRFC822(text)
    }

    // MARK: ISO 8601

    package static func parseISO8601(_ text: String) -> Instant? {
        var scanner = ByteScanner(trimmed(text))
        guard let year = scanner.digits(exactly: 4) else { return nil }
        let extended = scanner.skip(UInt8(ascii: "-"))
        guard let month = scanner.digits(exactly: 2) else { return nil }
        if extended, !scanner.skip(UInt8(ascii: "-")) { return nil }
        guard let day = scanner.digits(exactly: 2) else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var fraction = 0.0
        var offset = 0
        if scanner.skip(UInt8(ascii: "T")) || scanner.skip(UInt8(ascii: "t")) || scanner.skip(UInt8(ascii: " ")) {
            guard let h = scanner.digits(exactly: 2) else { return nil }
            hour = h
            let colon = scanner.skip(UInt8(ascii: ":"))
            guard let m = scanner.digits(exactly: 2) else { return nil }
            minute = m
            if !colon || scanner.skip(UInt8(ascii: ":")) {
                if let s = scanner.digits(exactly: 2) { second = s } else if colon { return nil }
            }
            if scanner.skip(UInt8(ascii: ".")) || scanner.skip(UInt8(ascii: ",")) {
                var scale = 0.1
                var any = false
                while let digit = scanner.digit() {
                    fraction += Double(digit) * scale
                    scale /= 10
                    any = true
                }
                if !any { return nil }
            }
            scanner.skip(UInt8(ascii: " "))
            if scanner.skip(UInt8(ascii: "Z")) || scanner.skip(UInt8(ascii: "z")) {
                offset = 0
            } else if let sign = scanner.sign() {
                guard let oh = scanner.digits(exactly: 2) else { return nil }
                var om = 0
                let offsetColon = scanner.skip(UInt8(ascii: ":"))
                if let m = scanner.digits(exactly: 2) { om = m } else if offsetColon { return nil }
                guard oh <= 23, om <= 59 else { return nil }
                offset = sign * (oh * 3600 + om * 60)
            }
        }
        guard scanner.atEnd else { return nil }
        return makeInstant(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            fraction: fraction, offsetSeconds: offset)
    }

    // MARK: RFC 822

    package static func parseRFC822(_ text: String) -> Instant? {
        // Tokens: [weekday ","] day month year time zone. Commas and extra spaces are separators.
        let tokens = trimmed(text).split(whereSeparator: { $0 == 0x20 || $0 == 0x2C || $0 == 0x09 }).map { Array($0) }
        var index = 0
        if index < tokens.count, tokens[index].first.map(isLetter) == true { index += 1 }  // weekday
        guard tokens.count - index >= 4 else { return nil }
        guard let day = number(tokens[index]), (1...31).contains(day) else { return nil }
        guard let month = monthNumber(tokens[index + 1]) else { return nil }
        guard var year = number(tokens[index + 2]) else { return nil }
        if tokens[index + 2].count <= 2 { year += year < 50 ? 2000 : 1900 }
        let timeParts = tokens[index + 3].split(separator: UInt8(ascii: ":")).map { Array($0) }
        guard timeParts.count == 2 || timeParts.count == 3,
            let hour = number(timeParts[0]), let minute = number(timeParts[1])
        else { return nil }
        let second = timeParts.count == 3 ? number(timeParts[2]) : 0
        guard let second else { return nil }
        var offset = 0
        if tokens.count > index + 4 {
            guard let zone = zoneOffset(tokens[index + 4]) else { return nil }
            offset = zone
        }
        return makeInstant(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            fraction: 0, offsetSeconds: offset)
    }

    // MARK: Calendar arithmetic: `Instant`'s (proleptic Gregorian, no time zone, no locale)

    private static func makeInstant(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
        fraction: Double, offsetSeconds: Int
    ) -> Instant? {
        guard (1...12).contains(month), day >= 1, day <= Instant.daysIn(month: month, year: year),
            (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        if hour == 24, minute != 0 || second != 0 || fraction != 0 { return nil }
        let leapClamped = min(second, 59)  // a leap second is stored as :59
        let total =
            Int(Instant.days(fromCivil: Int64(year), month, day)) * 86400 + hour * 3600 + minute * 60
            + leapClamped - offsetSeconds
        return Instant(secondsSince1970: Int64(total))  // the fraction (0 ≤ f < 1) is dropped: whole seconds
    }

    // MARK: Token helpers

    private static func trimmed(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        while let last = bytes.last, Normalize.isASCIIWhitespace(last) { bytes.removeLast() }
        let start = bytes.firstIndex(where: { !Normalize.isASCIIWhitespace($0) }) ?? bytes.count
        return Array(bytes[start...])
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func number(_ token: [UInt8]) -> Int? {
        guard !token.isEmpty, token.count <= 9, token.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return token.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func monthNumber(_ token: [UInt8]) -> Int? {
        guard token.count >= 3 else { return nil }
        let prefix = String(decoding: token.prefix(3), as: UTF8.self).lowercased()
        return months.firstIndex(of: prefix).map { $0 + 1 }
    }

    /// Numeric offsets (`+0800`, `-05:00`) and the zone names RFC 822 defines plus a few feeds use.
    private static func zoneOffset(_ token: [UInt8]) -> Int? {
        if let first = token.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            let digits = token.dropFirst().filter { $0 != UInt8(ascii: ":") }
            guard digits.count == 4 || digits.count == 2, let value = number(Array(digits)) else { return nil }
            let hours = digits.count == 4 ? value / 100 : value
            let minutes = digits.count == 4 ? value % 100 : 0
            guard hours <= 23, minutes <= 59 else { return nil }
            return (first == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        let name = String(decoding: token, as: UTF8.self).uppercased()
        let hours: [String: Int] = [
            "GMT": 0, "UT": 0, "UTC": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
            "PST": -8, "PDT": -7, "CET": 1, "CEST": 2, "BST": 1, "JST": 9, "HKT": 8, "SGT": 8,
        ]
        return hours[name].map { $0 * 3600 }
    }
}

/// A cursor over ASCII bytes for the ISO 8601 grammar.
private struct ByteScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position == bytes.count }

    @discardableResult
    mutating func skip(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    mutating func digit() -> Int? {
        guard position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 else { return nil }
        position += 1
        return Int(bytes[position - 1] - 0x30)
    }

    mutating func digits(exactly count: Int) -> Int? {
        let start = position
        var value = 0
        for _ in 0..<count {
            guard let d = digit() else {
                position = start
                return nil
            }
            value = value * 10 + d
        }
        return value
    }

    mutating func sign() -> Int? {
        if skip(UInt8(ascii: "+")) { return 1 }
        if skip(UInt8(ascii: "-")) { return -1 }
        return nil
    }
}
