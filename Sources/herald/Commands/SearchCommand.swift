import ArgumentParser
import Foundation
import HeraldCore
import HeraldStore

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search of the stored articles (title, lead and body), best matches first.",
        discussion: """
            Every word must appear; an argument holding spaces, or text between double quotes, is one phrase. \
            Operators (in capitals): `OR` between two words (台北 OR 高雄), `-word` or `NOT word` to exclude, and \
            `title:word` / `author:word` to look in one field. Anything else (*, :, parentheses, a - inside a word) \
            is searched as text. An unbalanced quote, or an OR or NOT with no word, is an error (exit 64).

            Chinese words of any length are found through the word index (降息, 台北, 习近平, one character too); \
            other words of three characters or more (NDTV, T-Dome, 400亿美元) are substrings, case-insensitive; \
            shorter Latin ones (AI, G7) match words that begin with them.

            Results are ranked by bm25 (title first) when at most 2,000 articles match; a query matching more \
            lists the most recently stored first (bm25 would score every match). --sort date lists them newest \
            first by publication time. Each result prints its id, publication time (UTC), source and \
            title, then a snippet with the matches in bold (between [ and ] when the output is not a terminal). \
            With --json: one object per line (the fields of `herald articles --json` plus snippet and score). \
            --count prints the number of matching articles instead.

            Examples:
              herald search 习近平
              herald search 降息 --source rfi-cn --limit 5
              herald search "White House" --json
              herald search 台北 OR 高雄 -选举 --sort date --since 2024-01-01
              herald search title:王毅 --count
            """)

    @OptionGroup var archive: ArchiveOptions

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Words to find (-word excludes one).", valueName: "query"))
    var words: [String]

    @OptionGroup var page: PageOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "relevance (bm25, the default) or date (newest first).",
            valueName: "order"))
    var sort: SearchSortArgument = .relevance

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only articles published at or after this time (2024-03-01, 2d).",
            valueName: "time"))
    var since: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only articles published before this time (2024-04-01, 2d).",
            valueName: "time"))
    var until: String?

    @Flag(name: .long, help: "Print the number of matching articles, not the articles.")
    var count = false

    /// Each argument with whitespace and no quotes of its own is a phrase: `herald search "White House"`.
    func query() throws -> SearchQuery {
        do {
            return try SearchQuery(
                words.map { word in
                    word.contains(where: \.isWhitespace) && !word.contains("\"") ? "\"\(word)\"" : word
                }.joined(separator: " "))
        } catch {
            printError("herald search: cannot read the query: \(error.description)")
            throw ExitCode.usage
        }
    }

    func run() throws {
        let query = try query()
        guard !query.terms.isEmpty else { throw ValidationError("nothing to search for: give at least one word") }
        let filter = SearchFilter(
            source: page.source, since: try parseSince(since),
            until: try parseTime(until, option: "--until"))
        let config = try archive.loadConfig()
        let reader = try archive.openReader(config)
        try page.checkSource(config: config, known: reader.registeredSources)
        if count {
            print(try reader.searchCount(query, filter: filter))
            return
        }
        let terminal = isatty(STDOUT_FILENO) == 1 && !page.json
        // Bold on a terminal, unless NO_COLOR (no-color.org) is set to anything non-empty.
        let styled = terminal && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let highlight = styled ? (open: "\u{1B}[1m", close: "\u{1B}[0m") : (open: "[", close: "]")
        let (hits, more) = try page.page { limit, offset in
            try reader.search(
                query, filter: filter, sort: sort.value, limit: limit, offset: offset,
                highlight: highlight)
        }
        var out = LineWriter()
        for hit in hits {
            if page.json {
                out.line(ArchiveJSON.hit(hit).rendered())
            } else {
                out.line(
                    "\(hit.article.id)  \(shortTime(hit.article.publishedAt))  \(hit.article.source)  "
                        + hit.article.title)
                out.line("    " + hit.snippet.replacingOccurrences(of: "\n", with: " "))
            }
        }
        out.flush()
        if hits.isEmpty, !page.json { printError("no article matches") }
        page.noteNextPage(more)
    }
}

enum SearchSortArgument: String, ExpressibleByArgument, CaseIterable {
    case relevance, date
    var value: SearchSort { self == .date ? .date : .relevance }
}
