import Synchronization

/// A continuation that the first of several racing tasks resumes; later answers are ignored. `Scheduler.wait` races
/// "every pass finished" against a deadline with it.
final class FirstOutcome: Sendable {
    private let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)

    /// Must be called before any `resolve` (both racers are started after it).
    func install(_ continuation: CheckedContinuation<Bool, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func resolve(_ value: Bool) {
        let first = continuation.withLock { stored -> CheckedContinuation<Bool, Never>? in
            defer { stored = nil }
            return stored
        }
        first?.resume(returning: value)
    }
}
