import Foundation

/// The socket's small answers, each one type shared by the daemon (which renders `json`) and the CLI (which decodes
/// it), like `StatusDocument`. The reload outcome is `StatusDocument.Reload`, the same object `last_reload` shows.

/// Every 4xx and 5xx answer: `{"error": "no source named \"x\""}`. A rejected reload (422) is a
/// `StatusDocument.Reload` instead, whose `errors` list what is wrong with the file.
package struct ErrorAnswer: Codable, Equatable, Sendable {
    package var error: String

    package init(_ error: String) { self.error = error }

    package var json: JSONOutput { .object([("error", .string(error))]) }
}

/// `POST /sources/NAME/crawl` accepted (202): the pass has started.
package struct TriggerAnswer: Codable, Equatable, Sendable {
    package var source: String
    package var started: Bool

    package init(source: String, started: Bool = true) {
        self.source = source
        self.started = started
    }

    package var json: JSONOutput { .object([("source", .string(source)), ("started", .bool(started))]) }
}

extension Decodable {
    /// Decodes an answer body of the socket; nil when it is not this type's JSON (an older or newer daemon).
    package static func decodeAnswer(_ body: String) -> Self? {
        try? JSONDecoder().decode(Self.self, from: Data(body.utf8))
    }
}
