import CCurl
import Glibc

/// Which resolved addresses `blockPrivateAddresses` refuses: anything that is not a public unicast address, so a
/// crawled page cannot steer the daemon at the host itself, the LAN or a cloud metadata endpoint.
enum AddressPolicy {
    static func isPrivate(_ address: UnsafeMutablePointer<curl_sockaddr>) -> Bool {
        let family = address.pointee.family
        return withUnsafeMutablePointer(to: &address.pointee.addr) { base in
            let raw = UnsafeRawPointer(base)
            switch family {
            case AF_INET:
                let sin = raw.assumingMemoryBound(to: sockaddr_in.self).pointee
                // s_addr is in network byte order: its bytes in memory are the dotted-quad order.
                return withUnsafeBytes(of: sin.sin_addr.s_addr) { isPrivate(ipv4: Array($0)) }
            case AF_INET6:
                let sin6 = raw.assumingMemoryBound(to: sockaddr_in6.self).pointee
                return withUnsafeBytes(of: sin6.sin6_addr) { isPrivate(ipv6: Array($0)) }
            default:
                return true  // Unix sockets and anything exotic: never a crawl target.
            }
        }
    }

    /// `bytes` in network order (a.b.c.d).
    static func isPrivate(ipv4 bytes: [UInt8]) -> Bool {
        guard bytes.count == 4 else { return true }
        let (a, b) = (bytes[0], bytes[1])
        return a == 0  // 0/8 "this network"
            || a == 10  // 10/8
            || a == 127  // 127/8 loopback
            || (a == 100 && (b & 0xC0) == 64)  // 100.64/10 carrier-grade NAT
            || (a == 169 && b == 254)  // 169.254/16 link-local, cloud metadata
            || (a == 172 && (b & 0xF0) == 16)  // 172.16/12
            || (a == 192 && b == 168)  // 192.168/16
            || (a == 192 && b == 0 && bytes[2] == 0)  // 192.0.0/24 IETF protocol assignments
            || (a == 198 && (b & 0xFE) == 18)  // 198.18/15 benchmarking
            || a >= 224  // multicast, reserved, broadcast
    }

    /// `bytes` in network order (16 bytes).
    static func isPrivate(ipv6 bytes: [UInt8]) -> Bool {
        guard bytes.count == 16 else { return true }
        let prefix10 = bytes[0..<10].allSatisfy { $0 == 0 }
        if prefix10 && bytes[10] == 0xFF && bytes[11] == 0xFF {  // ::ffff:a.b.c.d IPv4-mapped
            return isPrivate(ipv4: Array(bytes[12..<16]))
        }
        if prefix10 && bytes[10] == 0 && bytes[11] == 0 {  // ::, ::1 and deprecated IPv4-compatible
            return true
        }
        if bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B {  // 64:ff9b::/96 NAT64
            return isPrivate(ipv4: Array(bytes[12..<16]))
        }
        return (bytes[0] & 0xFE) == 0xFC  // fc00::/7 unique local
            || (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80)  // fe80::/10 link-local
            || (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0xC0)  // fec0::/10 old site-local
            || bytes[0] == 0xFF  // multicast
    }
}
