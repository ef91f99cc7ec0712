import Foundation

/// journald's native protocol (systemd.journal-fields(7), "Native protocol"): one datagram per entry to
/// `/run/systemd/journal/socket`, `FIELD=value` lines, so log metadata become fields operators filter on
/// (`journalctl -u herald SOURCE=rfi-cn`). About forty lines instead of linking libsystemd, as Miniflux does for
/// sd_notify.
///
/// Thread-safe: the descriptor is written once in `init`; concurrent `sendto` calls on a datagram socket are atomic.
package final class JournalSink: Sendable {
    private let fd: Int32
    private let path: String

    /// Only when stderr really is the journal stream `JOURNAL_STREAM` names (systemd sets it for services; a child
    /// with redirected stderr inherits the variable but not the stream) and the socket exists.
    package static let fromEnvironment: JournalSink? = {
        guard let stream = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] else { return nil }
        var info = stat()
        guard fstat(STDERR_FILENO, &info) == 0, stream == "\(info.st_dev):\(info.st_ino)" else { return nil }
        return JournalSink(path: "/run/systemd/journal/socket")
    }()

    package init?(path: String) {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// Sends one entry; false when journald did not take it (the caller then writes to stderr).
    package func send(message: String, priority: Int, fields: [(key: String, value: String)]) -> Bool {
        var datagram: [UInt8] = []
        func add(_ name: String, _ value: String) {
            let bytes = Array(value.utf8)
            if bytes.contains(0x0A) {
                // A value with a newline: the name, a newline, its length as 64-bit little endian, the bytes.
                datagram += Array(name.utf8) + [0x0A]
                withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { datagram += $0 }
                datagram += bytes + [0x0A]
            } else {
                datagram += Array("\(name)=".utf8) + bytes + [0x0A]
            }
        }
        add("MESSAGE", message)
        add("PRIORITY", String(priority))
        add("SYSLOG_IDENTIFIER", "herald")
        for field in fields { add(Self.fieldName(field.key), field.value) }
        var address = sockaddr_un(path)
        let sent = datagram.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(
                        fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), $0,
                        socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        return sent == datagram.count
    }

    /// A journal field name: uppercase letters, digits and underscores, starting with a letter, at most 64
    /// characters; names journald or this sink set themselves get a `HERALD_` prefix instead of replacing them.
    static func fieldName(_ key: String) -> String {
        var name = String(
            key.uppercased().unicodeScalars.map {
                ("A"..."Z").contains($0) || ("0"..."9").contains($0) ? Character($0) : "_"
            })
        if name.first.map({ !("A"..."Z").contains($0) }) ?? true { name = "HERALD_" + name }
        if [
            "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "MESSAGE_ID", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "ERRNO",
            "SYSLOG_FACILITY", "SYSLOG_PID", "SYSLOG_TIMESTAMP",
        ].contains(name) {
            name = "HERALD_" + name
        }
        return String(name.prefix(64))
    }
}
