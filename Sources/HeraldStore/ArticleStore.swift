import Foundation
import HeraldTime
import Synchronization

/// Herald's database: the one writer connection, behind a mutex.
///
/// Opening sets WAL mode (readers such as sqlite3 and Datasette never block the daemon, and it never blocks them),
/// `synchronous=NORMAL` (a commit survives a crash of the process; WAL keeps the file consistent after power loss),
/// `foreign_keys=ON` and a busy timeout, then runs the forward migrations. Every write is one short
/// `BEGIN IMMEDIATE` transaction, so a SIGKILL leaves either the whole article (and its revision row) or nothing.
package final class ArticleStore: Sendable {
    package let path: String
    let connection: Mutex<SQLiteConnection>
    let saveQueue = SaveQueue()

    package init(path: String) throws {
        let db = try SQLiteConnection(path: path)
        // journal_mode answers with a row, so it goes through a query rather than execute.
        let mode = try db.scalarText("PRAGMA journal_mode = WAL")
        if mode?.lowercased() != "wal" {
            throw SQLiteError(code: 1, message: "cannot switch \(path) to WAL mode (got \(mode ?? "nothing"))")
        }
        try db.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        db.persistWriteAheadLog()
        try Migrations.migrate(db)
        self.path = path
        connection = Mutex(db)
    }

    /// Runs `body` with exclusive use of the connection.
    package func withConnection<T: Sendable>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try connection.withLock { db throws -> T in try body(db) }
    }

    package var schemaVersion: Int {
        get throws { try withConnection { try $0.userVersion } }
    }

    package static var supportedSchemaVersion: Int { Migrations.latestVersion }
}

// MARK: - The seen check and saving articles

extension ArticleStore {
    /// What is known of `url`, by the canonical link URL (or an alias of it). One indexed lookup, no fetch.
    package func linkState(url: String) throws -> LinkState {
        try withConnection { db in
            // One read transaction for the (up to) three lookups: each autocommit statement would take and release
            // the WAL read lock and re-check the file on its own.
            try db.readTransaction { () throws(SQLiteError) -> LinkState in try Self.linkState(db, url: url) }
        }
    }

    /// The seen check for a whole listing: one read transaction per chunk of URLs rather than one per URL, so
    /// taking and releasing the WAL read lock (two `fcntl` calls and an `fstat`) is paid once per chunk. Chunks stay
    /// small so another pass waiting to save an article never waits on a 5,000-link listing.
    /// The answers are in the order of `urls`.
    package func linkStates(urls: [String]) throws -> [LinkState] {
        var states: [LinkState] = []
        states.reserveCapacity(urls.count)
        for chunk in stride(from: 0, to: urls.count, by: Self.linkStateChunk) {
            let slice = urls[chunk..<min(chunk + Self.linkStateChunk, urls.count)]
            states += try withConnection { db in
                try db.readTransaction { () throws(SQLiteError) -> [LinkState] in
                    var answers: [LinkState] = []
                    for url in slice { answers.append(try Self.linkState(db, url: url)) }
                    return answers
                }
            }
        }
        return states
    }

    /// 256 lookups hold the connection for one to two milliseconds (2.6-8.5 µs each on a million articles).
    package static let linkStateChunk = 256

    private static func linkState(_ db: SQLiteConnection, url: String) throws(SQLiteError) -> LinkState {
        if let stored = try storedArticle(db, url: url) {
            return .stored(stored)
        }
        if let stored = try storedArticle(db, alias: url) {
            return .stored(stored)
        }
        if let tombstone = try Self.tombstone(db, url: url) {
            return .pruned(tombstone)
        }
        if let failure = try db.first(
            """
            SELECT url, error, permanent, attempts, listing_timestamp, retry_after
            FROM fetch_failures WHERE url = ?
            """, [.text(url)],
            row: { row in
                FetchFailure(
                    url: row.text(0) ?? url, error: row.text(1) ?? "", permanent: row.int(2) != 0,
                    attempts: row.int(3), listingTimestamp: row.instant(4), retryAfter: row.instant(5))
            })
        {
            return .failed(failure)
        }
        return .new
    }

