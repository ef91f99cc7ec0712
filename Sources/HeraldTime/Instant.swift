import Foundation

/// An instant as Herald stores, compares and prints it: whole seconds since 1970, UTC.
///
/// Its `text` is ISO 8601 with seconds (`2023-10-28T09:52:00Z`), the one form of every time column in the database,
/// of the socket's JSON and of the exports (it sorts as text and reads well in sqlite3). This type is the only place
/// that writes or reads that form; code compares `Instant` values, never their text. Publishers' own date formats
/// (RFC 822, ISO 8601 with offsets and fractions) are parsed in HeraldParse (`Timestamp`) into a `Date` first.
/// (Named `Instant`, not `Clock`: Swift's `Clock` protocol is something else.)
package struct Instant: Comparable, Hashable, Sendable, CustomStringConvertible {
    package let secondsSince1970: Int64

    package init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// A `Date`, fractional seconds dropped (rounded down, also before 1970).
    package init(_ date: Date) {
        secondsSince1970 = Int64(date.timeIntervalSince1970.rounded(.down))
    }

    package static var now: Instant { Instant(Date()) }

    package var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }

    /// `seconds` later (earlier when negative), rounded down to the whole second.
    package func adding(seconds: Double) -> Instant {
        Instant(secondsSince1970: secondsSince1970 + Int64(seconds.rounded(.down)))
    }

    package static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

    package var description: String { text }

    // MARK: The stored form

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    package var text: String {
        let days = secondsSince1970 >= 0 ? secondsSince1970 / 86_400 : (secondsSince1970 - 86_399) / 86_400
        let secondOfDay = Int(secondsSince1970 - days * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        var out = ""
        out.reserveCapacity(20)
        func append(_ value: Int, width: Int) {
            let digits = String(value)
            if digits.count < width { out += String(repeating: "0", count: width - digits.count) }
            out += digits
        }
        append(Int(year), width: 4)
        out += "-"
        append(month, width: 2)
        out += "-"
        append(day, width: 2)
        out += "T"
        append(secondOfDay / 3600, width: 2)
        out += ":"
        append(secondOfDay % 3600 / 60, width: 2)
        out += ":"
        append(secondOfDay % 60, width: 2)
        out += "Z"
        return out
    }

    /// Reads the stored form back: exactly `YYYY-MM-DDTHH:MM:SSZ` with a valid calendar date and time of day; nil
    /// for anything else (a time column written by hand in sqlite3 with another form is not guessed at).
    package init?(text: String) {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard b[index] >= UInt8(ascii: "0"), b[index] <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(b[index] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        self.init(
            secondsSince1970: Self.days(fromCivil: Int64(year), month, day) * 86_400
                + Int64(hour * 3600 + minute * 60 + second))
    }

    /// Seconds since 1970 of a UTC calendar time; out-of-range fields carry over (month 13 is January next year),
    /// as `timegm` does, for callers that compute with calendar fields (`TimeArgument`).
    package static func utc(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Instant {
        let monthIndex = month - 1
        let carriedYear = Int64(year) + Int64(monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12)
        let normalisedMonth = ((monthIndex % 12) + 12) % 12 + 1
        let days = days(fromCivil: carriedYear, normalisedMonth, 1) + Int64(day - 1)
        return Instant(secondsSince1970: days * 86_400 + Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second))
    }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, no time zone, no locale); also what
    // HeraldParse's `Timestamp` computes publishers' dates with.
    package static func days(fromCivil year: Int64, _ month: Int, _ day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    package static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
