import HeraldArticle
import HeraldStore
import HeraldTestSupport
import HeraldTime
import XCTest

/// `prune`: old articles go with their revisions, aliases and search rows; tombstones keep their URLs seen.
final class RetentionTests: XCTestCase {
    private var folder: TemporaryDirectory!
    private var store: ArticleStore!

    override func setUpWithError() throws {
        folder = try TemporaryDirectory("herald-retention")
        store = try ArticleStore(path: folder.path("herald.db"))
        // old (published 2023), old by first fetch (no publication time), recent, and another source's old one.
        try save("old", published: "2023-01-01T00:00:00Z", body: "旧文章正文内容")
        try save("old", published: "2023-01-01T00:00:00Z", body: "旧文章正文内容，修订版")
        try save("undated", published: nil, body: "没有日期的文章", fetchedAt: "2023-06-01T00:00:00Z")
        try save("recent", published: "2025-01-01T00:00:00Z", body: "新文章正文内容")
        try save("other", published: "2023-01-01T00:00:00Z", body: "另一来源的旧文章", source: "other")
        _ = try store.save(
            record(
                "old-alias", published: "2023-01-01T00:00:00Z", body: "旧文章正文内容，修订版",
                canonical: "https://example.com/old"),
            listingTimestamp: nil, fetchedAt: "2023-01-02T00:00:00Z", aliasByCanonical: true)
    }

    override func tearDown() {
        store = nil
        folder.remove()
    }

    private func record(
        _ name: String, published: Instant?, body: String, source: String = "rfi",
        canonical: String? = nil
    ) -> ArticleRecord {
        ArticleRecord(
            source: source,
            article: Article(
                url: "https://example.com/\(name)",
                canonicalURL: canonical ?? "https://example.com/\(name)",
                contentID: "ID-\(name)",
                title: "标题 \(name)",
                authors: [],
                publishedAt: published,
                tags: [],
                bodyHTML: "<p>\(body)</p>",
                bodyText: body),
            contentHash: "hash-\(body)")
    }

    private func save(
        _ name: String, published: Instant?, body: String, source: String = "rfi",
        fetchedAt: Instant = "2023-01-02T00:00:00Z"
    ) throws {
        _ = try store.save(
            record(name, published: published, body: body, source: source), listingTimestamp: nil,
            fetchedAt: fetchedAt, aliasByCanonical: true)
    }

    private func count(_ sql: String) throws -> Int {
        try store.withConnection { try $0.scalarInt(sql) }
    }

    func testPruningDeletesOldArticlesWithTheirRevisionsAliasesAndSearchRowsAndLeavesTombstones() throws {
        XCTAssertEqual(try count("SELECT count(*) FROM articles"), 4)
        XCTAssertEqual(try count("SELECT count(*) FROM article_revisions"), 5)
        XCTAssertEqual(try count("SELECT count(*) FROM url_aliases"), 1)

        let dry = try store.prune(
            source: "rfi", before: "2024-01-01T00:00:00Z", at: "2025-02-01T00:00:00Z",
            reason: "keepDays 30", dryRun: true)
        XCTAssertEqual(dry.articles, 2)
        XCTAssertEqual(dry.revisions, 3)
        XCTAssertEqual(dry.tombstones, 3)
        XCTAssertEqual(try count("SELECT count(*) FROM articles"), 4, "a dry run changes nothing")

        let result = try store.prune(
            source: "rfi", before: "2024-01-01T00:00:00Z", at: "2025-02-01T00:00:00Z",
            reason: "keepDays 30", batchSize: 1)
        XCTAssertEqual(result, dry, "the dry run counted what the real run did")
        XCTAssertEqual(try count("SELECT count(*) FROM articles WHERE source = 'rfi'"), 1, "the recent one stays")
        XCTAssertEqual(try count("SELECT count(*) FROM articles WHERE source = 'other'"), 1, "other sources untouched")
        XCTAssertEqual(try count("SELECT count(*) FROM article_revisions"), 2)
        XCTAssertEqual(try count("SELECT count(*) FROM url_aliases"), 0)
        XCTAssertEqual(
            try count("SELECT count(*) FROM articles_search WHERE articles_search MATCH '\"旧文 文章\"'"), 1,
            "only the other source's old article is still searchable")
        XCTAssertEqual(try count("SELECT count(*) FROM articles_search WHERE articles_search MATCH '\"没有 有日 日期\"'"), 0)
        XCTAssertEqual(
            try count("SELECT count(*) FROM articles_fts_docsize"), try count("SELECT count(*) FROM articles"),
            "the trigram index (non-CJK text since v9) lost the pruned rows too")
        XCTAssertNoThrow(
            try store.withConnection {
                try $0.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
            }, "the search index matches the articles table")
        let tombstones = try store.withConnection { db in
            try db.query("SELECT url, reason, deleted_at FROM tombstones ORDER BY url") {
                "\($0.text(0) ?? "")|\($0.text(1) ?? "")|\($0.text(2) ?? "")"
            }
        }
        XCTAssertEqual(
            tombstones,
            [
                "https://example.com/old|keepDays 30|2025-02-01T00:00:00Z",
                "https://example.com/old-alias|keepDays 30|2025-02-01T00:00:00Z",
                "https://example.com/undated|keepDays 30|2025-02-01T00:00:00Z",
            ])
    }

    func testATombstonedURLIsSeenAndCannotBeStoredAgain() throws {
        _ = try store.prune(
            source: "rfi", before: "2024-01-01T00:00:00Z", at: "2025-02-01T00:00:00Z", reason: "keepDays 30")
        for url in ["https://example.com/old", "https://example.com/old-alias"] {
            guard case let .pruned(tombstone) = try store.linkState(url: url) else {
                return XCTFail("\(url): \(try store.linkState(url: url))")
            }
            XCTAssertEqual(tombstone.source, "rfi")
            XCTAssertEqual(tombstone.contentID, "ID-old")
        }
        // A full-text feed hands the store the item again: it stays deleted.
        let again = try store.save(
            record("old", published: "2023-01-01T00:00:00Z", body: "旧文章正文内容"),
            listingTimestamp: nil, fetchedAt: "2025-02-02T00:00:00Z", aliasByCanonical: true)
        XCTAssertEqual(again, .pruned)
        XCTAssertEqual(try count("SELECT count(*) FROM articles WHERE url = 'https://example.com/old'"), 0)
        XCTAssertEqual(try store.linkState(url: "https://example.com/never-seen"), .new)
    }

    func testVacuumKeepsTheData() throws {
        _ = try store.prune(source: "rfi", before: "2024-01-01T00:00:00Z", at: "2025-02-01T00:00:00Z", reason: "test")
        try store.vacuum()
        XCTAssertEqual(try count("SELECT count(*) FROM articles"), 2)
        XCTAssertEqual(try store.withConnection { try $0.scalarText("PRAGMA integrity_check") }, "ok")
        XCTAssertGreaterThan(try store.databaseBytes, 0)
    }
}
