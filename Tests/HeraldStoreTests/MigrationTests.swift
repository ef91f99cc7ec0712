import HeraldTestSupport
import XCTest

@testable import HeraldStore

/// The schema is a public interface: an existing database moves forward without losing anything.
final class MigrationTests: XCTestCase {
    func testAVersion1DatabaseMigratesForwardWithoutLosingData() throws {
        let folder = try TemporaryDirectory("herald-migrate")
        defer { folder.remove() }
        let path = folder.path("v1.db")
        do {
            // An existing v1 database, filled as herald 0.1 did.
            let db = try SQLiteConnection(path: path)
            _ = try db.scalarText("PRAGMA journal_mode = WAL")
            try Migrations.migrate(db, upTo: 1)
            XCTAssertEqual(try db.userVersion, 1)
            try db.execute(
                """
                INSERT INTO sources (name, listing, last_success_at, consecutive_failures, next_run_at)
                    VALUES ('rfi-cn', 'https://www.rfi.fr/cn/', '2023-10-28T10:00:00Z', 2, '2023-10-28T10:15:00Z');
                INSERT INTO articles (id, source, url, canonical_url, content_id, title, authors, published_at,
                                      first_seen_at, fetched_at, lead, body_html, body_text, tags, content_hash, revision)
                    VALUES (7, 'rfi-cn', 'https://www.rfi.fr/cn/a', 'https://www.rfi.fr/cn/a', 'ID-7', '拜登敦促中国合作',
                            '["王毅"]', '2023-10-28T09:52:00Z', '2023-10-28T10:15:01Z', '2023-10-28T10:15:01Z',
                            '美国总统拜登周五与中国外交部长王毅会晤。', '<p>双方推动拜登与习近平会谈。</p>',
                            '双方推动拜登与习近平会谈。', '["中国"]', 'h2', 2);
                INSERT INTO article_revisions (article_id, revision, fetched_at, title, lead, body_html, body_text,
                                               content_hash)
                    VALUES (7, 1, '2023-10-28T10:15:01Z', '拜登敦促中国合作', NULL, '<p>old</p>', 'old', 'h1'),
                           (7, 2, '2023-10-28T12:00:00Z', '拜登敦促中国合作', NULL, '<p>双方推动拜登与习近平会谈。</p>',
                            '双方推动拜登与习近平会谈。', 'h2');
                INSERT INTO url_aliases (url, article_id, first_seen_at) VALUES ('https://www.rfi.fr/cn/a?x=1', 7, 'n');
                INSERT INTO fetch_failures (url, source, error, permanent, first_failed_at, last_failed_at)
                    VALUES ('https://www.rfi.fr/cn/b', 'rfi-cn', 'HTTP 404', 1, 't', 't');
                INSERT INTO crawl_runs (source, started_at, finished_at, outcome, new)
                    VALUES ('rfi-cn', '2023-10-28T10:15:00Z', '2023-10-28T10:15:05Z', 'ok', 1);
                """)
            // What a v1 reader selects, before and after: the same rows.
            XCTAssertEqual(try db.scalarText("SELECT title || '|' || revision FROM articles"), "拜登敦促中国合作|2")
        }
        let v1Columns = try columns(path, "articles")
        XCTAssertThrowsError(try ArchiveReader(path: path), "a read-only reader cannot migrate") { error in
            guard case ArchiveError.schemaTooOld(_, 1, _) = error else { return XCTFail("\(error)") }
        }

        let store = try ArticleStore(path: path)
        XCTAssertEqual(try store.schemaVersion, ArticleStore.supportedSchemaVersion)
        let db = try SQLiteConnection(path: path, mode: .readOnly)
        let v2Columns = try columns(path, "articles")
        XCTAssertEqual(Array(v2Columns.prefix(v1Columns.count)), v1Columns, "columns are only added, never renamed")
        XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM articles"), 1)
        XCTAssertEqual(
            try db.scalarText(
                """
                SELECT id || '|' || title || '|' || authors || '|' || lead || '|' || revision || '|' || content_hash
                FROM articles
                """), "7|拜登敦促中国合作|[\"王毅\"]|美国总统拜登周五与中国外交部长王毅会晤。|2|h2")
        XCTAssertNil(try db.scalarText("SELECT lead_verbatim FROM articles"), "unknown for rows stored before v2")
        XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM article_revisions WHERE article_id = 7"), 2)
        XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM url_aliases"), 1)
        XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM fetch_failures"), 1)
        XCTAssertEqual(
            try db.scalarInt("SELECT count(*) FROM articles_search WHERE articles_search MATCH '\"习近 近平\"'"), 1,
            "the search index covers the old rows")
        XCTAssertEqual(
            try db.scalarInt("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '习近平'"), 0,
            "since v9 the trigram index holds no Chinese text")
        XCTAssertEqual(
            try db.scalarInt("SELECT count(*) FROM articles_fts_docsize WHERE id = 7"), 1,
            "the v9 build put the old row in the trigram index")
        XCTAssertEqual(try db.scalarText("SELECT title FROM latest_articles"), "拜登敦促中国合作")
        XCTAssertEqual(
            try db.scalarText(
                """
                SELECT source || '|' || last_success_at || '|' || consecutive_failures || '|' || articles || '|'
                       || next_run_at FROM source_health
                """), "rfi-cn|2023-10-28T10:15:05Z|2|1|2023-10-28T10:15:00Z")
        XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM tombstones"), 0)
        XCTAssertEqual(
            try db.scalarText(
                """
                SELECT source || '|' || article_id || '|' || first_listed_at || '|' || last_listed_at FROM article_sources
                """), "rfi-cn|7|2023-10-28T10:15:01Z|2023-10-28T10:15:01Z",
            "v7 records the storing source as the article's first lister")

        // The read side and the seen check work on the migrated rows.
        let reader = try ArchiveReader(path: path)
        let article = try XCTUnwrap(try reader.article(matching: "ID-7"))
        XCTAssertEqual(article.authors, ["王毅"])
        XCTAssertEqual(try reader.revisions(articleID: 7).map(\.revision), [1, 2])
        guard case let .stored(stored) = try store.linkState(url: "https://www.rfi.fr/cn/a?x=1") else {
            return XCTFail("the alias is still seen")
        }
        XCTAssertEqual(stored.id, 7)
    }

    func testADatabaseFromANewerHeraldIsRefusedUntouched() throws {
        let folder = try TemporaryDirectory("herald-migrate")
        defer { folder.remove() }
        let path = folder.path("future.db")
        do {
            let db = try SQLiteConnection(path: path)
            try db.execute("PRAGMA user_version = 99")
        }
        XCTAssertThrowsError(try ArticleStore(path: path))
        XCTAssertThrowsError(try ArchiveReader(path: path)) { error in
            guard case ArchiveError.schemaTooNew = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try SQLiteConnection(path: path).userVersion, 99)
    }

    private func columns(_ path: String, _ table: String) throws -> [String] {
        try SQLiteConnection(path: path, mode: .readOnly).query("SELECT name FROM pragma_table_info('\(table)')") {
            $0.text(0) ?? ""
        }
    }
}