    /// Stores a fetched article in one transaction:
    /// - a new URL whose page declares a canonical URL already stored (same host) becomes an alias (`aliasByCanonical`);
    /// - a new URL is inserted with revision 1;
    /// - a known URL with the same content hash only gets its timestamps refreshed;
    /// - a known URL with a new hash becomes a new revision (the article row holds the latest).
    /// The UNIQUE constraints on `articles.url` and `(article_id, content_hash)` are the last guard against duplicates
    /// from overlapping passes or a restart mid-pass.
    package func save(
        _ record: ArticleRecord, listingTimestamp: Instant?, fetchedAt: Instant,
        aliasByCanonical: Bool
    ) throws -> SaveOutcome {
        try withConnection { db in
            try db.writeTransaction {
                try Self.saveWithinTransaction(
                    db,
                    SaveQueue.Request(
                        record: record, listingTimestamp: listingTimestamp,
                        fetchedAt: fetchedAt,
                        aliasByCanonical: aliasByCanonical))
            }
        }
    }

    /// `save`, with group commit: saves that arrive while the writer is busy are stored together in one transaction
    /// (at most `SaveQueue.maxBatch`), each article inside its own savepoint. The guarantees stay `save`'s: each
    /// caller gets its own outcome or error (a failing save rolls back to its savepoint and leaves the others in),
    /// the outcome is returned only once the transaction holding it has committed, and a crash leaves every article
    /// whole or absent (a batch is one transaction). Within a batch the saves run one after another on the one
    /// connection, so each sees the ones before it: the seen check, aliases and the UNIQUE constraints work as
    /// between separate transactions. A waiting caller is suspended, not blocking a thread.
    package func saveCoalescing(
        _ record: ArticleRecord, listingTimestamp: Instant?, fetchedAt: Instant,
        aliasByCanonical: Bool
    ) async throws -> SaveOutcome {
        let request = SaveQueue.Request(
            record: record, listingTimestamp: listingTimestamp, fetchedAt: fetchedAt,
            aliasByCanonical: aliasByCanonical)
        return try await withCheckedThrowingContinuation { continuation in
            if saveQueue.enqueue(SaveQueue.Waiting(request: request, continuation: continuation)) {
                drainSaves()
            }
        }
    }

    /// Transactions committed by `saveCoalescing` and the saves they held, since the store opened.
    package var coalescedSaveCounts: (transactions: Int, saves: Int) {
        let counts = saveQueue.counts
        return (counts.batches, counts.saves)
    }

    /// Runs the queued saves, a batch per transaction, until none is left (see `SaveQueue`).
    private func drainSaves() {
        while let batch = saveQueue.nextBatch() {
            let results = saveBatch(batch.map(\.request))
            for (waiting, result) in zip(batch, results) { waiting.continuation.resume(with: result) }
        }
    }

    /// One transaction for `requests`, each in its own savepoint, with the search indexes written once at the end
    /// (schema v8, `search_index_deferral`: FTS5 would otherwise write a segment per article even inside one
    /// transaction).
    func saveBatch(_ requests: [SaveQueue.Request]) -> [Result<SaveOutcome, any Error>] {
        do {
            // The lock directly rather than `withConnection`: the results hold errors, which need not be Sendable.
            return try connection.withLock { db in
                try db.writeTransaction {
                    try db.run("INSERT INTO search_index_deferral (id) VALUES (1)")
                    var deferred: [Int64] = []
                    var results: [Result<SaveOutcome, any Error>] = []
                    for request in requests {
                        // A new revision's update triggers delete the article's old terms from the indexes, so an
                        // article this batch inserted must be in them before it is revised.
                        if !deferred.isEmpty, let id = try Self.storedID(db, url: request.record.url),
                            deferred.contains(id)
                        {
                            try Self.indexDeferred(db, ids: deferred)
                            deferred.removeAll()
                        }
                        try db.execute("SAVEPOINT article")
                        let outcome: SaveOutcome
                        do {
                            outcome = try Self.saveWithinTransaction(db, request)
                        } catch {
                            // Only this article is undone. If SQLite already rolled the whole transaction back (a
                            // full disk, an I/O error), there is no savepoint left: the batch fails as a whole.
                            try db.execute("ROLLBACK TO article")
                            try db.execute("RELEASE article")
                            results.append(.failure(error))
                            continue
                        }
                        try db.execute("RELEASE article")
                        if case let .inserted(id) = outcome { deferred.append(id) }
                        results.append(.success(outcome))
                    }
                    try Self.indexDeferred(db, ids: deferred)
                    try db.run("DELETE FROM search_index_deferral")
                    return results
                }
            }
        } catch {
            // BEGIN or COMMIT failed, or a rollback did, or the indexing: nothing of the batch is stored.
            return requests.map { _ in .failure(error) }
        }
    }

