/// Retention: deleting old articles (`herald prune`) without forgetting that they existed.
///
/// An article is old when its publication time, or its first fetch when the page gave none, is before the cutoff.
/// Deleting it removes its revisions and aliases (ON DELETE CASCADE) and its search rows (the FTS delete trigger), and
/// leaves one tombstone per URL that led to it, so the seen check answers `.pruned` and the crawl never fetches it
/// again as new. Deletes run in batches, each its own short transaction, so a running daemon waits at most one batch.
extension ArticleStore {
    public struct PruneResult: Sendable, Equatable {
        public var articles = 0
        public var revisions = 0
        /// Tombstones written: one per URL (the article's own and its aliases).
        public var tombstones = 0

        public init() {}
    }

    /// Deletes the articles of `source` published (or, without a publication time, first fetched) before `cutoff`
    /// (ISO 8601 UTC text). With `dryRun` nothing changes and the result counts what would go.
    /// The articles `prune` deletes: the source's, published (or first seen) before the cutoff. ?1 source, ?2 cutoff.
    static let prunable = "source = ?1 AND coalesce(published_at, first_seen_at) < ?2"

    public func prune(source: String, before cutoff: String, at now: String, reason: String, dryRun: Bool = false,
                      batchSize: Int = 500) throws -> PruneResult {
        let selection = Self.prunable
        if dryRun {
            return try withConnection { db in
                try db.readTransaction {
                    var result = PruneResult()
                    result.articles = try db.scalarInt("SELECT count(*) FROM articles WHERE \(selection)",
                                                       [.text(source), .text(cutoff)])
                    result.revisions = try db.scalarInt("""
                        SELECT count(*) FROM article_revisions
                        WHERE article_id IN (SELECT id FROM articles WHERE \(selection))
                        """, [.text(source), .text(cutoff)])
                    result.tombstones = result.articles + (try db.scalarInt("""
                        SELECT count(*) FROM url_aliases
                        WHERE article_id IN (SELECT id FROM articles WHERE \(selection))
                        """, [.text(source), .text(cutoff)]))
                    return result
                }
            }
        }
        var total = PruneResult()
        while true {
            let batch = try withConnection { db in
                try db.writeTransaction { () throws -> PruneResult in
                    let ids = try db.query("SELECT id FROM articles WHERE \(selection) ORDER BY id LIMIT ?3",
                                           [.text(source), .text(cutoff), .integer(batchSize)]) { $0.int64(0) }
                    var result = PruneResult()
                    for id in ids {
                        result.revisions += try db.scalarInt(
                            "SELECT count(*) FROM article_revisions WHERE article_id = ?", [.int(id)])
                        // The article's own URL, then its aliases: each becomes a tombstone.
                        try db.run("""
                            INSERT OR REPLACE INTO tombstones (url, article_id, source, content_id, canonical_url,
                                title, published_at, first_seen_at, deleted_at, reason)
                            SELECT url, id, source, content_id, canonical_url, title, published_at, first_seen_at, ?2, ?3
                            FROM articles WHERE id = ?1
                            """, [.int(id), .text(now), .text(reason)])
                        result.tombstones += db.changes
                        try db.run("""
                            INSERT OR REPLACE INTO tombstones (url, article_id, source, content_id, canonical_url,
                                title, published_at, first_seen_at, deleted_at, reason)
                            SELECT u.url, a.id, a.source, a.content_id, a.canonical_url, a.title, a.published_at,
                                   a.first_seen_at, ?2, ?3
                            FROM url_aliases u JOIN articles a ON a.id = u.article_id WHERE u.article_id = ?1
                            """, [.int(id), .text(now), .text(reason)])
                        result.tombstones += db.changes
                        try db.run("DELETE FROM articles WHERE id = ?", [.int(id)])
                        result.articles += db.changes
                    }
                    return result
                }
            }
            total.articles += batch.articles
            total.revisions += batch.revisions
            total.tombstones += batch.tombstones
            if batch.articles < batchSize { return total }
        }
    }

    /// Rebuilds the file without the free pages deletes leave (`VACUUM`), then truncates the WAL. Takes as long as
    /// copying the database; readers carry on, the daemon's writes wait (busy timeout) or are retried next pass.
    public func vacuum() throws {
        try withConnection { db in
            try db.execute("VACUUM")
            _ = try db.scalarInt("PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// Pages × page size: the database file's size as SQLite sees it.
    public var databaseBytes: Int {
        get throws {
            try withConnection { db in
                try db.scalarInt("PRAGMA page_count") * db.scalarInt("PRAGMA page_size")
            }
        }
    }
}
