import Foundation
import HeraldCore
import Synchronization

/// `herald crawl`'s one progress line on a terminal, kept at the bottom by `TerminalOutput` while log lines scroll
/// above it. Not shown when stderr is not a terminal, or with --quiet.
final class ProgressLine: Sendable {
    private let state = Mutex<[String: (done: Int, total: Int)]>([:])

    static func forStandardError(quiet: Bool = false) -> ProgressLine? {
        !quiet && isatty(STDERR_FILENO) == 1 ? ProgressLine() : nil
    }

    func update(_ progress: CrawlPass.Progress) {
        let line = state.withLock { sources -> String in
            sources[progress.source] = (progress.done, progress.total)
            let done = sources.values.reduce(0) { $0 + $1.done }
            let total = sources.values.reduce(0) { $0 + $1.total }
            let width = 30
            let filled = total == 0 ? 0 : width * done / total
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            return "[\(bar)] \(done)/\(total) articles"
        }
        TerminalOutput.shared.setStatus(line)
    }

    func finish() {
        TerminalOutput.shared.setStatus(nil)
    }
}
