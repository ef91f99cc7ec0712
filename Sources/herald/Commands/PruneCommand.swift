import ArgumentParser
import Foundation
import HeraldCore
import HeraldStatus
import HeraldStore

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete articles older than their source's keepDays, leaving tombstones; optionally VACUUM.",
        discussion: """
            For each source whose config sets keepDays, deletes the articles published more than keepDays days ago \
            (first fetched, for pages without a publication time), with their revisions, aliases and search rows. \
            Each deleted URL leaves a row in `tombstones`, so the crawl treats it as seen and never fetches it \
            again. Sources without keepDays keep everything. An article that several sources list (a site's \
            section page and its feed) is deleted only when every one of them lets it go: a source with a shorter \
            keepDays only releases it (counted as "released"). Safe while the daemon runs (short transactions). \
            The daemon (and `herald crawl`) also applies keepDays after a source's pass, at most every 6 hours, \
            so running this by hand is only needed for --dry-run, --vacuum, or right after lowering keepDays.

            --vacuum then rebuilds the database file so it shrinks (VACUUM; needs free disk space about the size \
            of the database, and takes about as long as copying it).

            Examples:
              herald prune --dry-run
              herald prune --vacuum
            """)

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: ArgumentHelp("Only this source.", valueName: "name"))
    var source: String?

    @Flag(name: .long, help: "Count what would be deleted; change nothing.")
    var dryRun = false

    @Flag(name: .long, help: "VACUUM afterwards, so the file shrinks.")
    var vacuum = false

    @Option(name: .long, help: ArgumentHelp("The database (instead of the config's).", valueName: "path"))
    var database: String?

    @Flag(name: .long, help: "JSON Lines: one object per source (and one for the vacuum).")
    var json = false

    func run() throws {
        var config = try options.load()
        if let database { config.database = database }
        let sources = try source.map { [try config.sourceForCommand(named: $0)] } ?? config.sources
        let (store, writerLock) = try config.openStoreForCommand(command: "herald prune", writes: !dryRun)
        defer { withExtendedLifetime(writerLock) {} }
        let now = Date()
        let retained = sources.filter { $0.keepDays != nil }
        if retained.isEmpty, !json { print("no source sets keepDays: nothing to prune") }
        let width = max(6, retained.map(\.name.count).max() ?? 0)
        for source in retained {
            guard let days = source.keepDays else { continue }
            let cutoff = Retention.cutoff(keepDays: days, now: now)
            do {
                guard let result = try Retention.prune(source, in: store, now: now, dryRun: dryRun) else { continue }
                if json {
                    print(
                        JSONOutput.object([
                            ("source", .string(source.name)), ("keep_days", .int(days)),
                            ("cutoff", .string(cutoff.text)),
                            ("dry_run", .bool(dryRun)), ("articles", .int(result.articles)),
                            ("revisions", .int(result.revisions)), ("tombstones", .int(result.tombstones)),
                            ("released", .int(result.released)),
                        ]).rendered())
                    continue
                }
                print(
                    "\(source.name.padding(toLength: width, withPad: " ", startingAt: 0))  keep \(days) days "
                        + "(published before \(cutoff) goes): \(result.articles) articles, \(result.revisions) revisions"
                        + (dryRun ? " would be deleted" : " deleted, \(result.tombstones) tombstones")
                        + (result.released > 0
                            ? "; \(result.released) also listed by another source \(dryRun ? "would be" : "were") released"
                            : ""))
            } catch {
                printError("herald: pruning \(source.name): \(error)")
                throw ExitCode.ioError
            }
        }
        if vacuum, !dryRun {
            do {
                let before = try store.databaseBytes
                try store.vacuum()
                let after = try store.databaseBytes
                print(
                    json
                        ? JSONOutput.object([
                            ("vacuum_bytes_before", .int(Int(before))),
                            ("vacuum_bytes_after", .int(Int(after))),
                        ]).rendered()
                        : "vacuum: \(before / 1024) KiB → \(after / 1024) KiB")
            } catch {
                printError("herald: VACUUM failed: \(error)")
                throw ExitCode.ioError
            }
        }
    }
}
