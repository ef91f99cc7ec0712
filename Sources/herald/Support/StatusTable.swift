import Foundation
import HeraldCore

/// `herald status` as a table a person reads at a glance.
enum StatusTable {
    static func render(json: String, now: Date) -> String {
        guard let data = json.data(using: .utf8),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return json
        }
        var lines: [String] = []
        let uptime = (root["uptime_seconds"] as? Int).map { DurationText.format(Double($0)) } ?? "?"
        lines.append("herald \(root["version"] as? String ?? "?") (pid \(root["pid"] as? Int ?? 0)), up \(uptime), "
                     + "\(root["article_count"] as? Int ?? 0) articles in \(root["database"] as? String ?? "?")")
        if let reload = root["last_reload"] as? [String: Any], reload["outcome"] as? String == "failed" {
            lines.append("last reload FAILED at \(reload["at"] as? String ?? "?"): "
                         + ((reload["errors"] as? [String])?.joined(separator: "; ") ?? ""))
        }
        let header = ["SOURCE", "STATE", "LAST RUN", "NEXT RUN", "NEW", "LAST ERROR"]
        var rows: [[String]] = []
        for source in root["sources"] as? [[String: Any]] ?? [] {
            let lastRun = source["last_run"] as? [String: Any]
            let outcome = lastRun?["outcome"] as? String
            rows.append([
                source["name"] as? String ?? "?",
                source["state"] as? String ?? "?",
                (lastRun?["finished_at"] as? String).map { relative($0, now: now) + (outcome.map { " (\($0))" } ?? "") } ?? "never",
                (source["next_run_at"] as? String).map { relative($0, now: now) } ?? "-",
                (lastRun?["new"] as? Int).map(String.init) ?? "-",
                (source["last_error"] as? String).map { String($0.prefix(80)) } ?? "",
            ])
        }
        let widths = (0..<header.count).map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        for row in [header] + rows {
            lines.append(row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        return lines.joined(separator: "\n")
    }

    /// "3m ago" / "in 12m".
    static func relative(_ time: String, now: Date) -> String {
        guard let date = Clock.parse(time) else { return time }
        let seconds = date.timeIntervalSince(now)
        if abs(seconds) < 1 { return "now" }
        let amount = DurationText.format(abs(seconds).rounded())
        return seconds >= 0 ? "in \(amount)" : "\(amount) ago"
    }
}
