import CSQLite
import HeraldTime

/// A value bound to a statement parameter.
package enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    package static func optional(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
    package static func integer(_ value: Int) -> SQLValue { .int(Int64(value)) }
    /// An instant in the stored form (`Instant.text`): every time column holds that text.
    package static func instant(_ value: Instant) -> SQLValue { .text(value.text) }
    package static func optional(_ value: Instant?) -> SQLValue { value.map(SQLValue.instant) ?? .null }
}

/// A prepared statement owned by its connection's cache.
package final class Statement {
    let handle: OpaquePointer
    let sql: String
    unowned let connection: SQLiteConnection

    init(connection: SQLiteConnection, sql: String) throws(SQLiteError) {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw SQLiteError(code: rc, message: connection.lastErrorMessage, sql: sql)
        }
        handle = statement
        self.sql = sql
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    package func bind(_ values: [SQLValue]) throws(SQLiteError) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case let .int(v): rc = sqlite3_bind_int64(handle, index, v)
            case let .double(v): rc = sqlite3_bind_double(handle, index, v)
            case let .text(v): rc = sqlite3_bind_text(handle, index, v, -1, herald_sqlite_transient())
            case let .blob(v):
                rc = v.withUnsafeBytes {
                    sqlite3_bind_blob(
                        handle, index, $0.baseAddress, Int32($0.count),
                        herald_sqlite_transient())
                }
            }
            guard rc == SQLITE_OK else {
                throw SQLiteError(code: rc, message: connection.lastErrorMessage, sql: sql)
            }
        }
    }

    /// Advances to the next row: true when a row is available, false when done. Resets itself when done or failing,
    /// so a cached statement never holds a read transaction open.
    package func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE:
            sqlite3_reset(handle)
            return false
        default:
            let message = connection.lastErrorMessage
            sqlite3_reset(handle)
            throw SQLiteError(code: rc, message: message, sql: sql)
        }
    }

    package func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    package func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    package func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    package func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    package func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    package func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

    /// A time column: nil when NULL, or when it holds something other than the stored form (a value written by
    /// hand in sqlite3 in another form is not guessed at; the row keeps it).
    package func instant(_ column: Int32) -> Instant? { text(column).flatMap(Instant.init(text:)) }

    /// A NOT NULL time column (`first_seen_at`, `fetched_at`…); the epoch when it does not hold the stored form.
    package func requiredInstant(_ column: Int32) -> Instant { instant(column) ?? Instant(secondsSince1970: 0) }
}
