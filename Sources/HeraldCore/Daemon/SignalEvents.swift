import Dispatch
import Foundation
import Synchronization

/// SIGTERM, SIGINT and SIGHUP as an async sequence. The default actions are ignored first so Dispatch sources see
/// the signals instead of the process dying.
///
/// `init` returns only once libdispatch has registered every source. Registration happens asynchronously after
/// `resume()`, and it is what installs libdispatch's own handler (which routes the signal to its signalfd); until
/// then the disposition is SIG_IGN and a signal is silently lost. Waiting closes that window before the daemon says
/// it is ready, so a SIGHUP or SIGTERM sent the moment READY=1 arrives is always handled.
final class SignalEvents: Sendable {
    let events: AsyncStream<Int32>
    private let sources: Mutex<[any DispatchSourceSignal]>

    init(signals: [Int32] = [SIGTERM, SIGINT, SIGHUP], registrationTimeout: Double = 10) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        events = stream
        let queue = DispatchQueue(label: "herald.signals")
        let registered = DispatchGroup()
        sources = Mutex(
            signals.map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { continuation.yield(number) }
                registered.enter()
                source.setRegistrationHandler { registered.leave() }
                source.resume()
                return source
            })
        _ = registered.wait(timeout: .now() + registrationTimeout)
    }

    func cancel() {
        sources.withLock { sources in
            for source in sources { source.cancel() }
        }
    }
}
