import Foundation
import HeraldArticle
import HeraldParse
import HeraldTestSupport
import HeraldTime
import XCTest

@testable import HeraldConfiguration
@testable import HeraldCore
@testable import HeraldStore

/// The seed format's byte rules, export file names, `--since TIME` and the `keepDays` config key.
final class ArchiveFormatTests: XCTestCase {
    private let paris = TimeZone(identifier: "Europe/Paris")!

    private func article(
        lead: String? = "Lead", leadVerbatim: String? = nil, image: String? = "https://img/x.jpg",
        published: Instant? = "2023-10-28T09:52:00Z", canonical: String? = "https://www.rfi.fr/cn/a",
        contentID: String? = "WBMZ1-RFI-CN-20231028", url: String = "https://www.rfi.fr/cn/a"
    ) -> ArchivedArticle {
        ArchivedArticle(
            id: 1, source: "rfi",
            article: Article(
                url: url, canonicalURL: canonical, contentID: contentID, title: "A <b> & [c]", publishedAt: published,
                lead: lead, leadVerbatim: leadVerbatim, imageURL: image, bodyHTML: "<p>x &amp; y</p>",
                bodyText: "x & y"),
            listingTimestamp: nil, firstSeenAt: "2023-10-28T10:15:01Z", fetchedAt: "2023-10-29T00:00:00Z",
            contentHash: "h", revision: 1)
    }

    func testTheRecordFollowsTheSeedsLayoutAndEscapes() {
        let record = SeedMarkdown.record(
            article(
                lead: "R&D <2> 合作\u{A0}升温", leadVerbatim: "R&D <2> 合作\u{A0}升温        ",
                image: "https://img/a.jpg?w=1&h=\"2\"\u{A0}"), timeZone: paris)
        XCTAssertEqual(
            record,
            """
            <!--1698488101000-->
            [A <b> & [c]](https://www.rfi.fr/cn/a)
            ------

            <div>28/10/2023 - 11:52</div><img src="https://img/a.jpg?w=1&amp;h=&quot;2&quot;&nbsp;"><p><strong>R&amp;D &lt;2&gt; 合作&nbsp;升温        </strong></p><div><p>x &amp; y</p></div>

            """)
    }

    func testMissingFieldsAreLeftOutAndTheFollowedURLStandsInForAMissingCanonical() {
        let record = SeedMarkdown.record(
            article(
                lead: "", leadVerbatim: "   ", image: nil, published: nil, canonical: nil,
                url: "https://example.com/a"), timeZone: paris)
        XCTAssertEqual(
            record,
            "<!--1698488101000-->\n[A <b> & [c]](https://example.com/a)\n------\n\n<div><p>x &amp; y</p></div>\n")
        let beforeV2 = SeedMarkdown.record(article(lead: "Lead", leadVerbatim: nil), timeZone: paris)
        XCTAssertTrue(
            beforeV2.contains("<p><strong>Lead</strong></p>"), "rows stored before v2 export the trimmed lead")
    }

    func testDatesAreThePublishersLocalTimeAcrossDaylightSavingChanges() throws {
        func local(_ utc: String, _ zone: String = "Europe/Paris") throws -> String {
            SeedMarkdown.localTime(try XCTUnwrap(Instant(text: utc)?.date), in: TimeZone(identifier: zone)!)
        }
        XCTAssertEqual(try local("2024-03-31T00:59:00Z"), "31/03/2024 - 01:59")
        XCTAssertEqual(try local("2024-03-31T01:00:00Z"), "31/03/2024 - 03:00")
        XCTAssertEqual(try local("2024-10-27T00:30:00Z"), "27/10/2024 - 02:30")
        XCTAssertEqual(try local("2024-10-27T01:30:00Z"), "27/10/2024 - 02:30")
        XCTAssertEqual(try local("2024-12-31T23:30:00Z"), "01/01/2025 - 00:30")
        XCTAssertEqual(try local("2024-12-31T23:30:00Z", "UTC"), "31/12/2024 - 23:30")
        XCTAssertEqual(
            SeedMarkdown.monthDay(try XCTUnwrap(Instant(text: "2024-12-31T23:30:00Z")?.date), in: paris), "1-1")
    }

