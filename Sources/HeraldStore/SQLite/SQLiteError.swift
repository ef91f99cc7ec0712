/// An SQLite failure with what an operator needs: the result code, SQLite's message and the statement.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// SQLITE_CONSTRAINT and its extended codes: the UNIQUE guard fired.
    public var isConstraintViolation: Bool { code & 0xFF == 19 }
    /// SQLITE_BUSY / SQLITE_LOCKED: another connection holds the lock past busy_timeout.
    public var isBusy: Bool { code & 0xFF == 5 || code & 0xFF == 6 }

    public var description: String {
        if let sql { return "SQLite error \(code): \(message) (in: \(sql.prefix(200)))" }
        return "SQLite error \(code): \(message)"
    }
}
