import HeraldTime

/// Per-source state (the timetable and validators) and the crawl_runs log.
extension ArticleStore {
    /// Makes sure a row exists for each configured source and that its listing URL is current.
    package func registerSource(name: String, listing: String) throws {
        try withConnection { db in
            try db.run(
                """
                INSERT INTO sources (name, listing) VALUES (?1, ?2)
                ON CONFLICT(name) DO UPDATE SET listing = excluded.listing,
                    etag = CASE WHEN listing = excluded.listing THEN etag END,
                    last_modified = CASE WHEN listing = excluded.listing THEN last_modified END
                """, [.text(name), .text(listing)])
        }
    }

    /// Drops the timetable rows of sources the config no longer names (removed or renamed), so `source_health` and
    /// `herald status` stop showing them. Their passes stay in `crawl_runs` and their articles in `articles`.
    /// Returns the names dropped.
    @discardableResult
    package func forgetSources(notIn names: [String]) throws -> [String] {
        try withConnection { db in
            try db.writeTransaction {
                let keep = Set(names)
                let stale = try db.query("SELECT name FROM sources ORDER BY name") { $0.text(0) ?? "" }
                    .filter { !keep.contains($0) }
                for name in stale { try db.run("DELETE FROM sources WHERE name = ?", [.text(name)]) }
                return stale
            }
        }
    }

    package func sourceState(name: String) throws -> SourceState? {
        try withConnection { db in
            try db.first(
                """
                SELECT name, listing, etag, last_modified, next_run_at, consecutive_failures, last_error,
                       last_run_at, last_success_at
                FROM sources WHERE name = ?
                """, [.text(name)], row: Self.sourceState)
        }
    }

    package func allSourceStates() throws -> [SourceState] {
        try withConnection { db in
            try db.query(
                """
                SELECT name, listing, etag, last_modified, next_run_at, consecutive_failures, last_error,
                       last_run_at, last_success_at
                FROM sources ORDER BY name
                """, row: Self.sourceState)
        }
    }

    /// Keeps the listing's validators for the next conditional GET.
    package func saveValidators(source: String, etag: String?, lastModified: String?) throws {
        try withConnection { db in
            try db.run(
                "UPDATE sources SET etag = ?, last_modified = ? WHERE name = ?",
                [.optional(etag), .optional(lastModified), .text(source)])
        }
    }

    /// Records how a pass ended for the scheduler: a success resets the failure streak; a failure extends it unless
    /// `countFailure` is false (the whole network was down — not the source's fault).
    package func recordSourceOutcome(
        source: String, succeeded: Bool, error: String?, countFailure: Bool,
        runAt: Instant, nextRunAt: Instant?
    ) throws {
        try withConnection { db in
            if succeeded {
                try db.run(
                    """
                    UPDATE sources SET consecutive_failures = 0, last_error = NULL, last_run_at = ?2,
                        last_success_at = ?2, next_run_at = ?3 WHERE name = ?1
                    """, [.text(source), .instant(runAt), .optional(nextRunAt)])
            } else {
                try db.run(
                    """
                    UPDATE sources SET consecutive_failures = consecutive_failures + ?4, last_error = ?2,
                        last_run_at = ?3, next_run_at = ?5 WHERE name = ?1
                    """,
                    [
                        .text(source), .optional(error), .instant(runAt), .int(countFailure ? 1 : 0),
                        .optional(nextRunAt),
                    ])
            }
        }
    }

    package func setNextRun(source: String, at time: Instant?) throws {
        try withConnection { db in
            try db.run("UPDATE sources SET next_run_at = ? WHERE name = ?", [.optional(time), .text(source)])
        }
    }

    /// Opens a crawl_runs row; returns its id.
    package func beginRun(source: String, startedAt: Instant) throws -> Int64 {
        try withConnection { db in
            try db.run(
                "INSERT INTO crawl_runs (source, started_at) VALUES (?, ?)", [.text(source), .instant(startedAt)])
            return db.lastInsertRowID
        }
    }

    /// Closes a crawl_runs row. `outcome`: ok, partial (some articles failed), failed (listing unreadable),
    /// interrupted (shutdown).
    package func finishRun(
        id: Int64, finishedAt: Instant, outcome: String, counts: CrawlRunCounts,
        error: String?
    ) throws {
        try withConnection { db in
            try db.run(
                """
                UPDATE crawl_runs SET finished_at = ?2, outcome = ?3, pages = ?4, links_found = ?5, new = ?6,
                    updated = ?7, unchanged = ?8, skipped = ?9, failed = ?10, error = ?11
                WHERE id = ?1
                """,
                [
                    .int(id), .instant(finishedAt), .text(outcome), .integer(counts.pages), .integer(counts.linksFound),
                    .integer(counts.new), .integer(counts.updated), .integer(counts.unchanged),
                    .integer(counts.skipped), .integer(counts.failed), .optional(error),
                ])
        }
    }

    /// Runs left 'running' by a process that died (SIGKILL, power loss) are marked interrupted at start-up.
    package func closeAbandonedRuns(at time: String) throws {
        try withConnection { db in
            try db.run(
                "UPDATE crawl_runs SET outcome = 'interrupted', finished_at = ? WHERE outcome = 'running'",
                [.text(time)])
        }
    }

    private static func sourceState(_ row: Statement) -> SourceState {
        SourceState(
            name: row.text(0) ?? "", listing: row.text(1) ?? "", etag: row.text(2), lastModified: row.text(3),
            nextRunAt: row.instant(4), consecutiveFailures: row.int(5), lastError: row.text(6),
            lastRunAt: row.instant(7), lastSuccessAt: row.instant(8))
    }
}
