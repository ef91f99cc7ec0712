import Foundation

/// The archived record in `Fixtures/seed/` (the duty-machine Markdown the project started from), taken apart: the
/// one copy every test target uses.
public struct SeedDocument: Sendable {
    /// The file's lines; line 5 (`line5`) is the article as one line of HTML.
    public let lines: [String]
    public let title: String
    public let url: String
    public let image: String
    public let lead: String
    /// The `<div>` body's inner HTML without the share block (what Herald's cleaned body must equal).
    public let bodyWithoutShareBlock: String

    public var line5: String { lines[4] }

    public static func load() throws -> SeedDocument {
        let file = FixtureSite.fixturesFolder.appendingPathComponent("seed/rfi-cn-20231028-biden-wang-yi.md")
        let text = try String(contentsOf: file, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count > 4 else {
            throw FixtureError("\(file.path): expected at least 5 lines, found \(lines.count)")
        }
        func part(_ value: String?, _ what: String) throws -> String {
            guard let value else { throw FixtureError("\(file.path): no \(what)") }
            return value
        }
        let heading = lines[1]
        guard let titleEnd = heading.range(of: "](") else {
            throw FixtureError("\(file.path): no [title](url) heading")
        }
        let body = lines[4]
        guard let afterLead = body.range(of: "</strong></p><div>"),
            let shareStart = body.range(of: "</div><div><div>分享", options: .backwards)
        else {
            throw FixtureError("\(file.path): line 5 has no lead or no share block")
        }
        return SeedDocument(
            lines: lines,
            title: String(heading[heading.index(after: heading.startIndex)..<titleEnd.lowerBound]),
            url: String(heading[titleEnd.upperBound..<heading.index(before: heading.endIndex)]),
            image: try part(body.slice(from: "<img src=\"", to: "\""), "lead image"),
            lead: try part(body.slice(from: "<p><strong>", to: "</strong></p>"), "lead"),
            bodyWithoutShareBlock: String(body[afterLead.upperBound..<shareStart.lowerBound]))
    }
}

extension String {
    /// The text between the first `start` and the next `end` after it.
    public func slice(from start: String, to end: String) -> String? {
        guard let a = range(of: start), let b = range(of: end, range: a.upperBound..<endIndex) else { return nil }
        return String(self[a.upperBound..<b.lowerBound])
    }
}
