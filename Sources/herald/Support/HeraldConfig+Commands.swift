import ArgumentParser
import HeraldConfiguration
import HeraldCore
import HeraldStore

/// What the commands that crawl or write do with a loaded config, with the CLI's messages and exit codes.
extension HeraldConfig {
    /// The source `--source NAME` names, or a message listing the config's sources and exit 64.
    func sourceForCommand(named name: String) throws -> SourceConfig {
        guard let source = source(named: name) else {
            printError(
                "herald: no source named \"\(name)\" in \(file) (sources: \(sources.map(\.name).joined(separator: ", ")))"
            )
            throw ExitCode.usage
        }
        return source
    }

    /// The database, opened for writing (migrations run) with the writer lock held, or a message naming the file and
    /// exit 74, or naming the daemon that writes it and exit 75. Keep the lock as long as the store.
    /// A preview (`prune --dry-run`) writes nothing and passes `writes: false`: it runs beside the daemon.
    func openStoreForCommand(command: String, writes: Bool = true) throws -> (store: ArticleStore, lock: WriterLock?) {
        var lock: WriterLock?
        do {
            if writes { lock = try WriterLock(database: database, command: command) }
        } catch let held as WriterLock.Held {
            printError("herald: \(held)")
            throw ExitCode.tryAgain
        } catch {
            printError("herald: cannot open the database \(database): \(error)")
            throw ExitCode.ioError
        }
        do {
            return (try ArticleStore(path: database), lock)
        } catch {
            printError("herald: cannot open the database \(database): \(error)")
            throw ExitCode.ioError
        }
    }
}
