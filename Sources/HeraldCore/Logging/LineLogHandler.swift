import Foundation
import HeraldConfiguration
import HeraldStatus
import HeraldTime
import Logging

/// swift-log handler writing one event per line: logfmt (`time=… level=info msg="pass finished" source=rfi-cn …`,
/// every value quoted where logfmt needs it) or JSON Lines (`logFormat: "json"`), to stderr.
///
/// Under systemd (stderr is the journal stream named by `JOURNAL_STREAM`) each event goes to journald's native
/// socket instead, with its metadata as journal fields (`SOURCE=rfi-cn`, `OUTCOME=ok`: `journalctl -u herald
/// SOURCE=rfi-cn`), `PRIORITY=` from the level, and the logfmt line as `MESSAGE=`; if that socket refuses, the line
/// goes to stderr with a `<N>` priority prefix, which journald also understands. No timestamp under the journal: it
/// keeps its own.
package struct LineLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level
    private let label: String
    private let format: LogFormat
    private let journal: JournalSink?

    package init(
        label: String, level: Logger.Level, format: LogFormat = .logfmt, journal: JournalSink? = .fromEnvironment
    ) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.journal = journal
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { _, new in new }
            .map { (key: $0.key, value: "\($0.value)") }.sorted { $0.key < $1.key }
        if let journal {
            let message = Self.render(
                format, time: nil, level: event.level, message: "\(event.message)", fields: fields)
            if journal.send(message: message, priority: Self.priority(event.level), fields: fields) { return }
            TerminalOutput.shared.writeLine("<\(Self.priority(event.level))>" + message)
            return
        }
        TerminalOutput.shared.writeLine(
            Self.render(
                format, time: Instant.now.text, level: event.level,
                message: "\(event.message)", fields: fields))
    }

    static func render(
        _ format: LogFormat, time: String?, level: Logger.Level, message: String,
        fields: [(key: String, value: String)]
    ) -> String {
        var pairs: [(String, String)] = []
        if let time { pairs.append(("time", time)) }
        pairs.append(("level", "\(level)"))
        pairs.append(("msg", message))
        // A field named like the fixed keys keeps its value under a prefixed name instead of shadowing them.
        pairs += fields.map {
            ["time", "level", "msg"].contains($0.key) ? ("field_\($0.key)", $0.value) : ($0.key, $0.value)
        }
        switch format {
        case .logfmt:
            return pairs.map { "\($0.0)=\(quoted($0.1))" }.joined(separator: " ")
        case .json:
            return "{"
                + pairs.map { "\(JSONOutput.string($0.0).rendered()):\(JSONOutput.string($0.1).rendered())" }
                .joined(separator: ",") + "}"
        }
    }

    /// logfmt quoting: a value with a space, `=`, a quote, a backslash or a control character is double-quoted, with
    /// `\"`, `\\`, `\n`, `\r` and `\t` escaped, so any logfmt parser splits the pairs back exactly.
    static func quoted(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains {
                $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F
            }
        guard needsQuotes else { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