    func testFileNamesAreStableAndSafe() {
        func summary(_ id: Int64, _ contentID: String?, _ url: String) -> ArticleSummary {
            ArticleSummary(
                id: id, source: "s", title: "t", publishedAt: nil, firstSeenAt: "2025-01-01T00:00:00Z",
                fetchedAt: "2025-01-01T00:00:00Z", url: url,
                canonicalURL: nil, contentID: contentID, revision: 1)
        }
        let names = ExportNaming.fileNames([
            summary(1, "WBMZ120004-RFI-CN-20231028", "https://a/1"),
            summary(2, "../etc/passwd", "https://a/2"),
            summary(3, nil, "https://a/3"),
            summary(5, "DUP", "https://a/5"),
            summary(4, "DUP", "https://a/4"),
            summary(6, ".hidden", "https://a/6"),
        ])
        XCTAssertEqual(names[1], "WBMZ120004-RFI-CN-20231028.md")
        XCTAssertEqual(names[2], "u-\(SHA256Hex.prefix("https://a/2", 16)).md")
        XCTAssertEqual(names[3], "u-\(SHA256Hex.prefix("https://a/3", 16)).md")
        XCTAssertEqual(names[4], "DUP.md", "the first stored keeps the plain name")
        XCTAssertEqual(names[5], "DUP-\(SHA256Hex.prefix("https://a/5", 8)).md")
        XCTAssertEqual(names[6], "u-\(SHA256Hex.prefix("https://a/6", 16)).md")
        XCTAssertEqual(ExportNaming.fileNames([summary(3, nil, "https://a/3")]), [3: names[3]!], "the same alone")
    }

    func testSinceAcceptsISODatesAndDurationsBackFromNow() throws {
        let now = try XCTUnwrap(Instant(text: "2025-03-10T12:00:00Z")?.date)
        func since(_ text: String) -> String? { TimeArgument.parse(text, now: now).map { Instant($0).text } }
        XCTAssertEqual(since("2d"), "2025-03-08T12:00:00Z")
        XCTAssertEqual(since("6h"), "2025-03-10T06:00:00Z")
        XCTAssertEqual(since("1h30m"), "2025-03-10T10:30:00Z")
        XCTAssertEqual(since("2024-03-01"), "2024-03-01T00:00:00Z")
        XCTAssertEqual(since("2024-03-01T10:00"), "2024-03-01T10:00:00Z")
        XCTAssertEqual(since("2024-03-01 10:00:30"), "2024-03-01T10:00:30Z")
        XCTAssertEqual(since("2024-03-01T10:00:00Z"), "2024-03-01T10:00:00Z")
        XCTAssertEqual(since("2024-03-01T12:00+02:00"), "2024-03-01T10:00:00Z")
        XCTAssertEqual(since("2024-03-01T08:00:00.5-0200"), "2024-03-01T10:00:00Z")
        for bad in ["yesterday", "2024-13-01", "2024-03-01+02:00", "12", "", "2d ago", "2024/03/01"] {
            XCTAssertNil(since(bad), bad)
        }
    }

    func testKeepDaysIsValidated() throws {
        let folder = try TemporaryDirectory("herald-config")
        defer { folder.remove() }
        func load(_ keepDays: String) throws -> HeraldConfig {
            try ConfigLoader.load(
                bytes: Array(
                    """
                    {"database": "h.db", "sources": [{"name": "a", "listing": "https://example.com/", "keepDays": \(keepDays)}]}
                    """.utf8), file: folder.path("config.json"))
        }
        XCTAssertEqual(try load("30").sources.first?.keepDays, 30)
        for bad in ["0", "-1", "1.5", "\"30d\"", "100000"] {
            XCTAssertThrowsError(try load(bad), bad) { error in
                XCTAssertTrue("\(error)".contains("sources[0].keepDays"), "\(error)")
            }
        }
        let without = try ConfigLoader.load(
            bytes: Array(
                """
                {"database": "h.db", "sources": [{"name": "a", "listing": "https://example.com/"}]}
                """.utf8), file: folder.path("config.json"))
        XCTAssertNil(without.sources.first?.keepDays)
    }
}

/// The hex SHA-256 prefix export names use.
enum SHA256Hex {
    static func prefix(_ text: String, _ count: Int) -> String {
        String(SHA256.hex(text).prefix(count))
    }
}
