import HeraldArticle
import HeraldStore
import HeraldTestSupport
import HeraldTime
import XCTest

/// An article belongs to every source whose listing shows it (`article_sources`), not only to the one whose pass
/// stored it first: a site's section page and its feed list the same articles.
final class ArticleSourcesTests: XCTestCase {
    private var folder: TemporaryDirectory!
    private var store: ArticleStore!

    override func setUpWithError() throws {
        folder = try TemporaryDirectory("herald-article-sources")
        store = try ArticleStore(path: folder.path("herald.db"))
        for name in ["site-cn", "feed-cn"] {
            try store.registerSource(name: name, listing: "https://example.com/\(name)")
        }
    }

    override func tearDown() {
        store = nil
        folder.remove()
    }

    private func record(_ name: String, source: String, published: Instant) -> ArticleRecord {
        ArticleRecord(
            source: source,
            article: Article(
                url: "https://example.com/\(name)",
                title: "标题 \(name)",
                authors: [],
                publishedAt: published,
                tags: [],
                bodyHTML: "<p>正文 \(name)</p>",
                bodyText: "台北正文 \(name)"),
            contentHash: "hash-\(name)")
    }

    @discardableResult
    private func save(_ name: String, source: String, published: Instant = "2025-01-01T00:00:00Z") throws -> Int64 {
        let outcome = try store.save(
            record(name, source: source, published: published), listingTimestamp: nil,
            fetchedAt: "2025-01-02T00:00:00Z", aliasByCanonical: false)
        return try XCTUnwrap(outcome.articleID, "\(name) was stored")
    }

    private func listed(by source: String) throws -> [String] {
        try store.withConnection { db in
            try db.query(
                """
                SELECT a.url FROM article_sources s JOIN articles a ON a.id = s.article_id
                WHERE s.source = ? ORDER BY a.url
                """, [.text(source)]
            ) { $0.text(0) ?? "" }
        }
    }

    func testAnArticleTheFeedStoredFirstIsTheSitesTooOnceItsListingShowsIt() throws {
        let shared = try save("shared", source: "feed-cn")
        try save("feed-only", source: "feed-cn")
        try store.noteListed(articleIDs: [shared], source: "site-cn", at: "2025-01-03T00:00:00Z")
        try store.noteListed(articleIDs: [shared], source: "site-cn", at: "2025-01-03T00:30:00Z")  // within the hour
        func lastListed() throws -> String? {
            try store.withConnection {
                try $0.scalarText("SELECT last_listed_at FROM article_sources WHERE source = 'site-cn'")
            }
        }
        XCTAssertEqual(try lastListed(), "2025-01-03T00:00:00Z", "not rewritten by every pass")
        try store.noteListed(articleIDs: [shared], source: "site-cn", at: "2025-01-04T00:00:00Z")  // no second row
        XCTAssertEqual(try lastListed(), "2025-01-04T00:00:00Z")

        XCTAssertEqual(try listed(by: "site-cn"), ["https://example.com/shared"])
        XCTAssertEqual(try listed(by: "feed-cn"), ["https://example.com/feed-only", "https://example.com/shared"])
        XCTAssertEqual(try store.articleCountsBySource, ["site-cn": 1, "feed-cn": 2])

        let reader = try ArchiveReader(path: store.path)
        XCTAssertEqual(try reader.sources(), ["feed-cn", "site-cn"])
        XCTAssertEqual(try reader.articles(source: "site-cn").map(\.url), ["https://example.com/shared"])
        XCTAssertEqual(try reader.index(source: "site-cn").map(\.url), ["https://example.com/shared"])
        var exported: [String] = []
        try reader.forEachArticle(source: "site-cn") { exported.append($0.url) }
        XCTAssertEqual(exported, ["https://example.com/shared"])
        let hits = try reader.search(try SearchQuery("台北"), filter: SearchFilter(source: "site-cn"))
        XCTAssertEqual(hits.map(\.article.url), ["https://example.com/shared"])
        XCTAssertEqual(
            try reader.article(matching: "https://example.com/shared")?.source, "feed-cn",
            "articles.source still names the source that stored it first")

        let health = try store.withConnection { db in
            try db.query("SELECT source, articles, last_new_article_at FROM source_health ORDER BY source") {
                "\($0.text(0) ?? "")|\($0.int(1))|\($0.text(2) ?? "")"
            }
        }
        XCTAssertEqual(health, ["feed-cn|2|2025-01-02T00:00:00Z", "site-cn|1|2025-01-03T00:00:00Z"])
    }

    func testSavingAnArticleAnotherSourceStoredRecordsTheSaver() throws {
        try save("shared", source: "feed-cn")
        // The site's pass fetches the same URL (a listing newer than what is stored): same content, unchanged.
        let again = try store.save(
            record("shared", source: "site-cn", published: "2025-01-01T00:00:00Z"),
            listingTimestamp: nil, fetchedAt: "2025-01-05T00:00:00Z", aliasByCanonical: false)
        guard case .unchanged = again else { return XCTFail("\(again)") }
        XCTAssertEqual(try listed(by: "site-cn"), ["https://example.com/shared"])
    }

    func testRetentionKeepsAnArticleAsLongAsAnySourceThatListsItKeepsIt() throws {
        let shared = try save("shared-old", source: "feed-cn", published: "2023-01-01T00:00:00Z")
        try save("feed-old", source: "feed-cn", published: "2023-01-01T00:00:00Z")
        try store.noteListed(articleIDs: [shared], source: "site-cn", at: "2023-01-03T00:00:00Z")

        // The feed keeps 30 days, the site longer: the feed's own old article goes, the shared one is released.
        let dry = try store.prune(
            source: "feed-cn", before: "2024-01-01T00:00:00Z", at: "2025-02-01T00:00:00Z",
            reason: "keepDays 30", dryRun: true)
        XCTAssertEqual(dry.articles, 1)
        XCTAssertEqual(dry.released, 1)
        let reader = try ArchiveReader(path: store.path)
        XCTAssertEqual(try reader.prunableCount(source: "feed-cn", before: "2024-01-01T00:00:00Z"), 1)

        let result = try store.prune(
            source: "feed-cn", before: "2024-01-01T00:00:00Z", at: "2025-02-01T00:00:00Z",
            reason: "keepDays 30", batchSize: 1)
        XCTAssertEqual(result, dry, "the dry run counted what the real run did")
        XCTAssertEqual(try listed(by: "feed-cn"), [])
        XCTAssertEqual(try listed(by: "site-cn"), ["https://example.com/shared-old"], "the site still keeps it")
        XCTAssertEqual(try store.linkState(url: "https://example.com/feed-old").isPruned, true)

        // When the site lets it go too, it is deleted and tombstoned.
        let last = try store.prune(
            source: "site-cn", before: "2024-01-01T00:00:00Z", at: "2025-02-01T00:00:00Z",
            reason: "keepDays 30")
        XCTAssertEqual(last.articles, 1)
        XCTAssertEqual(last.released, 0)
        XCTAssertEqual(try store.linkState(url: "https://example.com/shared-old").isPruned, true)
        XCTAssertEqual(try store.articleCountsBySource, ["site-cn": 0, "feed-cn": 0])
    }
}

private extension LinkState {
    var isPruned: Bool { if case .pruned = self { true } else { false } }
}
