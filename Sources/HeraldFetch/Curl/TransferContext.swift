import CCurl
import Glibc
import Synchronization

/// Per-transfer state that libcurl's C callbacks reach through their `userdata` pointer.
///
/// `@unchecked Sendable`: the body, headers and flags below are written only by libcurl's callbacks, which run on the
/// one thread performing the transfer, and read by that same thread after `curl_easy_perform` returns. The only state
/// touched from other threads is `cancelled` (set by Swift task cancellation) and the client's shutdown flag, both
/// atomics.
final class TransferContext: @unchecked Sendable {
    let maxBodyBytes: Int
    let blockPrivateAddresses: Bool
    private let cancelled = Atomic<Bool>(false)
    private let shutdown: ShutdownFlag

    private(set) var body: [UInt8] = []
    /// The current response's headers, names lowercased. Reset at every status line, so after redirects (and any
    /// `100 Continue`) only the final response's headers remain.
    private(set) var headers: [String: String] = [:]
    /// The last `Location` seen, kept across the reset: when curl refuses to follow it, it names the refused scheme.
    private(set) var lastLocation: String?
    private(set) var exceededBodyLimit = false
    private(set) var refusedAddress = false
    /// libcurl writes its detailed message here (CURLOPT_ERRORBUFFER); it must outlive the transfer.
    let errorBuffer: UnsafeMutablePointer<CChar>

    init(maxBodyBytes: Int, blockPrivateAddresses: Bool, shutdown: ShutdownFlag) {
        self.maxBodyBytes = maxBodyBytes
        self.blockPrivateAddresses = blockPrivateAddresses
        self.shutdown = shutdown
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit { errorBuffer.deallocate() }

    /// Swift task cancellation: the progress callback sees it within about a second and aborts the transfer.
    func cancel() { cancelled.store(true, ordering: .relaxed) }

    var shouldAbort: Bool { cancelled.load(ordering: .relaxed) || shutdown.isSet }

    var errorMessage: String? {
        let message = String(cString: errorBuffer)
        return message.isEmpty ? nil : message
    }

    /// Write callback body. Counting happens on decompressed bytes (curl decodes before calling us), so a gzip bomb
    /// is stopped at the cap too. Returning less than `count` makes curl abort with CURLE_WRITE_ERROR.
    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard body.count + bytes.count <= maxBodyBytes else {
            exceededBodyLimit = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    /// Header callback body: one raw header line (with CRLF) per call, status lines included.
    func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Int {
        let line = String(decoding: bytes, as: UTF8.self).trimmingASCIIWhitespace()
        if line.hasPrefix("HTTP/") {
            headers = [:]
            body = []  // a redirect's or 1xx's own body never reaches the write callback, but be explicit
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            let value = String(line[line.index(after: colon)...]).trimmingASCIIWhitespace()
            headers[name] = value
            if name == "location" { lastLocation = value }
            // Size the body once instead of growing it by doubling (each growth copies what came so far).
            if name == "content-length", body.isEmpty, let length = Int(value), length > 0 {
                body.reserveCapacity(min(length, maxBodyBytes))
            }
        }
        return bytes.count
    }

    /// Open-socket callback body: called with every address curl is about to connect to, after DNS resolution, so
    /// a public name that resolves to a private address is refused too. Returning CURL_SOCKET_BAD fails the connect.
    func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        if blockPrivateAddresses, AddressPolicy.isPrivate(address) {
            refusedAddress = true
            return CURL_SOCKET_BAD
        }
        let family = address.pointee.family
        let type = address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue)
        return socket(family, type, address.pointee.protocol)
    }
}

/// Set once by `HTTPClient.shutdown()`, read by every transfer's progress callback.
final class ShutdownFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}

extension String {
    /// Trims only ASCII whitespace (HTTP's OWS and CRLF); Foundation's trimming also eats U+00A0 and U+3000.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
