import ArgumentParser
import Foundation
import HeraldConfiguration
import HeraldCore
import HeraldStore
import HeraldTime

/// Options of the commands that read the archive (`articles`, `show`, `search`, `export`): the config (for the
/// database path, display names and time zones) or a database named directly.
struct ArchiveOptions: ParsableArguments {
    @OptionGroup var config: ConfigOptions

    @Option(name: .long, help: ArgumentHelp("Read this database file instead of the config's.", valueName: "path"))
    var database: String?

    /// The config, read without requiring a writable database folder. With --database it is optional: a missing or
    /// invalid config only loses display names and time zones (a warning says so).
    func loadConfig() throws -> HeraldConfig? {
        guard database != nil else {
            config.printLookupNote()
            do { return try ConfigLoader.load(path: config.configPath, forReading: true) } catch {
                printError("herald: the configuration is not valid:\n\(error.description)")
                throw ExitCode.badConfig
            }
        }
        guard config.config != nil || FileManager.default.fileExists(atPath: config.configPath) else { return nil }
        do { return try ConfigLoader.load(path: config.configPath, forReading: true) } catch {
            printError(
                "warning: ignoring \(config.configPath) (\(error.description.split(separator: "\n").first ?? "")): "
                    + "sources shown with their names, dates in UTC")
            return nil
        }
    }

    /// The archive, read-only. A database written by an older herald is first brought up to date (as the daemon
    /// would at start), which needs write access; a missing one exits 66.
    func openReader(_ loaded: HeraldConfig?) throws -> ArchiveReader {
        let path = database ?? loaded?.database ?? "herald.db"
        do {
            return try ArchiveReader(path: path)
        } catch ArchiveError.schemaTooOld {
            do {
                _ = try ArticleStore(path: path)
                return try ArchiveReader(path: path)
            } catch {
                printError("herald: \(path) needs upgrading and this user cannot do it: \(error)")
                throw ExitCode.ioError
            }
        } catch let error as ArchiveError {
            printError("herald: \(error)")
            if case .missing = error { throw ExitCode.noInput }
            throw ExitCode.ioError
        } catch {
            printError("herald: cannot open the database \(path): \(error)")
            throw ExitCode.ioError
        }
    }

    /// A source's display name and time zone: the config's, else its name and UTC.
    static func style(_ loaded: HeraldConfig?) -> (String) -> ArchiveExporter.Style {
        { name in
            let source = loaded?.source(named: name)
            return ArchiveExporter.Style(
                displayName: source?.displayName ?? name,
                timeZone: source.flatMap { TimeZone(identifier: $0.timeZone) }
                    ?? TimeZone(identifier: "UTC")!)
        }
    }
}

/// `--since TIME` as an instant, or a usage error naming the accepted forms.
func parseSince(_ text: String?) throws -> Instant? {
    try parseTime(text, option: "--since")
}

/// A time option (`--since`, `--until`) as an instant, or a usage error naming the accepted forms.
func parseTime(_ text: String?, option: String) throws -> Instant? {
    guard let text else { return nil }
    guard let instant = TimeArgument.parse(text).map(Instant.init) else {
        throw ValidationError(
            "\(option) \(text): use an ISO 8601 date or time (2024-03-01, 2024-03-01T10:00Z, "
                + "2024-03-01T12:00+02:00) or a duration back from now (6h, 2d, 1h30m)")
    }
    return instant
}

/// Output for people and pipes: whole lines, written in blocks (fast for thousands of lines).
struct LineWriter {
    private var buffer: [UInt8] = []

    mutating func line(_ text: String) {
        line(bytes: text.utf8)
    }

    /// A line given as UTF-8 bytes.
    mutating func line(bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

/// `2023-10-28T09:52:00Z` as `2023-10-28 09:52` (UTC), for tables.
func shortTime(_ instant: Instant?) -> String {
    guard let text = instant?.text else { return "-" }
    return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
}
