import Foundation
import Synchronization

/// The one writer of stderr lines, so a status line at the bottom of a terminal (`herald crawl`'s progress) and log
/// lines never run into each other: a log line clears the status line, is written whole, and the status line is
/// drawn again under it.
package final class TerminalOutput: Sendable {
    package static let shared = TerminalOutput()

    private let statusLine = Mutex<String?>(nil)

    /// Writes one line (a newline is added); redraws the status line after it when one is shown.
    package func writeLine(_ line: String) {
        statusLine.withLock { status in
            var out = status == nil ? "" : "\r\u{1B}[K"
            out += line + "\n"
            if let status { out += status }
            FileHandle.standardError.write(Data(out.utf8))
        }
    }

    /// Shows `text` as the status line (no newline; replaced by the next call), or removes it when nil.
    package func setStatus(_ text: String?) {
        statusLine.withLock { status in
            status = text
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + (text ?? "")).utf8))
        }
    }
}
