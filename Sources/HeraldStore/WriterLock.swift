import Glibc

/// One writer per database. `herald run`, `herald crawl` and `herald prune` hold an exclusive `flock` on
/// `<database>.writer-lock` for as long as they run; a second one finds it held and refuses with the holder's pid,
/// command and socket, which the file records. Readers (`articles`, `search`, `show`, `export`, Datasette, sqlite3)
/// never take it. The kernel drops the lock when the process ends, however it ends, so a crash leaves no stale lock;
/// the file itself stays (removing it would race with the next writer).
package final class WriterLock: Sendable {
    package struct Held: Error, Sendable, CustomStringConvertible {
        package let database: String
        /// What the holder wrote into the lock file: `pid=…`, `command=…`, `socket=…` lines.
        package let holder: [String: String]

        package var description: String {
            let who = ["pid \(holder["pid"] ?? "?")", holder["command"], holder["socket"].map { "socket \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            return
                "another herald is writing \(database) (\(who)); stop it first, or point this one at another database"
        }
    }

    package struct Failure: Error, Sendable, CustomStringConvertible {
        package let description: String
    }

    private let descriptor: Int32

    /// Takes the lock or throws `Held` (another writer has it) or `Failure` (the lock file cannot be opened).
    package init(database: String, command: String, socket: String? = nil) throws {
        let path = database + ".writer-lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw Failure(description: "cannot open the writer lock \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let saved = errno
            let holder = Self.read(fd)
            close(fd)
            if saved == EWOULDBLOCK { throw Held(database: database, holder: holder) }
            throw Failure(description: "cannot lock \(path): \(String(cString: strerror(saved)))")
        }
        var record = "pid=\(getpid())\ncommand=\(command)\n"
        if let socket { record += "socket=\(socket)\n" }
        _ = ftruncate(fd, 0)
        _ = record.withCString { pwrite(fd, $0, strlen($0), 0) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    private static func read(_ fd: Int32) -> [String: String] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return [:] }
        var fields: [String: String] = [:]
        for line in String(decoding: buffer[..<count], as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return fields
    }
}
