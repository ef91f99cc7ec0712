import Foundation
import HeraldCore
import Synchronization

/// A one-line progress bar on stderr, redrawn in place. Only on a terminal: logs and pipes never see it.
final class ProgressLine: Sendable {
    private let state = Mutex<[String: (done: Int, total: Int)]>([:])

    static func forStandardError() -> ProgressLine? {
        isatty(STDERR_FILENO) == 1 ? ProgressLine() : nil
    }

    func update(_ progress: CrawlPass.Progress) {
        let line = state.withLock { sources -> String in
            sources[progress.source] = (progress.done, progress.total)
            let done = sources.values.reduce(0) { $0 + $1.done }
            let total = sources.values.reduce(0) { $0 + $1.total }
            let width = 30
            let filled = total == 0 ? 0 : width * done / total
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            return "\r[\(bar)] \(done)/\(total) articles"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
