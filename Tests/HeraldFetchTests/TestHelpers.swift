import Foundation
import HeraldFetch
import HeraldTestSupport
import Logging
import XCTest

/// Fast limits so failure tests end in seconds; generous enough for a loaded 2-core machine.
func testClientOptions(_ change: (inout HTTPClientOptions) -> Void = { _ in }) -> HTTPClientOptions {
    var options = HTTPClientOptions(
        userAgent: "HeraldTest/1.0 (+https://example.invalid/bot)",
        connectTimeout: 3, totalTimeout: 30, lowSpeedLimit: 100, lowSpeedTime: 2,
        maxBodyBytes: 16 * 1024 * 1024, maxRedirects: 5)
    change(&options)
    return options
}

extension Result where Failure == FetchError {
    var failureKind: FetchError.Kind? {
        if case let .failure(error) = self { return error.kind }
        return nil
    }

    var response: Success? {
        if case let .success(value) = self { return value }
        return nil
    }
}

extension FetchError.Kind {
    var isNetwork: Bool {
        FetchError(url: "", kind: self).isNetworkLevel && self != .timeout
    }
}

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Percent-encodes a decoded path the way the fixture site links (uppercase hex, `/` kept).
func encodedPath(_ path: String) -> String {
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(charactersIn: "%")
    return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
}

extension Fetching {
    /// The response, or a test failure naming the error.
    func expectResponse(
        _ request: HTTPRequest, file: StaticString = #filePath, line: UInt = #line
    ) async throws
        -> HTTPResponse
    {
        switch await fetch(request) {
        case let .success(response): return response
        case let .failure(error):
            XCTFail("expected a response, got \(error)", file: file, line: line)
            throw error
        }
    }
}

/// Captures log messages so a test can wait for an event the code logs (e.g. "retrying") instead of sleeping.
final class LogRecorder: Sendable {
    private let recorded = Recorder<String>()

    var messages: [String] { recorded.items }

    var logger: Logger {
        let recorded = recorded
        return Logger(label: "test") { _ in Handler(recorded: recorded) }
    }

    private struct Handler: LogHandler {
        let recorded: Recorder<String>
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorded.append(event.message.description)
        }
    }
}
