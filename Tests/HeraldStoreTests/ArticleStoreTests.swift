import HeraldArticle
import HeraldStore
import HeraldTestSupport
import HeraldTime
import XCTest

final class ArticleStoreTests: XCTestCase {
    private var folder: TemporaryDirectory!
    private var store: ArticleStore!

    override func setUpWithError() throws {
        folder = try TemporaryDirectory("herald-store")
        store = try ArticleStore(path: folder.path("herald.db"))
    }

    override func tearDown() {
        store = nil
        folder.remove()
    }

    private func record(
        url: String = "https://example.com/a", title: String = "Title", body: String = "<p>Body</p>",
        canonical: String? = nil, modified: Instant? = nil
    ) -> ArticleRecord {
        ArticleRecord(
            source: "test",
            article: Article(
                url: url,
                canonicalURL: canonical ?? url,
                contentID: "ID-1",
                title: title,
                section: "中国",
                authors: ["王 \"小\" 明"],
                publishedAt: "2023-10-28T09:52:00Z",
                modifiedAt: modified,
                lead: "Lead",
                tags: ["中国", "美国"],
                bodyHTML: body,
                bodyText: body.replacingOccurrences(of: "<p>", with: "").replacingOccurrences(of: "</p>", with: "")),
            contentHash: "hash-\(title)-\(body)")
    }

    func testOpeningCreatesTheSchemaInWALModeAtTheLatestVersion() throws {
        XCTAssertEqual(try store.schemaVersion, ArticleStore.supportedSchemaVersion)
        let mode = try store.withConnection { try $0.scalarText("PRAGMA journal_mode") }
        XCTAssertEqual(mode, "wal")
        // Opening again runs no migration twice.
        store = try ArticleStore(path: folder.path("herald.db"))
        XCTAssertEqual(try store.schemaVersion, ArticleStore.supportedSchemaVersion)
    }

