import Foundation

/// `herald run` as a child process, with its stderr kept in a file for assertions and diagnostics.
public final class DaemonProcess: @unchecked Sendable {
    // `process` is created in init and only read afterwards; Process itself is thread-safe for these calls.
    public let process: Process
    public let logFile: URL

    public init(config: String, folder: URL, environment extra: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = HeraldBinary.url
        process.arguments = ["run", "--config", config, "--log-level", "debug"]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        environment.removeValue(forKey: "WATCHDOG_USEC")
        environment.removeValue(forKey: "JOURNAL_STREAM")
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        logFile = folder.appendingPathComponent("daemon-\(UUID().uuidString.prefix(6)).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
        try handle.close()  // the child has its own copy
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    public var pid: Int32 { process.processIdentifier }
    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    public func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to exit; returns its status, or nil if it is still running at the deadline.
    public func waitForExit(timeout: TimeInterval) -> Int32? {
        guard waitUntil(timeout: timeout, { !process.isRunning }) else { return nil }
        return process.terminationStatus
    }

    /// SIGKILL and reap.
    public func kill9() {
        kill(process.processIdentifier, SIGKILL)
        _ = waitForExit(timeout: 10)
    }
}

/// A `NOTIFY_SOCKET` for a child: a Unix datagram socket that records every message sent to it.
public final class NotifyListener: @unchecked Sendable {
    // `messages` is guarded by `lock`; the reader thread and the test thread both use it.
    private let lock = NSCondition()
    private var received: [String] = []
    private let fd: Int32
    public let path: String

    public init(path: String) throws {
        self.path = path
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else { throw FixtureError("cannot bind \(path): \(String(cString: strerror(errno)))") }
        let thread = Thread { [self] in readLoop() }
        thread.start()
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return }
            let message = String(decoding: buffer[..<count], as: UTF8.self)
            lock.lock()
            received.append(message)
            lock.broadcast()
            lock.unlock()
        }
    }

    public var messages: [String] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Waits until a message contains `text`.
    public func waitFor(_ text: String, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while !received.contains(where: { $0.contains(text) }) {
            if !lock.wait(until: deadline) { return received.contains { $0.contains(text) } }
        }
        return true
    }

    public func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
        unlink(path)
    }
}
