import CCurl
import Foundation
import Logging

/// One GET per call over libcurl easy handles; implements `Fetching` with no politeness of its own (see
/// `PoliteFetcher`). Safe to share: all state is immutable, atomic or behind the handle pool's Mutex.
package final class HTTPClient: Fetching, Sendable {
    package let options: HTTPClientOptions
    private let pool: HandlePool
    private let shutdownFlag = ShutdownFlag()
    private let logger: Logger

    package init(options: HTTPClientOptions = HTTPClientOptions(), logger: Logger = Logger(label: "herald.fetch")) {
        self.options = options
        self.logger = logger
        pool = HandlePool(maxIdle: options.maxIdleHandles)
    }

    /// Aborts in-flight transfers (within about a second: libcurl's progress callback notices) with `.cancelled`;
    /// later requests fail at once. Irreversible.
    package func shutdown() {
        shutdownFlag.set()
        pool.drain()
    }

    package var isShutDown: Bool { shutdownFlag.isSet }

    package func fetch(_ request: HTTPRequest) async -> Result<HTTPResponse, FetchError> {
        if shutdownFlag.isSet || Task.isCancelled { return .failure(FetchError(url: request.url, kind: .cancelled)) }
        if let refusal = Self.checkScheme(request.url) { return .failure(refusal) }

        let context = TransferContext(
            maxBodyBytes: options.maxBodyBytes,
            blockPrivateAddresses: options.blockPrivateAddresses,
            shutdown: shutdownFlag)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation {
                (continuation: CheckedContinuation<Result<HTTPResponse, FetchError>, Never>) in
                // `curl_easy_perform` blocks its thread for the whole transfer, so it must never run on the Swift
                // cooperative pool (2 threads here: two stalled servers would freeze every actor). Nor on a
                // Dispatch queue: on Linux, libdispatch adds threads for blocked work only about once a second,
                // so a burst of requests would start late and trip the low-speed timeout. One thread per transfer
                // costs microseconds next to a network round trip; callers bound the number in flight.
                let thread = Thread { [self] in
                    continuation.resume(returning: perform(request, context: context))
                }
                thread.name = "herald.curl"
                thread.start()
            }
        } onCancel: {
            context.cancel()
        }
        switch result {
        case let .success(response):
            logger.debug(
                "fetched",
                metadata: [
                    "url": "\(request.url)", "status": "\(response.status)",
                    "bytes": "\(response.body.count)", "elapsed": "\(response.elapsed)",
                ])
        case let .failure(error):
            logger.debug("fetch failed", metadata: ["url": "\(request.url)", "error": "\(error)"])
        }
        return result
    }

    /// Refuses non-http(s) URLs before libcurl sees them (it would say only "unsupported protocol").
    static func checkScheme(_ url: String) -> FetchError? {
        guard let colon = url.firstIndex(of: ":") else {
            return FetchError(url: url, kind: .unsupportedScheme(""))
        }
        let scheme = url[..<colon].lowercased()
        return scheme == "http" || scheme == "https" ? nil : FetchError(url: url, kind: .unsupportedScheme(scheme))
    }

    // MARK: - On the transfer's own thread

    private func perform(_ request: HTTPRequest, context: TransferContext) -> Result<HTTPResponse, FetchError> {
        let origin = Origin(url: request.url)?.description ?? request.url
        guard let handle = pool.checkout(origin: origin) else {
            return .failure(FetchError(url: request.url, kind: .transfer(message: "curl_easy_init failed")))
        }
        handle.reset()
        let headerList = HeaderList(Self.requestHeaders(request))
        let userdata = Unmanaged.passUnretained(context).toOpaque()
        configure(handle, url: request.url, headers: headerList, context: context, userdata: userdata)

        let code = withExtendedLifetime((context, headerList)) { handle.perform() }
        let result = interpret(code, handle: handle, request: request, context: context)

        // Clear pointers to this transfer's context and header list before the handle is reused.
        handle.reset()
        if !shutdownFlag.isSet { pool.checkin(handle, origin: origin) }
        return result
    }

    /// Validators come from earlier responses (stored in the database): CR and LF are dropped so a hostile
    /// ETag cannot inject a header line.
    static func requestHeaders(_ request: HTTPRequest) -> [String] {
        func clean(_ value: String) -> String { value.filter { $0 != "\r" && $0 != "\n" && $0 != "\r\n" } }
        var lines: [String] = []
        if let accept = request.accept { lines.append("Accept: \(clean(accept))") }
        if let etag = request.ifNoneMatch { lines.append("If-None-Match: \(clean(etag))") }
        if let date = request.ifModifiedSince { lines.append("If-Modified-Since: \(clean(date))") }
        return lines
    }

    private func configure(
        _ handle: EasyHandle, url: String, headers: HeaderList, context: TransferContext,
        userdata: UnsafeMutableRawPointer
    ) {
        handle.set(CURLOPT_URL, url)
        handle.set(CURLOPT_HTTPGET, true)
        handle.set(CURLOPT_NOSIGNAL, true)  // no SIGALRM for DNS timeouts: we are multi-threaded
        handle.set(CURLOPT_PROTOCOLS_STR, "http,https")
        handle.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        handle.set(CURLOPT_FOLLOWLOCATION, true)
        handle.set(CURLOPT_MAXREDIRS, options.maxRedirects)
        handle.set(CURLOPT_AUTOREFERER, true)
        handle.set(CURLOPT_USERAGENT, options.userAgent)
        handle.set(CURLOPT_HTTPHEADER, list: headers)
        handle.set(CURLOPT_ACCEPT_ENCODING, "")  // every encoding this libcurl decodes: gzip, deflate, br
        handle.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(options.connectTimeout))
        handle.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(options.totalTimeout))
        handle.set(CURLOPT_LOW_SPEED_LIMIT, max(1, options.lowSpeedLimit))
        handle.set(CURLOPT_LOW_SPEED_TIME, max(1, Int(options.lowSpeedTime.rounded(.up))))
        // Early refusal when Content-Length already says too big; the write callback enforces the decoded size.
        handle.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(options.maxBodyBytes))
        handle.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(context.errorBuffer))

        handle.set(
            CURLOPT_WRITEFUNCTION,
            callback: { data, size, count, userdata in
                guard let data, let userdata else { return 0 }
                let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
                return context.appendBody(UnsafeRawBufferPointer(start: data, count: size * count))
            })
        handle.set(CURLOPT_WRITEDATA, pointer: userdata)
        handle.set(
            CURLOPT_HEADERFUNCTION,
            callback: { data, size, count, userdata in
                guard let data, let userdata else { return 0 }
                let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
                return context.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
            })
        handle.set(CURLOPT_HEADERDATA, pointer: userdata)
        // The progress callback is the cancellation point: libcurl calls it at least once a second, even while
        // waiting on a silent socket; a non-zero return aborts with CURLE_ABORTED_BY_CALLBACK.
        handle.set(CURLOPT_NOPROGRESS, false)
        handle.setProgress { userdata, _, _, _, _ in
            guard let userdata else { return 1 }
            return Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue().shouldAbort ? 1 : 0
        }
        handle.set(CURLOPT_XFERINFODATA, pointer: userdata)
        if options.blockPrivateAddresses {
            handle.setOpenSocket { userdata, _, address in
                guard let userdata, let address else { return CURL_SOCKET_BAD }
                return Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue().openSocket(address)
            }
            handle.set(CURLOPT_OPENSOCKETDATA, pointer: userdata)
        }
    }

    private static func milliseconds(_ seconds: TimeInterval) -> Int {
        max(1, Int((seconds * 1000).rounded()))
    }

    private func interpret(
        _ code: CURLcode, handle: EasyHandle, request: HTTPRequest,
        context: TransferContext
    ) -> Result<HTTPResponse, FetchError> {
        let url = request.url
        func failure(_ kind: FetchError.Kind) -> Result<HTTPResponse, FetchError> {
            .failure(FetchError(url: url, kind: kind))
        }
        switch code {
        case CURLE_OK:
            break
        case CURLE_ABORTED_BY_CALLBACK:
            return failure(.cancelled)
        case CURLE_WRITE_ERROR where context.exceededBodyLimit, CURLE_FILESIZE_EXCEEDED:
            return failure(.bodyTooLarge(limit: options.maxBodyBytes))
        case CURLE_OPERATION_TIMEDOUT:
            return failure(.timeout)
        case CURLE_TOO_MANY_REDIRECTS:
            return failure(.tooManyRedirects(limit: options.maxRedirects))
        case CURLE_UNSUPPORTED_PROTOCOL:
            return failure(.unsupportedScheme(refusedScheme(handle: handle, context: context)))
        case CURLE_COULDNT_CONNECT where context.refusedAddress:
            return failure(.blockedAddress)
        default:
            return failure(
                Self.kind(
                    of: code, osErrno: handle.long(CURLINFO_OS_ERRNO),
                    message: context.errorMessage ?? EasyHandle.describe(code)))
        }

        let status = handle.long(CURLINFO_RESPONSE_CODE)
        let response = HTTPResponse(
            status: status,
            finalURL: handle.string(CURLINFO_EFFECTIVE_URL) ?? url,
            headers: context.headers,
            body: context.body,
            elapsed: handle.double(CURLINFO_TOTAL_TIME),
            redirectCount: handle.long(CURLINFO_REDIRECT_COUNT))
        if (200..<300).contains(status) || status == 304 { return .success(response) }
        let retryAfter = context.headers["retry-after"].flatMap { RetryAfter.seconds(from: $0) }
        return failure(.http(status: status, retryAfter: retryAfter))
    }

    /// Names a curl failure; curl's numbers stay here. A refused connection is told from an unreachable host by the
    /// connect's errno: a refusal proves the network works (the host answered), which is what tells a dead server
    /// from a network outage.
    static func kind(of code: CURLcode, osErrno: Int, message: String) -> FetchError.Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .dnsFailure(message: message)
        case CURLE_COULDNT_CONNECT:
            return osErrno == Int(ECONNREFUSED) ? .connectionRefused(message: message) : .unreachable(message: message)
        case CURLE_URL_MALFORMAT:
            return .invalidURL(message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_INVALIDCERTSTATUS,
            CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            return .tls(message: message)
        default:
            return .transfer(message: message)
        }
    }

    /// The scheme of the redirect target curl refused to follow.
    private func refusedScheme(handle: EasyHandle, context: TransferContext) -> String {
        let target = handle.string(CURLINFO_REDIRECT_URL) ?? context.lastLocation ?? ""
        guard let colon = target.firstIndex(of: ":") else { return target }
        return target[..<colon].lowercased()
    }
}
