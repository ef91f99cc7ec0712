import Foundation
import HeraldTestSupport
import HeraldTime
import XCTest

@testable import HeraldParse

/// The generated RFI fixture site and its expected values, loaded once per test process.
enum Fixtures {
    static func site() throws -> FixtureSite { try FixtureSite.standard() }

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try site().data(relativePath))
    }

    static func json(_ relativePath: String) throws -> [String: Any] {
        try site().json(relativePath)
    }

    /// `expected/manifest.json`'s `article_index` entries joined with each `expected/<content_id>.json`.
    static func expectedArticles() throws -> [[String: Any]] {
        let index = try json("expected/manifest.json")["article_index"] as? [[String: Any]] ?? []
        return try index.map { entry in try json("expected/\(entry["content_id"] as! String).json") }
    }

    /// The body HTML of an export record: what sits between the outer `<div>` and `</div>` on line 5.
    static func exportBody(_ relativePath: String) throws -> String {
        let text = String(decoding: try bytes(relativePath), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return try exportBody(line5: String(lines[4]))
    }

    static func exportBody(line5: String) throws -> String {
        guard let start = line5.range(of: "</strong></p><div>") else {
            throw FixtureError("line 5 has no </strong></p><div>: \(line5.prefix(200))")
        }
        var body = String(line5[start.upperBound...])
        guard body.hasSuffix("</div>") else { throw FixtureError("line 5 does not end with </div>") }
        body.removeLast("</div>".count)
        return body
    }

    /// Expected timestamps (`YYYY-MM-DDTHH:MM:SSZ`) as instants.
    static func date(_ value: Any?) -> Instant? {
        (value as? String).flatMap(Timestamp.parseISO8601)
    }

    /// The origin a crawl of the fixture site fetches from (listing links resolve against it).
    static let origin = "http://127.0.0.1:8080"
}

extension String {
    /// The path (and query) of an absolute URL: `https://host/a/b?q` → `/a/b?q`.
    var pathOfURL: String {
        guard let scheme = range(of: "://"), let slash = self[scheme.upperBound...].firstIndex(of: "/") else {
            return "/"
        }
        return String(self[slash...])
    }
}
