import Foundation

/// The `herald` executable built beside the tests, for tests that use Herald as its users do.
public enum HeraldBinary {
    public static var url: URL {
        // The test bundle sits in the build products folder (…/.build/<triple>/debug/), as does `herald`.
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidates = [
            products.appendingPathComponent("herald"),
            Bundle.main.bundleURL.appendingPathComponent("herald"),
            packageRoot.appendingPathComponent(".build/debug/herald"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `herald ARGUMENTS` to completion.
    @discardableResult
    public static func run(
        _ arguments: [String], environment: [String: String]? = nil,
        in folder: URL? = nil
    ) throws -> Command.Result {
        try Command.run(url.path, arguments, environment: environment, currentDirectory: folder)
    }
}

/// Reads a database with the `sqlite3` command-line shell, as an operator would.
public enum SQLiteShell {
    /// - Parameter busyTimeoutMilliseconds: `.timeout` for the shell: how long to wait when another connection holds
    ///   a lock (readers of a live database should set one; sqlite3's default is not to wait at all).
    public static func query(_ database: String, busyTimeoutMilliseconds: Int? = nil, _ sql: String) throws -> [String]
    {
        let timeout = busyTimeoutMilliseconds.map { ["-cmd", ".timeout \($0)"] } ?? []
        let result = try Command.run("sqlite3", ["-batch", "-noheader"] + timeout + [database, sql])
        guard result.status == 0 else { throw FixtureError("sqlite3 failed (\(result.status)): \(result.stderr)") }
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { !$0.isEmpty }
    }
}
