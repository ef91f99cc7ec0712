import Foundation

/// Times as Herald stores and prints them: ISO 8601 UTC with seconds (`2023-10-28T09:52:00Z`), which sort as text and
/// read well in sqlite3.
public enum Clock {
    public static func now() -> String { format(Date()) }

    public static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// Parses the stored form back (exactly `YYYY-MM-DDTHH:MM:SSZ`).
    public static func parse(_ text: String) -> Date? {
        let digits = Array(text.utf8)
        guard digits.count == 20, digits[4] == UInt8(ascii: "-"), digits[10] == UInt8(ascii: "T"),
              digits[19] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int32? { Int32(String(decoding: digits[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return nil }
        return Date(timeIntervalSince1970: utcSeconds(year: year, month: month, day: day, hour: hour, minute: minute,
                                                      second: second))
    }

    /// Seconds since the epoch of a UTC calendar time (timegm: no time zone, no locale).
    static func utcSeconds(year: Int32, month: Int32, day: Int32, hour: Int32, minute: Int32,
                           second: Int32) -> TimeInterval {
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return TimeInterval(timegm(&parts))
    }
}