    /// Writes the search index entries of the articles `ids`, which their insert triggers skipped.
    private static func indexDeferred(_ db: SQLiteConnection, ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
        for sql in Migrations.indexDeferredArticles { try db.run(sql, [.text(list)]) }
    }

    /// The id of the article stored under `url` or an alias of it.
    private static func storedID(_ db: SQLiteConnection, url: String) throws -> Int64? {
        if let stored = try storedArticle(db, url: url) { return stored.id }
        return try storedArticle(db, alias: url)?.id
    }

    /// One save's writes, inside a transaction the caller opened.
    private static func saveWithinTransaction(
        _ db: SQLiteConnection, _ request: SaveQueue.Request
    ) throws -> SaveOutcome {
        let record = request.record
        let outcome = try save(
            db, record, listingTimestamp: request.listingTimestamp, fetchedAt: request.fetchedAt,
            aliasByCanonical: request.aliasByCanonical)
        if let id = outcome.articleID {
            try link(db, articleID: id, source: record.source, at: request.fetchedAt)
        }
        try db.run("DELETE FROM fetch_failures WHERE url = ?", [.text(record.url)])
        return outcome
    }

    /// A listing of `source` showed these stored articles: each is recorded as listed by it (`article_sources`), so
    /// an article another source stored first is `source`'s too. One write transaction for the whole listing; a link
    /// already recorded within the hour costs an index lookup and writes nothing.
    package func noteListed(articleIDs: [Int64], source: String, at time: Instant) throws {
        guard !articleIDs.isEmpty else { return }
        try withConnection { db in
            try db.writeTransaction {
                for id in articleIDs { try Self.link(db, articleID: id, source: source, at: time) }
            }
        }
    }

    /// Records that `source` lists the article at `time`: a new row, or `last_listed_at` moved on when it is more
    /// than an hour old (so a listing seen every few minutes does not rewrite its rows on every pass).
    private static func link(_ db: SQLiteConnection, articleID: Int64, source: String, at time: Instant) throws {
        try db.run(
            """
            INSERT INTO article_sources (source, article_id, first_listed_at, last_listed_at) VALUES (?1, ?2, ?3, ?3)
            ON CONFLICT (source, article_id) DO UPDATE SET last_listed_at = excluded.last_listed_at
            WHERE last_listed_at < strftime('%Y-%m-%dT%H:%M:%SZ', excluded.last_listed_at, '-1 hour')
            """, [.text(source), .int(articleID), .instant(time)])
    }

    /// A listing showed `url` again with `timestamp`: remember the newest, so the next pass compares against it.
    package func noteListingTimestamp(url: String, timestamp: Instant) throws {
        try withConnection { db in
            try db.run(
                """
                UPDATE articles SET listing_timestamp = ?1
                WHERE (url = ?2 OR id = (SELECT article_id FROM url_aliases WHERE url = ?2))
                  AND (listing_timestamp IS NULL OR listing_timestamp < ?1)
                """, [.instant(timestamp), .text(url)])
        }
    }

    /// Records a failed fetch or parse of an article URL (attempts count up; the newest error is kept).
    package func recordFailure(
        url: String, source: String, error: String, permanent: Bool,
        listingTimestamp: Instant?, at time: Instant, retryAfter: Instant?
    ) throws {
        try withConnection { db in
            try db.run(
                """
                INSERT INTO fetch_failures (url, source, error, permanent, attempts, listing_timestamp,
                                            first_failed_at, last_failed_at, retry_after)
                VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?6, ?7)
                ON CONFLICT(url) DO UPDATE SET
                    error = excluded.error, permanent = excluded.permanent, attempts = attempts + 1,
                    listing_timestamp = coalesce(excluded.listing_timestamp, listing_timestamp),
                    last_failed_at = excluded.last_failed_at, retry_after = excluded.retry_after
                """,
                [
                    .text(url), .text(source), .text(error), .int(permanent ? 1 : 0), .optional(listingTimestamp),
                    .instant(time), .optional(retryAfter),
                ])
        }
    }

    /// The number of articles, from the trigger-maintained `article_count` row (O(1), unlike `count(*)`).
    package var articleCount: Int {
        get throws { try withConnection { try $0.scalarInt("SELECT n FROM article_count WHERE id = 1") } }
    }

