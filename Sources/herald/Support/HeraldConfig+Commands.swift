import ArgumentParser
import HeraldCore
import HeraldStore

/// What the commands that crawl or write do with a loaded config, with the CLI's messages and exit codes.
extension HeraldConfig {
    /// The source `--source NAME` names, or a message listing the config's sources and exit 64.
    func sourceForCommand(named name: String) throws -> SourceConfig {
        guard let source = source(named: name) else {
            printError("herald: no source named \"\(name)\" in \(file) (sources: \(sources.map(\.name).joined(separator: ", ")))")
            throw ExitCode.usage
        }
        return source
    }

    /// The database, opened for writing (migrations run), or a message naming the file and exit 74.
    func openStoreForCommand() throws -> ArticleStore {
        do {
            return try ArticleStore(path: database)
        } catch {
            printError("herald: cannot open the database \(database): \(error)")
            throw ExitCode.ioError
        }
    }
}
