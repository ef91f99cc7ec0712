import Dispatch
import Synchronization

/// Pings systemd's watchdog every `interval / 2`, but only while the daemon is healthy: `isHealthy` must answer
/// (the scheduler queue runs a block) and the task executor must run a task, each within a quarter interval. A stuck
/// scheduler therefore stops the pings, and systemd restarts the service after `WatchdogSec`.
final class Watchdog: Sendable {
    private let timer: Mutex<any DispatchSourceTimer>

    init(
        interval: Double, isHealthy: @escaping @Sendable () -> Bool, ping: @escaping @Sendable () -> Void,
        onWithheld: @escaping @Sendable () -> Void
    ) {
        timer = Mutex(DispatchSource.makeTimerSource(queue: DispatchQueue(label: "herald.watchdog")))
        timer.withLock { timer in
            timer.schedule(deadline: .now(), repeating: interval / 2)
            timer.setEventHandler {
                let executor = DispatchSemaphore(value: 0)
                Task { executor.signal() }
                if isHealthy(), executor.wait(timeout: .now() + interval / 4) == .success {
                    ping()
                } else {
                    onWithheld()
                }
            }
            timer.resume()
        }
    }

    func stop() {
        timer.withLock { $0.cancel() }
    }
}
