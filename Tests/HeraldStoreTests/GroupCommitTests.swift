import HeraldArticle
import HeraldTestSupport
import XCTest

@testable import HeraldStore

/// Group commit (`ArticleStore.saveCoalescing`, schema v8): saves that arrive together share a transaction and the
/// search indexes are written once per batch, with the same results as one save per transaction: every article in
/// every index, each caller its own outcome, a failing save alone undone, a revision inside a batch leaving only the
/// new text indexed, and nothing of the deferral visible to other connections.
final class GroupCommitTests: XCTestCase {
    private var folder: TemporaryDirectory!
    private var store: ArticleStore!

    override func setUpWithError() throws {
        folder = try TemporaryDirectory("herald-group-commit")
        store = try ArticleStore(path: folder.path("herald.db"))
    }

    override func tearDown() {
        store = nil
        folder.remove()
    }

    private func record(_ n: Int, title: String? = nil, body: String? = nil) -> ArticleRecord {
        let text = body ?? "第\(n)篇 台北降息 T-Dome \(n)号"
        return ArticleRecord(
            source: "test",
            article: Article(
                url: "https://example.com/\(n)",
                contentID: "ID-\(n)",
                title: title ?? "标题\(n) 王毅",
                authors: ["李明"],
                publishedAt: "2023-10-28T09:52:00Z",
                lead: "导语",
                tags: [],
                bodyHTML: "<p>\(text)</p>",
                bodyText: text),
            contentHash: "hash-\(n)-\(title ?? "")-\(text)")
    }

    private func request(_ record: ArticleRecord) -> SaveQueue.Request {
        SaveQueue.Request(
            record: record, listingTimestamp: nil, fetchedAt: "2023-10-28T10:00:00Z",
            aliasByCanonical: false)
    }

    private func count(_ table: String, _ match: String) throws -> Int {
        try store.withConnection {
            try $0.scalarInt("SELECT count(*) FROM \(table) WHERE \(table) MATCH ?", [.text(match)])
        }
    }

    func testConcurrentSavesShareTransactionsAndEveryArticleIsInEveryIndex() async throws {
        let n = 60
        let store: ArticleStore = store
        let records = (1...n).map { record($0) }
        let outcomes = try await withThrowingTaskGroup(of: SaveOutcome.self) { group in
            for record in records {
                group.addTask {
                    try await store.saveCoalescing(
                        record, listingTimestamp: nil, fetchedAt: "2023-10-28T10:00:00Z",
                        aliasByCanonical: false)
                }
            }
            var all: [SaveOutcome] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        XCTAssertEqual(outcomes.count, n)
        XCTAssertEqual(Set(outcomes.compactMap(\.articleID)).count, n, "each save its own inserted article")
        XCTAssertTrue(outcomes.allSatisfy { if case .inserted = $0 { true } else { false } })
        let (transactions, saves) = store.coalescedSaveCounts
        XCTAssertEqual(saves, n)
        XCTAssertLessThanOrEqual(transactions, n)
        XCTAssertEqual(try count("articles_fts", "\"T-Dome\""), n)
        XCTAssertEqual(try count("articles_search", "\"降息\""), n)
        XCTAssertEqual(try count("articles_search", "\"王毅\""), n)
        XCTAssertEqual(try count("articles_chars", "\"篇\""), n)
        XCTAssertEqual(try count("articles_search", "\"第7 7篇\""), 0, "a digit is not CJK: 第 and 7 are separate")
        XCTAssertEqual(try count("articles_fts", "\"第7篇\""), 0, "since v9 the trigram index holds no Chinese")
        XCTAssertEqual(try count("articles_fts", "\"\u{1}7\u{1}\""), 1, "7 between two CJK runs, in its Latin form")
        try store.withConnection { db in
            try db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM search_index_deferral"), 0)
        }
    }

    func testARevisionInTheSameBatchLeavesOnlyTheNewTextIndexed() throws {
        let first = record(1, body: "旧文本 oldword")
        let revised = record(1, body: "新文本 newword")
        let results = store.saveBatch([request(first), request(record(2)), request(revised), request(first)])
        let outcomes = try results.map { try $0.get() }
        guard case let .inserted(id) = outcomes[0] else { return XCTFail("\(outcomes)") }
        XCTAssertEqual(outcomes[2], .revised(id: id, revision: 2))
        XCTAssertEqual(outcomes[3], .revised(id: id, revision: 1), "back to the first text: its revision again")
        XCTAssertEqual(try count("articles_fts", "\"oldword\""), 1)
        XCTAssertEqual(try count("articles_search", "\"旧文\""), 1)
        XCTAssertEqual(try count("articles_search", "\"新文\""), 0)
        XCTAssertEqual(try count("articles_fts", "\"newword\""), 0)
        XCTAssertEqual(try count("articles_chars", "\"旧\""), 1)
        XCTAssertEqual(try count("articles_chars", "\"新\""), 0)
        XCTAssertEqual(try count("articles_search", "\"降息\""), 1, "the other article of the batch")
        try store.withConnection { try $0.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')") }
    }

    func testAFailingSaveIsUndoneAloneAndTheOthersAreStoredAndIndexed() throws {
        try store.withConnection {
            try $0.execute(
                """
                CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN new.url LIKE '%/2' BEGIN SELECT RAISE(ABORT, 'refused'); END;
                """)
        }
        let results = store.saveBatch([request(record(1)), request(record(2)), request(record(3))])
        XCTAssertEqual(results.count, 3)
        XCTAssertNoThrow(try results[0].get())
        XCTAssertThrowsError(try results[1].get()) { XCTAssertTrue("\($0)".contains("refused"), "\($0)") }
        XCTAssertNoThrow(try results[2].get())
        XCTAssertEqual(try store.articleCount, 2)
        XCTAssertEqual(try store.withConnection { try $0.scalarInt("SELECT count(*) FROM article_revisions") }, 2)
        XCTAssertEqual(try count("articles_search", "\"降息\""), 2)
        XCTAssertEqual(try count("articles_chars", "\"篇\""), 2)
        XCTAssertEqual(try count("articles_fts", "\"T-Dome\""), 2)
    }

    func testAnotherWriterOutsideTheStoreIsStillIndexedByTheTriggers() async throws {
        _ = try await store.saveCoalescing(
            record(1), listingTimestamp: nil, fetchedAt: "2023-10-28T10:00:00Z",
            aliasByCanonical: false)
        // A plain SQL writer (as sqlite3 or make-archive.py), on its own connection.
        let other = try SQLiteConnection(path: folder.path("herald.db"))
        XCTAssertEqual(try other.scalarInt("SELECT count(*) FROM search_index_deferral"), 0)
        try other.execute(
            """
            INSERT INTO articles (source, url, title, authors, first_seen_at, fetched_at, lead, body_html, body_text,
                                  content_hash)
            VALUES ('sql', 'https://example.com/sql', '外部', '[]', '2023-10-28T10:00:00Z', '2023-10-28T10:00:00Z',
                    NULL, '<p>鳄鱼降息</p>', '鳄鱼降息', 'h')
            """)
        XCTAssertEqual(try count("articles_search", "\"降息\""), 2)
        XCTAssertEqual(try count("articles_chars", "\"鳄\""), 1)
        XCTAssertEqual(try count("articles_search", "\"鳄鱼 鱼降\""), 1)
        XCTAssertEqual(
            try store.withConnection { try $0.scalarInt("SELECT count(*) FROM articles_fts_docsize") }, 2,
            "the trigram index (non-CJK text) holds both articles")
    }
}