    /// Stored articles per source, counting every source that lists an article (`source_article_counts`, kept by
    /// triggers: one row per source, never a scan).
    package var articleCountsBySource: [String: Int] {
        get throws {
            try withConnection { db in
                Dictionary(
                    try db.query("SELECT source, n FROM source_article_counts") { ($0.text(0) ?? "", $0.int(1)) },
                    uniquingKeysWith: { first, _ in first })
            }
        }
    }

    /// The article stored under `url`: answered from the covering index `articles_seen` alone (named, because the
    /// planner would otherwise pick the UNIQUE index on `url` and read the row, overflow pages and all).
    private static func storedArticle(_ db: SQLiteConnection, url: String) throws(SQLiteError) -> StoredArticle? {
        try db.first(
            """
            SELECT id, url, published_at, modified_at, listing_timestamp, content_hash, revision
            FROM articles INDEXED BY articles_seen WHERE url = ?
            """, [.text(url)], row: storedArticle)
    }

    /// The article that `url` is an alias of.
    private static func storedArticle(_ db: SQLiteConnection, alias url: String) throws(SQLiteError) -> StoredArticle? {
        try db.first(
            """
            SELECT id, url, published_at, modified_at, listing_timestamp, content_hash, revision
            FROM articles WHERE id = (SELECT article_id FROM url_aliases WHERE url = ?)
            """, [.text(url)], row: storedArticle)
    }

    private static func storedArticle(_ row: Statement) -> StoredArticle {
        StoredArticle(
            id: row.int64(0), url: row.text(1) ?? "", publishedAt: row.instant(2), modifiedAt: row.instant(3),
            listingTimestamp: row.instant(4), contentHash: row.text(5) ?? "", revision: row.int(6))
    }

    static func tombstone(_ db: SQLiteConnection, url: String) throws(SQLiteError) -> Tombstone? {
        try db.first(
            """
            SELECT url, article_id, source, content_id, deleted_at, reason FROM tombstones WHERE url = ?
            """, [.text(url)]
        ) { row in
            Tombstone(
                url: row.text(0) ?? url, articleID: row.isNull(1) ? nil : row.int64(1), source: row.text(2) ?? "",
                contentID: row.text(3), deletedAt: row.requiredInstant(4), reason: row.text(5) ?? "")
        }
    }

    private static func save(
        _ db: SQLiteConnection, _ record: ArticleRecord, listingTimestamp: Instant?,
        fetchedAt: Instant, aliasByCanonical: Bool
    ) throws -> SaveOutcome {
        var existing = try storedArticle(db, url: record.url)
        if existing == nil { existing = try storedArticle(db, alias: record.url) }
        guard let existing else {
            if try tombstone(db, url: record.url) != nil { return .pruned }
            if aliasByCanonical, let canonical = record.canonicalURL,
                let owner = try db.first(
                    "SELECT id FROM articles WHERE canonical_url = ? ORDER BY id LIMIT 1",
                    [.text(canonical)], row: { $0.int64(0) })
            {
                try db.run(
                    "INSERT OR IGNORE INTO url_aliases (url, article_id, first_seen_at) VALUES (?, ?, ?)",
                    [.text(record.url), .int(owner), .instant(fetchedAt)])
                return .aliased(id: owner)
            }
            return .inserted(id: try insert(db, record, listingTimestamp: listingTimestamp, fetchedAt: fetchedAt))
        }
        if existing.contentHash == record.contentHash {
            try db.run(
                """
                UPDATE articles SET fetched_at = ?2,
                    modified_at = coalesce(?3, modified_at), lead_verbatim = coalesce(?5, lead_verbatim),
                    listing_timestamp = CASE WHEN ?4 IS NOT NULL AND (listing_timestamp IS NULL OR listing_timestamp < ?4)
                                             THEN ?4 ELSE listing_timestamp END
                WHERE id = ?1
                """,
                [
                    .int(existing.id), .instant(fetchedAt), .optional(record.modifiedAt), .optional(listingTimestamp),
                    .optional(record.leadVerbatim),
                ])
            return .unchanged(id: existing.id)
        }
        // The publisher reverted to content we already hold in an older revision: the article points at that
        // revision again. Storing it a second time is what UNIQUE(article_id, content_hash) forbids.
        if let earlier = try db.first(
            "SELECT revision FROM article_revisions WHERE article_id = ? AND content_hash = ?",
            [.int(existing.id), .text(record.contentHash)], row: { $0.int(0) })
        {
            try updateLatest(
                db, id: existing.id, record, revision: earlier, listingTimestamp: listingTimestamp,
                fetchedAt: fetchedAt)
            return .revised(id: existing.id, revision: earlier)
        }
        let revision = existing.revision + 1
        try insertRevision(db, articleID: existing.id, revision: revision, record, fetchedAt: fetchedAt)
        try updateLatest(
            db, id: existing.id, record, revision: revision, listingTimestamp: listingTimestamp,
            fetchedAt: fetchedAt)
        return .revised(id: existing.id, revision: revision)
    }

