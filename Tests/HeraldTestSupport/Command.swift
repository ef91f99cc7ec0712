import Foundation

/// Runs a program to completion and captures its output. For the tests' use of real binaries (`herald`, `sqlite3`,
/// `python3`): the environment's PATH is searched when the name has no slash.
public enum Command {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    @discardableResult
    public static func run(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil,
        currentDirectory: URL? = nil, stdin: String? = nil
    ) throws -> Result {
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + arguments
        }
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // Read both pipes concurrently so a child filling one of them cannot deadlock us.
        let collected = OutputCollector()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            collected.setStdout(out.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            collected.setStderr(err.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: collected.stdout, as: UTF8.self),
            stderr: String(decoding: collected.stderr, as: UTF8.self))
    }
}

private final class OutputCollector: @unchecked Sendable {
    // Written once per field from two reader threads; read after group.wait(). The lock orders those accesses.
    private let lock = NSLock()
    private var out = Data(), err = Data()
    func setStdout(_ d: Data) { lock.withLock { out = d } }
    func setStderr(_ d: Data) { lock.withLock { err = d } }
    var stdout: Data { lock.withLock { out } }
    var stderr: Data { lock.withLock { err } }
}
