// libFuzzer target: the status socket's request parser (HTTPRequestParser.parse), the first code a local client's
// bytes reach. Beyond crashes it checks the limits the server relies on: a verdict never claims more bytes than it
// was given, a complete request fits the head and body limits, and every refusal is a 4xx/5xx.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch HTTPRequestParser.parse(bytes) {
    case .incomplete:
        check(
            bytes.count <= HTTPRequestParser.maxHeadBytes + 4 + HTTPRequestParser.maxBodyBytes,
            "incomplete after more bytes than any request may have")
    case let .complete(request, consumed):
        check(consumed <= bytes.count, "consumed more than given")
        check(request.body.count <= HTTPRequestParser.maxBodyBytes, "body over the limit")
        check(request.path.hasPrefix("/"), "path without a leading slash")
        check(request.headers.count <= HTTPRequestParser.maxHeaders, "too many headers accepted")
    case let .invalid(status, _):
        check((400..<600).contains(status), "refusal with status \(status)")
    }
    return 0
}
