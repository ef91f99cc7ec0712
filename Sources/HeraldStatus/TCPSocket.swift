import Foundation

/// Creating the metrics listener's TCP socket.
enum TCPSocket {
    static func listen(_ address: MetricsAddress) throws(StatusSocketError) -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address.host, String(address.port), &hints, &list) == 0, let info = list else {
            throw StatusSocketError(description: "metricsListen \(address): not a numeric address")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(
            info.pointee.ai_family,
            info.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StatusSocketError(description: "socket(): \(String(cString: strerror(errno)))") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0, Glibc.listen(fd, 128) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw StatusSocketError(description: "cannot listen on metricsListen \(address): \(reason)")
        }
        return fd
    }
}