    func testANewArticleIsInsertedWithItsFirstRevision() throws {
        XCTAssertEqual(try store.linkState(url: "https://example.com/a"), .new)
        let outcome = try store.save(
            record(), listingTimestamp: nil, fetchedAt: "2023-10-28T10:00:00Z",
            aliasByCanonical: true)
        guard case let .inserted(id) = outcome else { return XCTFail("\(outcome)") }
        guard case let .stored(stored) = try store.linkState(url: "https://example.com/a") else { return XCTFail() }
        XCTAssertEqual(stored.id, id)
        XCTAssertEqual(stored.revision, 1)
        XCTAssertEqual(try store.withConnection { try $0.scalarInt("SELECT count(*) FROM article_revisions") }, 1)
        let authors = try store.withConnection { try $0.scalarText("SELECT authors FROM articles") }
        XCTAssertEqual(authors, #"["王 \"小\" 明"]"#)
    }

    func testAListingsLinksAreCheckedInOneCallInTheirOrderAcrossChunks() throws {
        // Stored, failed and new URLs interleaved, over more than one chunk of the batch.
        let count = ArticleStore.linkStateChunk * 2 + 7
        let urls = (0..<count).map { "https://example.com/\($0)" }
        for (index, url) in urls.enumerated() where index % 3 == 0 {
            _ = try store.save(
                record(url: url, title: "T\(index)"), listingTimestamp: nil,
                fetchedAt: "2023-10-28T10:00:00Z", aliasByCanonical: false)
        }
        for (index, url) in urls.enumerated() where index % 3 == 1 {
            try store.recordFailure(
                url: url, source: "test", error: "HTTP 503", permanent: false,
                listingTimestamp: nil, at: "2023-10-28T10:00:00Z", retryAfter: nil)
        }
        let states = try store.linkStates(urls: urls)
        XCTAssertEqual(states.count, count)
        for (index, url) in urls.enumerated() {
            XCTAssertEqual(states[index], try store.linkState(url: url), url)
            switch (index % 3, states[index]) {
            case (0, .stored), (1, .failed), (2, .new): continue
            default: XCTFail("\(url): \(states[index])")
            }
        }
        XCTAssertEqual(try store.linkStates(urls: []), [])
    }

    func testSavingTheSameContentAgainStoresNothingNew() throws {
        _ = try store.save(record(), listingTimestamp: nil, fetchedAt: "2023-10-28T10:00:00Z", aliasByCanonical: true)
        let again = try store.save(
            record(), listingTimestamp: "2023-10-29T00:00:00Z", fetchedAt: "2023-10-29T10:00:00Z",
            aliasByCanonical: true)
        guard case .unchanged = again else { return XCTFail("\(again)") }
        XCTAssertEqual(try store.articleCount, 1)
        XCTAssertEqual(try store.withConnection { try $0.scalarInt("SELECT count(*) FROM article_revisions") }, 1)
        guard case let .stored(stored) = try store.linkState(url: "https://example.com/a") else { return XCTFail() }
        XCTAssertEqual(stored.listingTimestamp, "2023-10-29T00:00:00Z")
    }

    func testChangedContentBecomesANewRevisionAndTheLatestIsSearchable() throws {
        _ = try store.save(
            record(body: "<p>first version</p>"), listingTimestamp: nil,
            fetchedAt: "2023-10-28T10:00:00Z", aliasByCanonical: true)
        let outcome = try store.save(
            record(body: "<p>second version</p>", modified: "2023-10-29T08:00:00Z"),
            listingTimestamp: nil, fetchedAt: "2023-10-29T10:00:00Z", aliasByCanonical: true)
        guard case let .revised(_, revision) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(revision, 2)
        XCTAssertEqual(try store.articleCount, 1)
        let revisions = try store.withConnection {
            try $0.query("SELECT revision, body_text FROM article_revisions ORDER BY revision") {
                "\($0.int(0)):\($0.text(1)!)"
            }
        }
        XCTAssertEqual(revisions, ["1:first version", "2:second version"])
        let hits = try store.withConnection {
            try $0.scalarInt("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'second'")
        }
        XCTAssertEqual(hits, 1)
        let stale = try store.withConnection {
            try $0.scalarInt("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'first'")
        }
        XCTAssertEqual(stale, 0)
    }

    func testAnotherSpellingDeclaringAStoredCanonicalURLBecomesAnAlias() throws {
        _ = try store.save(
            record(url: "https://example.com/a", canonical: "https://example.com/a"),
            listingTimestamp: nil, fetchedAt: "2023-10-28T10:00:00Z", aliasByCanonical: true)
        let outcome = try store.save(
            record(url: "https://example.com/a?page=1", canonical: "https://example.com/a"),
            listingTimestamp: nil, fetchedAt: "2023-10-28T11:00:00Z", aliasByCanonical: true)
        guard case .aliased = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(try store.articleCount, 1)
        guard case .stored = try store.linkState(url: "https://example.com/a?page=1") else { return XCTFail() }
    }

    func testTheUniqueConstraintRejectsASecondRowForOneURL() throws {
        _ = try store.save(record(), listingTimestamp: nil, fetchedAt: "2023-10-28T10:00:00Z", aliasByCanonical: true)
        XCTAssertThrowsError(
            try store.withConnection { db in
                try db.run(
                    "INSERT INTO articles (source, url, title, first_seen_at, fetched_at, body_html, body_text, content_hash) VALUES ('x', 'https://example.com/a', 't', 'n', 'n', '', '', 'h')"
                )
            }
        ) { error in
            XCTAssertTrue((error as? SQLiteError)?.isConstraintViolation ?? false, "\(error)")
        }
    }

    func testFailuresCountAttemptsAndAreClearedBySuccess() throws {
        for _ in 0..<2 {
            try store.recordFailure(
                url: "https://example.com/a", source: "test", error: "HTTP 503", permanent: false,
                listingTimestamp: nil, at: "2023-10-28T10:00:00Z", retryAfter: "2023-10-28T10:05:00Z")
        }
        guard case let .failed(failure) = try store.linkState(url: "https://example.com/a") else { return XCTFail() }
        XCTAssertEqual(failure.attempts, 2)
        XCTAssertFalse(failure.permanent)
        _ = try store.save(record(), listingTimestamp: nil, fetchedAt: "2023-10-28T11:00:00Z", aliasByCanonical: true)
        guard case .stored = try store.linkState(url: "https://example.com/a") else { return XCTFail() }
        XCTAssertEqual(try store.withConnection { try $0.scalarInt("SELECT count(*) FROM fetch_failures") }, 0)
    }

    func testSourceStateKeepsTheFailureStreakUnlessTheNetworkWasDown() throws {
        try store.registerSource(name: "s", listing: "https://example.com/")
        try store.recordSourceOutcome(
            source: "s", succeeded: false, error: "HTTP 503", countFailure: true,
            runAt: "2023-10-28T10:00:00Z", nextRunAt: "2023-10-28T10:30:00Z")
        try store.recordSourceOutcome(
            source: "s", succeeded: false, error: "network down", countFailure: false,
            runAt: "2023-10-28T10:30:00Z", nextRunAt: "2023-10-28T11:00:00Z")
        var state = try XCTUnwrap(store.sourceState(name: "s"))
        XCTAssertEqual(state.consecutiveFailures, 1)
        XCTAssertEqual(state.lastError, "network down")
        XCTAssertEqual(state.nextRunAt, "2023-10-28T11:00:00Z")
        try store.recordSourceOutcome(
            source: "s", succeeded: true, error: nil, countFailure: true,
            runAt: "2023-10-28T11:00:00Z", nextRunAt: "2023-10-28T11:15:00Z")
        state = try XCTUnwrap(store.sourceState(name: "s"))
        XCTAssertEqual(state.consecutiveFailures, 0)
        XCTAssertNil(state.lastError)
        XCTAssertEqual(state.lastSuccessAt, "2023-10-28T11:00:00Z")
    }

    func testAReaderHoldingASnapshotDoesNotBlockTheWriter() throws {
        _ = try store.save(record(), listingTimestamp: nil, fetchedAt: "2023-10-28T10:00:00Z", aliasByCanonical: true)
        let reader = try SQLiteConnection(path: folder.path("herald.db"), mode: .readOnly)
        try reader.execute("BEGIN")
        XCTAssertEqual(try reader.scalarInt("SELECT count(*) FROM articles"), 1)
        _ = try store.save(
            record(url: "https://example.com/b"), listingTimestamp: nil,
            fetchedAt: "2023-10-28T10:00:00Z", aliasByCanonical: true)
        XCTAssertEqual(try reader.scalarInt("SELECT count(*) FROM articles"), 1, "the reader keeps its snapshot")
        try reader.execute("COMMIT")
        XCTAssertEqual(try reader.scalarInt("SELECT count(*) FROM articles"), 2)
    }
}
