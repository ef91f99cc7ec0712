import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The few POSIX socket calls the fixture server (and the socket tests) need, with Swift-friendly results. Loopback
/// only, by design.
public enum LoopbackSocket {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ call: String) { description = "\(call) failed: \(String(cString: strerror(errno)))" }
    }

    /// A listening TCP socket on `address` (127.0.0.1 unless another loopback address is asked for) with an
    /// ephemeral port (bind to port 0).
    static func listen(address host: String = "127.0.0.1") throws -> (fd: Int32, port: Int) {
        guard host.hasPrefix("127.") else { throw Failure("listen: \(host) is not a loopback address") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr(host)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, 128) == 0 else {
            let failure = Failure("bind/listen \(host)")
            close(fd)
            throw failure
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    enum Readiness { case ready, timedOut, failed }

    /// Waits until `fd` is readable (data, EOF or error) for at most `milliseconds`.
    static func waitReadable(_ fd: Int32, milliseconds: Int) -> Readiness {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let result = poll(&entry, 1, Int32(milliseconds))
        if result > 0 { return .ready }
        if result == 0 { return .timedOut }
        return errno == EINTR ? .timedOut : .failed
    }

    /// Everything the peer sends until it closes (or a receive timeout set on `fd` expires), as UTF-8 text.
    public static func readUntilClosed(_ fd: Int32) -> String {
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            answer += chunk[..<n]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    /// Sends everything or reports false (client gone, connection reset, server stopping). MSG_NOSIGNAL: a closed
    /// peer must not SIGPIPE the test process.
    @discardableResult
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Makes the next close() send a TCP RST instead of a FIN.
    static func abortOnClose(_ fd: Int32) {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }
}

extension FixtureServer {
    /// Sends `bytes` verbatim on a new connection and returns everything the server sends until it closes (or
    /// `timeout` passes). For requests no well-behaved client would send: raw UTF-8 in the request line, garbage.
    public func sendRaw(_ bytes: [UInt8], timeout: TimeInterval = 10) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LoopbackSocket.Failure("socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr(self.address)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw LoopbackSocket.Failure("connect \(self.address):\(port)") }
        guard LoopbackSocket.sendAll(fd, bytes) else { throw LoopbackSocket.Failure("send") }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard LoopbackSocket.waitReadable(fd, milliseconds: 100) == .ready else { continue }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            received.append(contentsOf: chunk[..<n])
        }
        return received
    }
}
