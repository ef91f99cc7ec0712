/// The config's `logFormat`: how each log line is written (`LineLogHandler`). A config value, so it lives with the
/// config, which must not depend on the logging code.
package enum LogFormat: String, Sendable, CaseIterable {
    /// Real logfmt: `time=… level=info msg="pass finished" source=rfi-cn`.
    case logfmt
    /// One JSON object per line.
    case json
}
