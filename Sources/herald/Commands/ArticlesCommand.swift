import ArgumentParser
import Foundation
import HeraldCore
import HeraldStatus
import HeraldStore

struct ArticlesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "articles",
        abstract: "List stored articles, newest first.",
        discussion: """
            One line per article: id, publication time (UTC), source and title. The id is what `herald show` takes. \
            Reads the database read-only, so it works while the daemon runs.

            --since keeps articles published at or after TIME (first fetched, for pages without a publication \
            time). TIME is an ISO 8601 date or time (2024-03-01, 2024-03-01T10:00Z, 2024-03-01T12:00+02:00; UTC \
            when no offset is given) or a duration back from now (6h, 2d, 1h30m).

            With --json each article is one JSON object per line (id, source, title, published, url, canonical_url, \
            content_id, revision, first_seen_at, fetched_at).

            Examples:
              herald articles --limit 50
              herald articles --source rfi-cn --since 2d
              herald articles --since 2024-03-01 --json | jq -r .title
            """)

    @OptionGroup var archive: ArchiveOptions

    @OptionGroup var page: PageOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only articles published since TIME (2d, 6h, 2024-03-01…).",
            valueName: "time"))
    var since: String?

    func run() throws {
        let since = try parseSince(since)
        let config = try archive.loadConfig()
        let reader = try archive.openReader(config)
        try page.checkSource(config: config, known: reader.registeredSources)
        let (rows, more) = try page.page { limit, offset in
            try reader.articles(source: page.source, since: since, limit: limit, offset: offset)
        }
        var out = LineWriter()
        if page.json {
            for row in rows { out.line(JSONOutput.object(ArchiveJSON.summary(row)).rendered()) }
        } else {
            let idWidth = max(2, rows.map { String($0.id).count }.max() ?? 0)
            let sourceWidth = max(6, rows.map(\.source.count).max() ?? 0)
            out.line(
                [
                    "ID".padding(toLength: idWidth, withPad: " ", startingAt: 0), "PUBLISHED (UTC) ",
                    "SOURCE".padding(toLength: sourceWidth, withPad: " ", startingAt: 0), "TITLE",
                ]
                .joined(separator: "  "))
            for row in rows {
                out.line(
                    [
                        String(row.id).padding(toLength: idWidth, withPad: " ", startingAt: 0),
                        shortTime(row.publishedAt).padding(toLength: 16, withPad: " ", startingAt: 0),
                        row.source.padding(toLength: sourceWidth, withPad: " ", startingAt: 0), row.title,
                    ]
                    .joined(separator: "  "))
            }
        }
        out.flush()
        page.noteNextPage(more)
    }
}
