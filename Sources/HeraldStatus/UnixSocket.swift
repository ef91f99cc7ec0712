import Foundation

package struct StatusSocketError: Error, Sendable, CustomStringConvertible {
    package let description: String
}

/// Creating the listening Unix socket safely.
enum UnixSocket {
    /// Binds and listens on `path` with mode 0660 (owner and group `herald` may connect, nobody else).
    ///
    /// A socket file left by a crashed run is replaced; a live daemon on it (the connect succeeds) or a file that is not
    /// a socket is an error, never deleted.
    static func listen(path: String) throws(StatusSocketError) -> Int32 {
        guard path.utf8.count <= 107 else {
            throw StatusSocketError(
                description: "status socket path \(path) is \(path.utf8.count) bytes; the limit is 107")
        }
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFSOCK else {
                throw StatusSocketError(description: "\(path) exists and is not a socket; refusing to replace it")
            }
            if isAlive(path) {
                throw StatusSocketError(description: "another herald is already listening on \(path)")
            }
            unlink(path)
        }
        let fd = socket(
            AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StatusSocketError(description: "socket(): \(String(cString: strerror(errno)))") }
        var address = sockaddr_un(path)
        // umask decides the mode bind() gives the file: no window in which others could connect.
        let previous = umask(0o117)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        umask(previous)
        guard bound == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw StatusSocketError(description: "cannot bind the status socket \(path): \(reason)")
        }
        chmod(path, 0o660)
        guard Glibc.listen(fd, 128) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            unlink(path)
            throw StatusSocketError(description: "cannot listen on \(path): \(reason)")
        }
        return fd
    }

    /// Connects to `path` (blocking, for clients such as `herald status`); -1 with errno set on failure.
    static func connect(path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_un(path)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if rc != 0 {
            let saved = errno
            close(fd)
            errno = saved
            return -1
        }
        return fd
    }

    private static func isAlive(_ path: String) -> Bool {
        let fd = connect(path: path)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }
}

extension sockaddr_un {
    package init(_ path: String) {
        self.init()
        sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
    }
}
