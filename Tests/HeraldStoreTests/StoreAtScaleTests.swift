import HeraldArticle
import HeraldTestSupport
import XCTest

@testable import HeraldStore

/// What keeps the store fast on a big database (docs/benchmarks.md, "Scale of the store"): the article count is a
/// trigger-kept row, and the seen check is answered by a covering index without reading article rows.
final class StoreAtScaleTests: XCTestCase {
    private var folder: TemporaryDirectory!
    private var store: ArticleStore!

    override func setUpWithError() throws {
        folder = try TemporaryDirectory("herald-store-scale")
        store = try ArticleStore(path: folder.path("herald.db"))
    }

    override func tearDown() {
        store = nil
        folder.remove()
    }

    private func save(_ url: String) throws {
        let record = ArticleRecord(
            source: "test",
            article: Article(
                url: url,
                canonicalURL: url,
                title: "T \(url)",
                authors: [],
                publishedAt: "2023-10-28T09:52:00Z",
                tags: [],
                bodyHTML: "<p>\(url)</p>",
                bodyText: url),
            contentHash: "hash-\(url)")
        _ = try store.save(record, listingTimestamp: nil, fetchedAt: "2023-10-28T10:00:00Z", aliasByCanonical: true)
    }

    private func countStar() throws -> Int {
        try store.withConnection { try $0.scalarInt("SELECT count(*) FROM articles") }
    }

    func testTheArticleCountFollowsInsertsAndDeletes() throws {
        XCTAssertEqual(try store.articleCount, 0)
        for n in 1...3 { try save("https://example.com/\(n)") }
        try save("https://example.com/1")  // unchanged: no new row
        XCTAssertEqual(try store.articleCount, 3)
        try store.withConnection { try $0.run("DELETE FROM articles WHERE url = ?", [.text("https://example.com/2")]) }
        XCTAssertEqual(try store.articleCount, 2)
        XCTAssertEqual(try store.articleCount, try countStar())
    }

    func testUpgradingADatabaseWithArticlesCountsThemOnce() throws {
        for n in 1...4 { try save("https://example.com/\(n)") }
        // Take the database back to before the counter existed, as a database written by an older Herald.
        let before = try XCTUnwrap(Migrations.all.firstIndex { $0.name == "v4: article count kept by triggers" })
        try store.withConnection { db in
            try db.execute(
                """
                DROP TRIGGER article_count_insert; DROP TRIGGER article_count_delete; DROP TABLE article_count;
                DROP TRIGGER articles_search_insert; DROP TRIGGER articles_search_delete;
                DROP TRIGGER articles_search_update; DROP TABLE articles_search; DROP TABLE search_index_build;
                DROP TRIGGER articles_chars_insert; DROP TRIGGER articles_chars_delete;
                DROP TRIGGER articles_chars_update; DROP TABLE articles_chars;
                DROP TRIGGER source_article_counts_insert; DROP TRIGGER source_article_counts_delete;
                DROP TABLE source_article_counts; DROP TABLE article_sources; DROP TABLE search_index_deferral;
                PRAGMA user_version = \(before);
                """)
        }
        store = nil
        store = try ArticleStore(path: folder.path("herald.db"))
        XCTAssertEqual(try store.schemaVersion, ArticleStore.supportedSchemaVersion)
        XCTAssertEqual(try store.articleCount, 4)
        try save("https://example.com/5")
        XCTAssertEqual(try store.articleCount, 5)
        XCTAssertEqual(
            try store.withConnection { try $0.scalarInt("SELECT count(*) FROM articles_search_docsize") }, 5,
            "the v5 word index built for the four, then the fifth by trigger")
        XCTAssertEqual(try store.withConnection { try $0.scalarInt("SELECT count(*) FROM articles_chars_docsize") }, 5)
        XCTAssertEqual(try store.articleCountsBySource, ["test": 5], "v7 filled article_sources, the fifth by its save")
    }

    func testTheSeenCheckIsAnsweredFromTheCoveringIndex() throws {
        try save("https://example.com/1")
        let plan = try store.withConnection { db in
            try db.query(
                """
                EXPLAIN QUERY PLAN SELECT id, url, published_at, modified_at, listing_timestamp, content_hash, revision
                FROM articles INDEXED BY articles_seen WHERE url = ?
                """, [.text("https://example.com/1")]
            ) { $0.text(3) ?? "" }
        }
        XCTAssertEqual(plan.count, 1)
        XCTAssertTrue(plan[0].contains("COVERING INDEX articles_seen"), plan[0])
        guard case let .stored(stored) = try store.linkState(url: "https://example.com/1") else { return XCTFail() }
        XCTAssertEqual(stored.contentHash, "hash-https://example.com/1")
        XCTAssertEqual(stored.revision, 1)
    }
}
