import CCurl

/// libcurl is initialised once per process, before the first handle exists. A `static let` initialiser runs exactly
/// once and is thread-safe in Swift, which is what `curl_global_init` (not itself thread-safe) needs.
enum CurlGlobal {
    static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

/// Thin owner of one `CURL*` easy handle: typed setopt/getinfo over the C shim, cleanup in `deinit`.
///
/// `@unchecked Sendable` because a handle is confined to one thread at a time: it is either idle in `HandlePool`
/// (whose Mutex orders the hand-over) or checked out by exactly one transfer. libcurl allows a handle to move between
/// threads as long as it is never used by two at once.
final class EasyHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer

    init?() {
        guard CurlGlobal.initialised, let handle = curl_easy_init() else { return nil }
        raw = handle
    }

    deinit { curl_easy_cleanup(raw) }

    /// Back to default options; keeps live connections and the DNS cache, which is why handles are pooled.
    func reset() { curl_easy_reset(raw) }

    @discardableResult
    func set(_ option: CURLoption, _ value: Int) -> CURLcode {
        herald_curl_setopt_long(raw, option, value)
    }

    @discardableResult
    func set(_ option: CURLoption, _ value: Bool) -> CURLcode {
        herald_curl_setopt_long(raw, option, value ? 1 : 0)
    }

    @discardableResult
    func set(_ option: CURLoption, offset value: Int64) -> CURLcode {
        herald_curl_setopt_off(raw, option, curl_off_t(value))
    }

    /// libcurl copies string options (since 7.17), so the Swift string need not outlive the call.
    @discardableResult
    func set(_ option: CURLoption, _ value: String) -> CURLcode {
        value.withCString { herald_curl_setopt_string(raw, option, $0) }
    }

    @discardableResult
    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) -> CURLcode {
        herald_curl_setopt_pointer(raw, option, value)
    }

    /// The list must stay alive until the transfer ends: `HeaderList` owns it.
    @discardableResult
    func set(_ option: CURLoption, list: HeaderList) -> CURLcode {
        herald_curl_setopt_slist(raw, option, list.raw)
    }

    @discardableResult
    func set(_ option: CURLoption, callback: curl_write_callback) -> CURLcode {
        herald_curl_setopt_write_callback(raw, option, callback)
    }

    @discardableResult
    func setProgress(_ callback: curl_xferinfo_callback) -> CURLcode {
        herald_curl_setopt_xferinfo_callback(raw, callback)
    }

    @discardableResult
    func setOpenSocket(_ callback: curl_opensocket_callback) -> CURLcode {
        herald_curl_setopt_opensocket_callback(raw, callback)
    }

    /// Blocks the calling thread until the transfer ends. Never call this on the Swift cooperative pool.
    func perform() -> CURLcode { curl_easy_perform(raw) }

    func long(_ info: CURLINFO) -> Int {
        var value = 0
        _ = herald_curl_getinfo_long(raw, info, &value)
        return value
    }

    func double(_ info: CURLINFO) -> Double {
        var value = 0.0
        _ = herald_curl_getinfo_double(raw, info, &value)
        return value
    }

    func string(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard herald_curl_getinfo_string(raw, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    static func describe(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}

/// Owns a `curl_slist` of request headers for the duration of one transfer.
final class HeaderList {
    private(set) var raw: UnsafeMutablePointer<curl_slist>?

    init(_ lines: [String]) {
        for line in lines {
            raw = curl_slist_append(raw, line)
        }
    }

    deinit { curl_slist_free_all(raw) }
}
