import CSQLite
let sqliteVersion = String(cString: sqlite3_libversion())
