import Foundation
import HeraldConfiguration
import HeraldCore
import HeraldStore
import HeraldTestSupport
import HeraldTime
import XCTest

/// `herald export` against the fixture site: every article's record byte for byte, the seed's, the index, and
/// idempotence across a revision.
final class ExportFixtureTests: XCTestCase {
    func testTheExportOfACrawledFixtureSiteMatchesTheExpectedRecordsAndIsIdempotent() async throws {
        let harness = try CrawlHarness()
        let config = try harness.config(
            sources: [
                CrawlHarness.source(
                    "rfi", "https://www.rfi.fr/cn/atom.xml", kind: "atom",
                    extra: "\"displayName\": \"法广\"")
            ],
            extra: harness.mirrorRFI)
        let first = try await harness.crawl(config)
        XCTAssertEqual(first.first?.counts.new, 60, first.first?.summary ?? "")

        let out = try TemporaryDirectory("herald-export")
        defer { out.remove() }
        let exporter = try makeExporter(harness, config, out)
        let reports = try exporter.export(format: .markdown)
        XCTAssertEqual(reports.map(\.source), ["rfi"])
        XCTAssertEqual(reports.first?.written, 60)
        XCTAssertEqual(reports.first?.indexWritten, true)

        // Every article against expected/export/<content_id>.md, the fetch time put in the placeholder.
        let firstSeen = try firstSeenMilliseconds(harness)
        let expected = try harness.site.expectedArticles()
        XCTAssertEqual(expected.count, 60)
        for id in expected.keys.sorted() {
            let want = try String(decoding: harness.site.data("expected/export/\(id).md"), as: UTF8.self)
            let got = try String(contentsOfFile: out.path("articles/rfi/\(id).md"), encoding: .utf8)
            let fetched = try XCTUnwrap(firstSeen[id], id)
            XCTAssertEqual(got, want.replacingOccurrences(of: "<!--FETCHED_MS-->", with: "<!--\(fetched)-->"), id)
        }
        // The seed article against the seed's own record (the seed document minus its share block).
        let seedID = "WBMZ120004-RFI-CN-20231028"
        let seed = try String(decoding: harness.site.data("expected/seed-export.md"), as: UTF8.self)
        let seedExport = try String(contentsOfFile: out.path("articles/rfi/\(seedID).md"), encoding: .utf8)
        XCTAssertEqual(
            seedExport,
            seed.replacingOccurrences(
                of: "<!--FETCHED_MS-->",
                with: "<!--\(try XCTUnwrap(firstSeen[seedID]))-->"))
        XCTAssertTrue(seedExport.contains("“共同应对全球挑战”。        </strong></p>"), "the chapo keeps its 8 spaces")

        // The index: display name, ------, a blank line, then `M-D [title](path)` entries, newest first.
        let index = try String(contentsOfFile: out.path("lists/rfi.md"), encoding: .utf8)
        let lines = index.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(Array(lines.prefix(3)), ["法广", "------", ""])
        let entries = lines.dropFirst(3).filter { !$0.isEmpty }
        XCTAssertEqual(entries.count, 60)
        XCTAssertEqual(lines.count, 3 + 60 * 2, "entries separated by blank lines, one newline at the end")
        XCTAssertTrue(index.hasSuffix(")\n"))
        let byPublished = expected.values.sorted {
            ($0["published"] as? String ?? "", $0["content_id"] as? String ?? "")
                > ($1["published"] as? String ?? "", $1["content_id"] as? String ?? "")
        }
        XCTAssertEqual(
            entries.first,
            "11-30 [\(byPublished[0]["title"] as? String ?? "")](../articles/rfi/\(byPublished[0]["content_id"] as? String ?? "").md)"
        )
        XCTAssertTrue(entries.contains("10-28 [拜登敦促中国合作 共同应对全球挑战](../articles/rfi/\(seedID).md)"))
        let published = entries.compactMap { entry -> String? in
            let path = String(entry).slice(from: "(../articles/rfi/", to: ".md)") ?? ""
            return expected[path]?["published"] as? String
        }
        XCTAssertEqual(published.count, 60, "every entry links an exported file")
        XCTAssertEqual(published, published.sorted(by: >), "newest first")
        // The local day, not the UTC one: published 2024-12-31T23:30Z is 1 January in Paris.
        let midnight = try XCTUnwrap(
            expected.values.first { ($0["flags"] as? [String] ?? []).contains("date-crosses-midnight") })
        XCTAssertTrue(
            entries.contains { $0.hasPrefix("\(dayOfLocal(midnight)) [\(midnight["title"] as? String ?? "")]") })

        // A second export writes nothing.
        let modified = try modificationDates(out)
        let again = try exporter.export(format: .markdown)
        XCTAssertEqual(again.first?.written, 0)
        XCTAssertEqual(again.first?.unchanged, 60)
        XCTAssertEqual(again.first?.indexWritten, false)
        XCTAssertEqual(try modificationDates(out), modified, "no file touched")

        // The publisher edits one article: the crawl stores a revision and the export rewrites that one file.
        let manifest = try harness.site.json("expected/manifest.json")
        let updated = try XCTUnwrap(manifest["updated_article"] as? [String: Any])
        let updatedID = try XCTUnwrap(updated["content_id"] as? String)
        let path = try XCTUnwrap(try harness.site.json("expected/\(updatedID).json")["path"] as? String)
        harness.server.route(
            path,
            .html(
                String(
                    decoding: try harness.site.data(try XCTUnwrap(updated["variant_page"] as? String)),
                    as: UTF8.self)))
        harness.server.route(
            "/cn/atom.xml",
            .init(
                headers: [("Content-Type", "application/xml")],
                body: Array(try harness.site.data("variants/cn/atom.xml"))))
        let second = try await harness.crawl(config)
        XCTAssertEqual(second.first?.counts.updated, 1, second.first?.summary ?? "")
        let since = try XCTUnwrap(TimeArgument.parse("1h").map(Instant.init))
        let revised = try exporter.export(format: .markdown, fetchedSince: since)
        XCTAssertEqual(revised.first?.written, 1)
        XCTAssertEqual(revised.first?.writtenPaths, ["articles/rfi/\(updatedID).md"])
        let variant = try String(decoding: harness.site.data("variants/expected/export/\(updatedID).md"), as: UTF8.self)
        XCTAssertEqual(
            try String(contentsOfFile: out.path("articles/rfi/\(updatedID).md"), encoding: .utf8),
            variant.replacingOccurrences(
                of: "<!--FETCHED_MS-->", with: "<!--\(try XCTUnwrap(firstSeen[updatedID]))-->"),
            "the revised record keeps the first fetch time")
        XCTAssertEqual(try exporter.export(format: .markdown).first?.written, 0, "and then nothing again")
    }

