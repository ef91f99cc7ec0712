import Foundation

/// Indexes the articles stored before schema v5 (v6, v9) into `articles_search` (and `articles_chars`, and the
/// v9 `articles_fts`): batches of ids in their own write
/// transactions, each moving `search_index_build.done_through` forward with it, so an interrupted build (a kill, a
/// power cut) resumes where it stopped the next time a writer opens the database, and the daemon's other writers
/// (another herald) wait at most one batch. Progress goes to stderr (the journal under systemd).
enum SearchIndexBuild {
    static let batch = 2_000

    /// Whether some articles are not in `articles_search` yet.
    static func isPending(_ db: SQLiteConnection) throws -> Bool {
        try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'search_index_build'") > 0
            && db.scalarInt("SELECT count(*) FROM search_index_build") > 0
    }

    static func resume(
        _ db: SQLiteConnection, batch: Int = batch, progress: (String) -> Void = { printToStandardError($0) }
    ) throws {
        guard try isPending(db) else { return }
        let start = Date()
        var reported = start
        let hasCharacterIndex = try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'articles_chars'") > 0
        // From v9 the trigram index is contentless and rebuilt here; before, its v1 triggers kept it whole.
        let rebuildsTrigramIndex = try db.userVersion >= 9
        while true {
            let finished: Bool = try db.writeTransaction {
                guard
                    let (done, until) = try db.first(
                        "SELECT done_through, until FROM search_index_build", [],
                        row: {
                            ($0.int(0), $0.int(1))
                        })
                else { return true }
                let next = min(done + batch, until)
                try db.run(
                    """
                    INSERT INTO articles_search(rowid, title, lead, body_text, authors)
                    SELECT id, herald_search_text(title), herald_search_text(lead), herald_search_text(body_text),
                           herald_search_text(authors)
                    FROM articles
                    WHERE id > ? AND id <= ? AND NOT EXISTS (SELECT 1 FROM articles_search_docsize d WHERE d.id = articles.id)
                    ORDER BY id
                    """, [.integer(done), .integer(next)])
                if hasCharacterIndex {
                    try db.run(
                        """
                        INSERT INTO articles_chars(rowid, chars)
                        SELECT id, herald_search_chars(title, lead, body_text) FROM articles
                        WHERE id > ? AND id <= ?
                              AND NOT EXISTS (SELECT 1 FROM articles_chars_docsize d WHERE d.id = articles.id)
                        ORDER BY id
                        """, [.integer(done), .integer(next)])
                }
                if rebuildsTrigramIndex {
                    try db.run(
                        """
                        INSERT INTO articles_fts(rowid, title, lead, body_text)
                        SELECT id, herald_latin_text(title), herald_latin_text(lead), herald_latin_text(body_text)
                        FROM articles
                        WHERE id > ? AND id <= ? AND NOT EXISTS (SELECT 1 FROM articles_fts_docsize d WHERE d.id = articles.id)
                        ORDER BY id
                        """, [.integer(done), .integer(next)])
                }
                if next >= until {
                    try db.run("DELETE FROM search_index_build")
                    return true
                }
                try db.run("UPDATE search_index_build SET done_through = ?", [.integer(next)])
                if Date().timeIntervalSince(reported) >= 5 {
                    reported = Date()
                    progress(
                        "herald: building the search indexes (schema v5/v6/v9): id \(next) of \(until), "
                            + "\(Int(Date().timeIntervalSince(start))) s so far")
                }
                return false
            }
            if finished { break }
        }
        if Date().timeIntervalSince(start) >= 5 {
            progress("herald: the search indexes are built (\(Int(Date().timeIntervalSince(start))) s)")
        }
    }

    static func printToStandardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
