import Foundation
import HeraldConfiguration
import HeraldTime

/// The TIME of `--since TIME`: an ISO 8601 date or date-time, or a duration back from now.
///
/// - `2d`, `6h`, `90m`, `1h30m`: that long ago (the config's duration syntax, `DurationText`).
/// - `2024-03-01`: midnight UTC that day.
/// - `2024-03-01T10:00`, `2024-03-01 10:00:30`: UTC when no offset is given.
/// - `2024-03-01T10:00:00Z`, `2024-03-01T12:00+02:00`, `…+0200`: the instant with that offset.
package enum TimeArgument {
    package static func parse(_ text: String, now: Date = Date()) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let first = trimmed.first, first.isNumber, let seconds = DurationText.parse(trimmed),
            !trimmed.contains("-")
        {
            return now.addingTimeInterval(-seconds)
        }
        return parseISO(trimmed)
    }

    private static func parseISO(_ text: String) -> Date? {
        let pattern =
            #/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/#
        guard let match = text.wholeMatch(of: pattern) else { return nil }
        func number(_ part: Substring?) -> Int { part.flatMap { Int($0) } ?? 0 }
        let year = number(match.1)
        let month = number(match.2)
        let day = number(match.3)
        let hour = number(match.4)
        let minute = number(match.5)
        let second = number(match.6)
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var seconds = TimeInterval(
            Instant.utc(
                year: year, month: month, day: day, hour: hour, minute: minute,
                second: second
            ).secondsSince1970)
        // A date alone with an offset makes no sense; with a time the offset moves it to UTC.
        if let zone = match.7, zone != "Z", zone != "z" {
            guard match.4 != nil else { return nil }
            let digits = zone.dropFirst().filter(\.isNumber)
            guard digits.count == 4, let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)),
                hours < 24, minutes < 60
            else { return nil }
            let offset = TimeInterval(hours * 3600 + minutes * 60)
            seconds -= zone.hasPrefix("+") ? offset : -offset
        }
        return Date(timeIntervalSince1970: seconds)
    }
}
