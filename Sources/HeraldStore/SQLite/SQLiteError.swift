/// An SQLite failure with what an operator needs: the result code, SQLite's message and the statement.
package struct SQLiteError: Error, Sendable, CustomStringConvertible {
    package let code: Int32
    package let message: String
    package let sql: String?

    package init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// SQLITE_CONSTRAINT and its extended codes: the UNIQUE guard fired.
    package var isConstraintViolation: Bool { code & 0xFF == 19 }
    /// SQLITE_BUSY / SQLITE_LOCKED: another connection holds the lock past busy_timeout.
    package var isBusy: Bool { code & 0xFF == 5 || code & 0xFF == 6 }

    package var description: String {
        if let sql { return "SQLite error \(code): \(message) (in: \(sql.prefix(200)))" }
        return "SQLite error \(code): \(message)"
    }
}
