import CSQLite
import Foundation

/// A thin, honest wrapper over one `sqlite3*` handle: prepared statements (cached), bound parameters, errors carrying
/// the SQL. Not thread-safe by itself — `ArticleStore` confines each connection behind a mutex.
package final class SQLiteConnection {
    package enum Mode: Sendable { case readWrite, readOnly }

    let handle: OpaquePointer
    package let path: String
    private var statementCache: [String: Statement] = [:]

    package init(path: String, mode: Mode = .readWrite, busyTimeoutMilliseconds: Int32 = 5000) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags =
            (mode == .readWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY)
            | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: "cannot open database \(path): \(message)")
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        SearchText.register(on: db)  // the word index's triggers call it (schema v5)
    }

    deinit {
        statementCache.removeAll()  // finalize statements before closing
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows (schema, pragmas).
    package func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorMessage)
            throw SQLiteError(code: rc, message: message, sql: sql)
        }
    }

    /// A prepared statement for `sql`, reset and cleared, ready to bind. Statements are cached by their SQL text.
    package func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        if let cached = statementCache[sql] {
            cached.reset()
            return cached
        }
        let statement = try Statement(connection: self, sql: sql)
        statementCache[sql] = statement
        return statement
    }

    /// Runs `sql` with `parameters`, returning nothing.
    package func run(_ sql: String, _ parameters: [SQLValue] = []) throws(SQLiteError) {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        while try statement.step() {}
    }

    /// All rows of a query, each mapped by `row`.
    package func query<T>(
        _ sql: String, _ parameters: [SQLValue] = [],
        row: (Statement) throws(SQLiteError) -> T
    ) throws(SQLiteError) -> [T] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        var rows: [T] = []
        while try statement.step() {
            rows.append(try row(statement))
        }
        return rows
    }

    /// The first row of a query, or nil.
    package func first<T>(
        _ sql: String, _ parameters: [SQLValue] = [],
        row: (Statement) throws(SQLiteError) -> T
    ) throws(SQLiteError) -> T? {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return try row(statement)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`: the write lock is taken up front, so a transaction never fails
    /// half-way on a lock upgrade. Rolls back when `body` throws.
    package func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` inside a read transaction: one consistent snapshot across several queries.
    /// BEGIN and COMMIT go through cached prepared statements: the seen check opens one per link.
    package func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try run("BEGIN DEFERRED")
        defer { try? run("COMMIT") }
        return try body()
    }

    package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    package var changes: Int { Int(sqlite3_changes(handle)) }
    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Keeps the `-wal` and `-shm` files when the last connection closes. Readers that may not write the folder
    /// (members of group `herald`) can open a WAL database only while those files exist.
    package func persistWriteAheadLog() {
        var on: Int32 = 1
        sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &on)
    }

    /// `PRAGMA user_version`: the schema version the migrations have reached.
    package var userVersion: Int {
        get throws(SQLiteError) { try first("PRAGMA user_version") { $0.int(0) } ?? 0 }
    }

    /// The first column of the first row as an integer (counts, pragmas).
    package func scalarInt(_ sql: String, _ parameters: [SQLValue] = []) throws(SQLiteError) -> Int {
        try first(sql, parameters) { $0.int(0) } ?? 0
    }

    /// The first column of the first row as text (pragmas that answer text).
    package func scalarText(_ sql: String, _ parameters: [SQLValue] = []) throws(SQLiteError) -> String? {
        try first(sql, parameters) { $0.text(0) } ?? nil
    }
}
