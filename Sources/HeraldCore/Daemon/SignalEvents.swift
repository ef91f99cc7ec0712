import Dispatch
import Foundation
import Synchronization

/// SIGTERM, SIGINT and SIGHUP as an async sequence. The default actions are ignored first so Dispatch sources see
/// the signals instead of the process dying.
final class SignalEvents: Sendable {
    let events: AsyncStream<Int32>
    private let sources: Mutex<[any DispatchSourceSignal]>

    init(signals: [Int32] = [SIGTERM, SIGINT, SIGHUP]) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        events = stream
        let queue = DispatchQueue(label: "herald.signals")
        sources = Mutex(signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        })
    }

    func cancel() {
        sources.withLock { sources in
            for source in sources { source.cancel() }
        }
    }
}
