import ArgumentParser
import Foundation
import HeraldCore
import HeraldStatus
import HeraldStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the archive as files: one Markdown file per article in the seed's format, or JSON Lines.",
        discussion: """
            markdown: DIR/articles/<source>/<content id>.md per article (the duty-machine/news format: fetch time, \
            [title](url), ------, then one line of HTML with the date in the source's time zone, og:image, lead and \
            body) and DIR/lists/<source>.md, the source's index, newest first. Articles without a usable content \
            id are named u-<hash of their URL>.md. See docs/export.md.

            jsonl: DIR/<source>.jsonl, one object per article ordered by id (the fields of `herald show --format \
            json`); --out - writes the selected articles to standard output instead.

            Exports are idempotent and incremental: a file is written only when its content changed, so a second \
            run writes nothing and a revised article rewrites its one file. --since TIME limits the work to \
            articles fetched (new, revised or checked again) since TIME (2d, 6h, 2024-03-01…); the index is always \
            complete. Nothing is ever deleted from DIR.

            Examples:
              herald export --format markdown --out archive/
              herald export --format markdown --out archive/ --source rfi-cn --since 1d
              herald export --format jsonl --out - --since 6h | jq -r .title
            """)

    @OptionGroup var archive: ArchiveOptions

    @Option(name: .long, help: ArgumentHelp("markdown or jsonl.", valueName: "format"))
    var format: String = "markdown"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The output folder (created if needed); - for standard output (jsonl).",
            valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Only this source's articles.", valueName: "name"))
    var source: String?

    @Flag(name: .long, help: "The per-source report as JSON Lines (not the articles: that is --format jsonl).")
    var json = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only articles fetched since TIME (2d, 6h, 2024-03-01…).",
            valueName: "time"))
    var since: String?

    func validate() throws {
        guard let format = ArchiveExporter.Format(rawValue: format) else {
            throw ValidationError("--format \(self.format): use markdown or jsonl")
        }
        if out == "-", format != .jsonl {
            throw ValidationError(
                "--out - (standard output) is for --format jsonl; markdown writes one file per article")
        }
    }

    func run() throws {
        let format = ArchiveExporter.Format(rawValue: format) ?? .markdown
        let since = try parseSince(since)
        let config = try archive.loadConfig()
        let reader = try archive.openReader(config)
        if let source, try !reader.sources().contains(source) {
            printError("herald: no articles from a source named \"\(source)\" in \(reader.path)")
            throw ExitCode.noInput
        }
        let folder = URL(fileURLWithPath: out == "-" ? "." : out)
        let exporter = ArchiveExporter(reader: reader, folder: folder, style: ArchiveOptions.style(config))
        if out == "-" {
            var lines = LineWriter()
            try exporter.writeJSONLines(source: source, fetchedSince: since) { lines.line($0) }
            lines.flush()
            return
        }
        let reports: [ArchiveExporter.SourceReport]
        do {
            reports = try exporter.export(format: format, source: source, fetchedSince: since)
        } catch let error as SQLiteError {
            printError("herald: reading \(reader.path): \(error)")
            throw ExitCode.ioError
        } catch {
            printError("herald: cannot write under \(out): \(error.localizedDescription)")
            throw ExitCode.ioError
        }
        if json {
            for report in reports {
                print(
                    JSONOutput.object([
                        ("source", .string(report.source)), ("articles", .int(report.articles)),
                        ("written", .int(report.written)), ("unchanged", .int(report.unchanged)),
                        ("index_written", .bool(report.indexWritten)),
                    ]).rendered())
            }
            return
        }
        let width = max(6, reports.map(\.source.count).max() ?? 0)
        for report in reports {
            let what = format == .markdown ? "files" : "lines"
            let index =
                format == .markdown
                ? (report.indexWritten ? ", index rewritten" : ", index unchanged")
                : (report.indexWritten ? ", \(report.source).jsonl rewritten" : "")
            print(
                "\(report.source.padding(toLength: width, withPad: " ", startingAt: 0))  \(report.articles) articles: "
                    + "\(report.written) \(what) written, \(report.unchanged) unchanged\(index)")
        }
        if reports.isEmpty { print("nothing to export: the database has no articles") }
    }
}
