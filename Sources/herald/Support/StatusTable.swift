import Foundation
import HeraldConfiguration
import HeraldCore
import HeraldStatus
import HeraldTime

/// `herald status` as a table a person reads at a glance, from the same `StatusDocument` the daemon renders.
enum StatusTable {
    static func render(json: String, now: Date) -> String {
        guard let status = try? StatusDocument.decode(json) else { return json }
        var lines: [String] = []
        lines.append(
            "herald \(status.version) (pid \(status.pid)), up \(DurationText.format(Double(status.uptimeSeconds))), "
                + "\(status.articleCount ?? 0) articles in \(status.database)")
        if let reload = status.lastReload, reload.outcome == "failed" {
            lines.append("last reload FAILED at \(reload.at): " + reload.errors.joined(separator: "; "))
        }
        let header = ["SOURCE", "STATE", "LAST RUN", "NEXT RUN", "NEW", "LAST ERROR"]
        let rows = status.sources.map { source in
            [
                source.name,
                source.state,
                source.lastRun.map { relative($0.finishedAt, now: now) + " (\($0.outcome))" } ?? "never",
                source.nextRunAt.map { relative($0, now: now) } ?? "-",
                source.lastRun.map { String($0.new) } ?? "-",
                source.lastError.map { String($0.prefix(80)) } ?? "",
            ]
        }
        let widths = (0..<header.count).map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        for row in [header] + rows {
            lines.append(
                row.enumerated().map { index, cell in
                    index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                }.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        return lines.joined(separator: "\n")
    }

    /// "3m ago" / "in 12m".
    static func relative(_ time: String, now: Date) -> String {
        guard let date = Instant(text: time)?.date else { return time }
        let seconds = date.timeIntervalSince(now)
        if abs(seconds) < 1 { return "now" }
        let amount = DurationText.format(abs(seconds).rounded())
        return seconds >= 0 ? "in \(amount)" : "\(amount) ago"
    }
}
