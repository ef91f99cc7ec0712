import Foundation

/// Transport limits for `HTTPClient`. Times are in seconds.
package struct HTTPClientOptions: Sendable, Equatable {
    package var userAgent: String
    /// TCP + TLS handshake.
    package var connectTimeout: TimeInterval
    /// The whole transfer, redirects included.
    package var totalTimeout: TimeInterval
    /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` seconds is aborted as `.timeout`: this is
    /// what ends a stalled or trickling server long before `totalTimeout`.
    package var lowSpeedLimit: Int
    package var lowSpeedTime: TimeInterval
    /// Cap on the decompressed body; larger responses are aborted as `.bodyTooLarge`, never truncated.
    package var maxBodyBytes: Int
    package var maxRedirects: Int
    /// Refuse connections to loopback, private, link-local and other non-public addresses (checked after DNS).
    package var blockPrivateAddresses: Bool
    /// Idle easy handles kept for connection reuse.
    package var maxIdleHandles: Int

    package init(
        userAgent: String = "Herald/0.1",
        connectTimeout: TimeInterval = 10,
        totalTimeout: TimeInterval = 60,
        lowSpeedLimit: Int = 100,
        lowSpeedTime: TimeInterval = 20,
        maxBodyBytes: Int = 8 * 1024 * 1024,
        maxRedirects: Int = 5,
        blockPrivateAddresses: Bool = false,
        maxIdleHandles: Int = 8
    ) {
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
        self.blockPrivateAddresses = blockPrivateAddresses
        self.maxIdleHandles = maxIdleHandles
    }
}
