import ArgumentParser
import HeraldCore
import HeraldStatus

struct Herald: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "herald",
        abstract:
            "A scheduled news crawler: fetches listing pages and feeds, stores new and updated articles in SQLite.",
        discussion: """
            Herald reads its sources from config.json (see docs/config.md), crawls each on its own timetable and keeps \
            every article once, with a new revision when the publisher edits it. The database is plain SQLite: read it \
            with sqlite3 or any SQLite tool (docs/schema.md).

            Getting started:
              herald check-config        validate ./config.json
              herald crawl               one pass over every source, then exit
              herald run                 the daemon (under systemd: see docs/systemd.md)
              herald status              what the running daemon is doing
              herald articles --since 1d what was stored in the last day
              herald search 习近平        full-text search
              herald export --out DIR    the archive as one markdown file per article
              herald parse page.html     extract one saved article page

            The config file is --config, else $HERALD_CONFIG, else $XDG_CONFIG_HOME/herald/config.json, else \
            /etc/herald/config.json, else ./config.json when it is a Herald config.
            """,
        version: HeraldVersion.current,
        subcommands: [
            RunCommand.self, StatusCommand.self, CrawlCommand.self, TriggerCommand.self, ReloadCommand.self,
            CheckConfigCommand.self, ParseCommand.self, ArticlesCommand.self, ShowCommand.self,
            SearchCommand.self, ExportCommand.self, PruneCommand.self, DiscoverCommand.self,
            SourceCommand.self,
        ])
}
