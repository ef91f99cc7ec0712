import Foundation
// TEMPORARY tuning knobs (removed before landing).
enum Tune {
    static let values: [String: Double] = {
        var result: [String: Double] = [:]
        for pair in (ProcessInfo.processInfo.environment["HERALD_TUNE"] ?? "").split(separator: ",") {
            let kv = pair.split(separator: "=")
            if kv.count == 2, let v = Double(kv[1]) { result[String(kv[0])] = v }
        }
        return result
    }()
    static func get(_ key: String, _ fallback: Double) -> Double { values[key] ?? fallback }
}
