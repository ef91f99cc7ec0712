import Foundation

/// A minimal blocking HTTP/1.1 client for the status socket (`herald status`, `trigger`, `reload`).
package enum StatusClient {
    package struct Reply: Sendable {
        package var status: Int
        package var body: String
    }

    package enum Failure: Error, Sendable, CustomStringConvertible {
        /// Nothing listens on the socket: the daemon is not running.
        case notRunning(path: String, reason: String)
        case io(String)

        package var description: String {
            switch self {
            case let .notRunning(path, reason): "herald is not running (nothing answers on \(path): \(reason))"
            case let .io(reason): reason
            }
        }
    }

    package static func request(
        socket path: String, method: String, path target: String,
        timeout: Double = 10
    ) throws(Failure) -> Reply {
        let fd = UnixSocket.connect(path: path)
        guard fd >= 0 else {
            let code = errno
            let reason = String(cString: strerror(code))
            if code == ENOENT || code == ECONNREFUSED { throw .notRunning(path: path, reason: reason) }
            throw .io("cannot connect to \(path): \(reason)")
        }
        defer { close(fd) }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let request = Array(
            "\(method) \(target) HTTP/1.1\r\nHost: herald\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count
        else {
            throw .io("cannot send to \(path): \(String(cString: strerror(errno)))")
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io("no answer from \(path) within \(Int(timeout)) s: \(String(cString: strerror(errno)))")
            }
            response.append(contentsOf: chunk[..<count])
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n"),
            let statusCode = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap({ Int($0) })
        else {
            throw .io("malformed answer from \(path)")
        }
        return Reply(status: statusCode, body: String(text[headEnd.upperBound...]))
    }
}
