import Foundation

/// `Retry-After` (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
enum RetryAfter {
    /// Seconds to wait from `now`, never negative; nil when the value is neither form.
    static func seconds(from value: String, now: Date = Date()) -> Double? {
        let trimmed = value.trimmingASCIIWhitespace()
        if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return Double(trimmed)
        }
        guard let date = HTTPDate.parse(trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

/// HTTP-date parsing and formatting: IMF-fixdate, plus the obsolete RFC 850 and asctime forms recipients must accept.
package enum HTTPDate {
    private static let formats = [
        "EEE, dd MMM yyyy HH:mm:ss zzz",  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        "EEEE, dd-MMM-yy HH:mm:ss zzz",  // RFC 850:     Sunday, 06-Nov-94 08:49:37 GMT
        "EEE MMM d HH:mm:ss yyyy",  // asctime:     Sun Nov  6 08:49:37 1994
    ]

    package static func parse(_ value: String) -> Date? {
        let collapsed = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        for format in formats {
            if let date = formatter(format).date(from: collapsed) { return date }
        }
        return nil
    }

    package static func format(_ date: Date) -> String {
        formatter(formats[0]).string(from: date).replacingOccurrences(of: "UTC", with: "GMT")
    }

    // DateFormatter is not Sendable; a fresh one per call is cheap next to a network request.
    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = format
        return formatter
    }
}
