import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An interactive `sqlite3` shell kept running, as an operator's terminal would be: statements go in batch by batch,
/// so it can, say, open a read transaction and hold it while the daemon writes (and dies, and restarts).
///
///     let reader = try SQLiteSession(database: path)
///     _ = try reader.run("BEGIN; SELECT count(*) FROM articles;")   // the snapshot starts here
///     …
///     XCTAssertEqual(try reader.run("SELECT count(*) FROM articles;"), ["42"])   // still the same snapshot
///
/// The shell's errors are merged into its output, so a failed statement shows up in `run`'s lines (`Error: …`).
/// `@unchecked Sendable`: used from one test thread; `process` and the descriptors are fixed after init.
public final class SQLiteSession: @unchecked Sendable {
    private let process = Process()
    private let input: FileHandle
    private let output: Int32
    private var pending: [UInt8] = []
    private var batches = 0

    public init(database: String) throws {
        let stdin = Pipe()
        let stdout = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", "-batch", "-noheader", database]
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading.fileDescriptor
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    public var isRunning: Bool { process.isRunning }

    /// Runs `sql` (one or more statements) and returns the lines it printed, once the shell has finished them.
    public func run(_ sql: String, timeout: TimeInterval = 30) throws -> [String] {
        batches += 1
        let marker = "-- end of batch \(batches) --"
        try input.write(contentsOf: Data("\(sql)\nSELECT '\(marker)';\n".utf8))
        let deadline = Date().addingTimeInterval(timeout)
        var lines: [String] = []
        while true {
            while let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeFirst(newline + 1)
                if line == marker { return lines }
                lines.append(line)
            }
            let left = Int(deadline.timeIntervalSinceNow * 1000)
            guard left > 0 else { throw FixtureError("sqlite3 did not finish within \(timeout) s: \(lines)") }
            var entry = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, Int32(min(left, 1000))) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            guard count > 0 else { throw FixtureError("sqlite3 exited: \(lines)") }
            pending.append(contentsOf: chunk[..<count])
        }
    }

    /// Ends the shell (any open transaction is rolled back) and waits for it.
    public func close() {
        try? input.write(contentsOf: Data(".quit\n".utf8))
        try? input.close()
        _ = waitUntil(timeout: 10) { !process.isRunning }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
