import Foundation

/// Durations as people write them in config files: "500ms", "90s", "15m", "6h", "1d", or combined ("1h30m").
package enum DurationText {
    /// Seconds, or nil when `text` is not a duration.
    package static func parse(_ text: String) -> Double? {
        let units: [(suffix: String, seconds: Double)] = [
            ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400),
        ]
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard
                let unit = units.first(where: {
                    rest.hasPrefix($0.suffix) && !(rest.hasPrefix("ms") && $0.suffix == "m")
                })
            else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            total += value * unit.seconds
        }
        return total
    }

    /// The shortest exact spelling: 90 → "90s", 900 → "15m", 5400 → "1h30m".
    package static func format(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        var rest = Int(seconds.rounded())
        var parts = ""
        for (suffix, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            parts += "\(rest / size)\(suffix)"
            rest %= size
        }
        return parts.isEmpty ? "0s" : parts
    }
}