    private static func insert(
        _ db: SQLiteConnection, _ record: ArticleRecord, listingTimestamp: Instant?,
        fetchedAt: Instant
    ) throws -> Int64 {
        try db.run(
            """
            INSERT INTO articles (source, url, canonical_url, content_id, title, section, authors, published_at,
                                  modified_at, listing_timestamp, first_seen_at, fetched_at, lead, image_url,
                                  image_caption, body_html, body_text, tags, content_hash, revision, lead_verbatim)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
            """,
            [
                .text(record.source), .text(record.url), .optional(record.canonicalURL), .optional(record.contentID),
                .text(record.title), .optional(record.section), .text(JSONText.array(record.authors)),
                .optional(record.publishedAt), .optional(record.modifiedAt), .optional(listingTimestamp),
                .instant(fetchedAt), .instant(fetchedAt), .optional(record.lead), .optional(record.imageURL),
                .optional(record.imageCaption), .text(record.bodyHTML), .text(record.bodyText),
                .text(JSONText.array(record.tags)), .text(record.contentHash), .optional(record.leadVerbatim),
            ])
        let id = db.lastInsertRowID
        try insertRevision(db, articleID: id, revision: 1, record, fetchedAt: fetchedAt)
        return id
    }

    private static func insertRevision(
        _ db: SQLiteConnection, articleID: Int64, revision: Int,
        _ record: ArticleRecord, fetchedAt: Instant
    ) throws {
        try db.run(
            """
            INSERT INTO article_revisions (article_id, revision, fetched_at, modified_at, title, lead, body_html,
                                           body_text, content_hash, lead_verbatim)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .int(articleID), .integer(revision), .instant(fetchedAt), .optional(record.modifiedAt),
                .text(record.title), .optional(record.lead), .text(record.bodyHTML), .text(record.bodyText),
                .text(record.contentHash), .optional(record.leadVerbatim),
            ])
    }

    private static func updateLatest(
        _ db: SQLiteConnection, id: Int64, _ record: ArticleRecord, revision: Int,
        listingTimestamp: Instant?, fetchedAt: Instant
    ) throws {
        try db.run(
            """
            UPDATE articles SET canonical_url = ?2, content_id = ?3, title = ?4, section = ?5, authors = ?6,
                published_at = coalesce(?7, published_at), modified_at = coalesce(?8, modified_at),
                listing_timestamp = CASE WHEN ?9 IS NOT NULL AND (listing_timestamp IS NULL OR listing_timestamp < ?9)
                                         THEN ?9 ELSE listing_timestamp END,
                fetched_at = ?10, lead = ?11, image_url = ?12, image_caption = ?13, body_html = ?14, body_text = ?15,
                tags = ?16, content_hash = ?17, revision = ?18, lead_verbatim = ?19
            WHERE id = ?1
            """,
            [
                .int(id), .optional(record.canonicalURL), .optional(record.contentID), .text(record.title),
                .optional(record.section), .text(JSONText.array(record.authors)), .optional(record.publishedAt),
                .optional(record.modifiedAt), .optional(listingTimestamp), .instant(fetchedAt), .optional(record.lead),
                .optional(record.imageURL), .optional(record.imageCaption), .text(record.bodyHTML),
                .text(record.bodyText), .text(JSONText.array(record.tags)), .text(record.contentHash),
                .integer(revision), .optional(record.leadVerbatim),
            ])
    }
}

/// JSON arrays of strings for the `authors` and `tags` columns: readable in sqlite3 (no escaped CJK) and usable with
/// SQLite's JSON functions (`json_each(tags)`).
enum JSONText {
    static func array(_ values: [String]) -> String {
        let data = try? JSONSerialization.data(withJSONObject: values, options: [.withoutEscapingSlashes])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    static func decodeArray(_ text: String?) -> [String] {
        guard let data = text?.data(using: .utf8),
            let array = try? JSONSerialization.jsonObject(with: data) as? [String]
        else { return [] }
        return array
    }
}
