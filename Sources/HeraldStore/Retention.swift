import HeraldTime

/// Retention: deleting old articles (`herald prune`) without forgetting that they existed.
///
/// Retention is per source (its `keepDays`), and an article may be listed by several sources (`article_sources`): it
/// is deleted when no source that lists it keeps it any longer. An article is old when its publication time, or its first fetch when the page gave none, is before the cutoff.
/// Deleting it removes its revisions and aliases (ON DELETE CASCADE) and its search rows (the FTS delete trigger), and
/// leaves one tombstone per URL that led to it, so the seen check answers `.pruned` and the crawl never fetches it
/// again as new. Deletes run in batches, each its own short transaction, so a running daemon waits at most one batch.
extension ArticleStore {
    package struct PruneResult: Sendable, Equatable {
        package var articles = 0
        package var revisions = 0
        /// Tombstones written: one per URL (the article's own and its aliases).
        package var tombstones = 0
        /// Old articles another source also lists: only this source's claim on them went (`article_sources`); they
        /// stay until every source that lists them lets them go.
        package var released = 0

        package init() {}
    }

    /// The old articles of a source: listed by it and published (or, without a publication time, first fetched)
    /// before the cutoff. ?1 source, ?2 cutoff; the article table is `a`.
    static let old = """
        a.id IN (SELECT article_id FROM article_sources WHERE source = ?1) \
        AND coalesce(a.published_at, a.first_seen_at) < ?2
        """
    /// …and no other source lists them: these a prune deletes.
    static let prunable =
        old + " AND NOT EXISTS (SELECT 1 FROM article_sources o WHERE o.article_id = a.id AND o.source <> ?1)"

    /// Deletes `source`'s old articles, those published (or, without a publication time, first fetched) before
    /// `cutoff`. An article that another source also lists is not deleted: it is released (this
    /// source no longer lists it), and goes when the last source that lists it lets it go; so an article is kept as
    /// long as any source that lists it keeps it. With `dryRun` nothing changes and the result counts what would go.
    package func prune(
        source: String, before cutoff: Instant, at now: Instant, reason: String, dryRun: Bool = false,
        batchSize: Int = 500
    ) throws -> PruneResult {
        let parameters: [SQLValue] = [.text(source), .instant(cutoff)]
        if dryRun {
            return try withConnection { db in
                try db.readTransaction {
                    var result = PruneResult()
                    let old = try db.scalarInt("SELECT count(*) FROM articles a WHERE \(Self.old)", parameters)
                    result.articles = try db.scalarInt(
                        "SELECT count(*) FROM articles a WHERE \(Self.prunable)",
                        parameters)
                    result.released = old - result.articles
                    result.revisions = try db.scalarInt(
                        """
                        SELECT count(*) FROM article_revisions
                        WHERE article_id IN (SELECT a.id FROM articles a WHERE \(Self.prunable))
                        """, parameters)
                    result.tombstones =
                        result.articles
                        + (try db.scalarInt(
                            """
                            SELECT count(*) FROM url_aliases
                            WHERE article_id IN (SELECT a.id FROM articles a WHERE \(Self.prunable))
                            """, parameters))
                    return result
                }
            }
        }
        var total = PruneResult()
        while true {
            let (batch, examined) = try withConnection { db in
                try db.writeTransaction { () throws -> (PruneResult, Int) in
                    let ids = try db.query(
                        """
                        SELECT a.id, EXISTS (SELECT 1 FROM article_sources o WHERE o.article_id = a.id AND o.source <> ?1)
                        FROM articles a WHERE \(Self.old) ORDER BY a.id LIMIT ?3
                        """, parameters + [.integer(batchSize)]
                    ) { ($0.int64(0), $0.int(1) != 0) }
                    var result = PruneResult()
                    for (id, listedElsewhere) in ids {
                        if listedElsewhere {
                            try db.run(
                                "DELETE FROM article_sources WHERE source = ? AND article_id = ?",
                                [.text(source), .int(id)])
                            result.released += 1
                            continue
                        }
                        result.revisions += try db.scalarInt(
                            "SELECT count(*) FROM article_revisions WHERE article_id = ?", [.int(id)])
                        // The article's own URL, then its aliases: each becomes a tombstone.
                        try db.run(
                            """
                            INSERT OR REPLACE INTO tombstones (url, article_id, source, content_id, canonical_url,
                                title, published_at, first_seen_at, deleted_at, reason)
                            SELECT url, id, source, content_id, canonical_url, title, published_at, first_seen_at, ?2, ?3
                            FROM articles WHERE id = ?1
                            """, [.int(id), .instant(now), .text(reason)])
                        result.tombstones += db.changes
                        try db.run(
                            """
                            INSERT OR REPLACE INTO tombstones (url, article_id, source, content_id, canonical_url,
                                title, published_at, first_seen_at, deleted_at, reason)
                            SELECT u.url, a.id, a.source, a.content_id, a.canonical_url, a.title, a.published_at,
                                   a.first_seen_at, ?2, ?3
                            FROM url_aliases u JOIN articles a ON a.id = u.article_id WHERE u.article_id = ?1
                            """, [.int(id), .instant(now), .text(reason)])
                        result.tombstones += db.changes
                        try db.run("DELETE FROM articles WHERE id = ?", [.int(id)])
                        result.articles += db.changes
                    }
                    return (result, ids.count)
                }
            }
            total.articles += batch.articles
            total.revisions += batch.revisions
            total.tombstones += batch.tombstones
            total.released += batch.released
            if examined < batchSize { return total }
        }
    }

    /// Rebuilds the file without the free pages deletes leave (`VACUUM`), then truncates the WAL. Takes as long as
    /// copying the database; readers carry on, the daemon's writes wait (busy timeout) or are retried next pass.
    package func vacuum() throws {
        try withConnection { db in
            try db.execute("VACUUM")
            _ = try db.scalarInt("PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// Pages × page size: the database file's size as SQLite sees it.
    package var databaseBytes: Int {
        get throws {
            try withConnection { db in
                try db.scalarInt("PRAGMA page_count") * db.scalarInt("PRAGMA page_size")
            }
        }
    }
}