    func testJSONLinesHoldOneObjectPerArticleAndMergeIncrementally() async throws {
        let harness = try CrawlHarness()
        let config = try harness.config(sources: [
            CrawlHarness.source("china", harness.server.url("/cn/%E4%B8%AD%E5%9B%BD/"))
        ])
        _ = try await harness.crawl(config)
        let out = try TemporaryDirectory("herald-export")
        defer { out.remove() }
        let exporter = try makeExporter(harness, config, out)
        let stored = try harness.count("SELECT count(*) FROM articles")
        let first = try exporter.export(format: .jsonl)
        XCTAssertEqual(first.first?.written, stored)
        let text = try String(contentsOfFile: out.path("china.jsonl"), encoding: .utf8)
        let objects = try text.split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(objects.count, stored)
        XCTAssertEqual(objects.compactMap { $0["id"] as? Int }, Array(1...stored), "ordered by id")
        let seed = try XCTUnwrap(objects.first { $0["content_id"] as? String == "WBMZ120004-RFI-CN-20231028" })
        for key in [
            "id", "source", "url", "canonical_url", "title", "section", "authors", "published", "modified", "lead",
            "image", "image_caption", "tags", "body_html", "body_text", "revision", "first_seen_at",
            "fetched_at",
        ] {
            XCTAssertNotNil(seed[key], "missing \(key)")
        }
        XCTAssertEqual(seed["published"] as? String, "2023-10-28T09:52:00Z")
        // Incremental: nothing fetched since a future time, and the file keeps every line.
        let none = try exporter.export(format: .jsonl, fetchedSince: "2999-01-01T00:00:00Z")
        XCTAssertEqual(none.first?.articles, 0)
        XCTAssertEqual(none.first?.indexWritten, false)
        XCTAssertEqual(try String(contentsOfFile: out.path("china.jsonl"), encoding: .utf8), text)
        XCTAssertEqual(try exporter.export(format: .jsonl).first?.written, 0)
    }

    // MARK: - Helpers

    private func makeExporter(
        _ harness: CrawlHarness, _ config: HeraldConfig,
        _ out: TemporaryDirectory
    ) throws -> ArchiveExporter {
        ArchiveExporter(reader: try ArchiveReader(path: harness.databasePath), folder: out.url) { name in
            let source = config.source(named: name)
            return ArchiveExporter.Style(
                displayName: source?.displayName ?? name,
                timeZone: TimeZone(identifier: source?.timeZone ?? "UTC")!)
        }
    }

    /// content_id → first fetch time in ms since the epoch (what line 1 of a record holds).
    private func firstSeenMilliseconds(_ harness: CrawlHarness) throws -> [String: Int64] {
        let db = try SQLiteConnection(path: harness.databasePath, mode: .readOnly)
        let rows = try db.query("SELECT content_id, first_seen_at FROM articles") {
            ($0.text(0) ?? "", $0.text(1) ?? "")
        }
        var result: [String: Int64] = [:]
        for (id, time) in rows {
            result[id] = Int64(try XCTUnwrap(Instant(text: time)?.date).timeIntervalSince1970) * 1000
        }
        return result
    }

    private func modificationDates(_ folder: TemporaryDirectory) throws -> [String: Date] {
        var dates: [String: Date] = [:]
        let enumerator = FileManager.default.enumerator(
            at: folder.url, includingPropertiesForKeys: [.contentModificationDateKey])
        while let url = enumerator?.nextObject() as? URL {
            dates[url.path] = try url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate
        }
        return dates
    }

    /// `M-D` of an expected record's `published_local` (`dd/MM/yyyy - HH:mm`, Paris).
    private func dayOfLocal(_ record: [String: Any]) -> String {
        let local = record["published_local"] as? String ?? ""
        let day = Int(local.prefix(2)) ?? 0
        let month = Int(local.dropFirst(3).prefix(2)) ?? 0
        return "\(month)-\(day)"
    }
}
