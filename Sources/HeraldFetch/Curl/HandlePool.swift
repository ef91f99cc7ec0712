import Synchronization

/// Idle easy handles, kept so their keep-alive connections (and DNS cache) serve the next request to the same
/// origin. Each libcurl handle has its own connection cache, so a checkout prefers a handle that last talked to the
/// requested origin; otherwise it takes the least recently used one (or a fresh one).
final class HandlePool: Sendable {
    private struct Idle {
        let handle: EasyHandle
        let origin: String
    }

    private let idle = Mutex<[Idle]>([])
    private let maxIdle: Int

    init(maxIdle: Int) {
        self.maxIdle = max(0, maxIdle)
    }

    /// A handle ready for `reset()` and configuration, or nil when libcurl cannot allocate one.
    func checkout(origin: String) -> EasyHandle? {
        let reused: EasyHandle? = idle.withLock { list in
            // Most recently returned last: search from the end for the warmest connection to this origin.
            if let index = list.lastIndex(where: { $0.origin == origin }) {
                return list.remove(at: index).handle
            }
            return list.isEmpty ? nil : list.removeFirst().handle
        }
        return reused ?? EasyHandle()
    }

    func checkin(_ handle: EasyHandle, origin: String) {
        // The evicted handle is released outside the lock: curl_easy_cleanup may close sockets.
        let evicted: Idle? = idle.withLock { list in
            list.append(Idle(handle: handle, origin: origin))
            return list.count > maxIdle ? list.removeFirst() : nil
        }
        _ = evicted
    }

    /// Drops every idle handle (closing their connections), e.g. at shutdown.
    func drain() {
        let all = idle.withLock { list -> [Idle] in
            defer { list.removeAll() }
            return list
        }
        _ = all
    }
}
