import ArgumentParser
import Foundation
import HeraldCore
import HeraldStore

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search of the stored articles (title, lead and body), best matches first.",
        discussion: """
            Every word must appear (a substring match, case-insensitive for Latin letters). An argument holding \
            spaces, or text between double quotes, is one phrase. There are no operators: AND, OR, NOT, *, -, : and \
            parentheses are searched as text, so any query is valid.

            Words of three characters or more use the trigram index and are ranked (bm25; title first). Shorter \
            ones (台北, 降息: two-character Chinese words are common) cannot use a trigram index: they are checked \
            row by row, and when every word is that short the results come newest first.

            Each result prints its id, publication time (UTC), source and title, then a snippet with the matches \
            in bold (between [ and ] when the output is not a terminal). With --json: one object per line (the \
            fields of `herald articles --json` plus snippet and score).

            Examples:
              herald search 习近平
              herald search 降息 --source rfi-cn --limit 5
              herald search "White House" --json
            """)

    @OptionGroup var archive: ArchiveOptions

    @Argument(help: ArgumentHelp("Words to find.", valueName: "query"))
    var words: [String]

    @OptionGroup var page: PageOptions

    /// Each argument with whitespace and no quotes of its own is a phrase: `herald search "White House"`.
    var query: SearchQuery {
        SearchQuery(words.map { word in
            word.contains(where: \.isWhitespace) && !word.contains("\"") ? "\"\(word)\"" : word
        }.joined(separator: " "))
    }

    func run() throws {
        let query = query
        guard !query.terms.isEmpty else { throw ValidationError("nothing to search for: give at least one word") }
        let reader = try archive.openReader(try archive.loadConfig())
        let terminal = isatty(STDOUT_FILENO) == 1 && !page.json
        let highlight = terminal ? (open: "\u{1B}[1m", close: "\u{1B}[0m") : (open: "[", close: "]")
        let (hits, more) = try page.page { limit, offset in
            try reader.search(query, source: page.source, limit: limit, offset: offset, highlight: highlight)
        }
        var out = LineWriter()
        for hit in hits {
            if page.json {
                out.line(ArchiveJSON.hit(hit).rendered())
            } else {
                out.line("\(hit.article.id)  \(shortTime(hit.article.publishedAt))  \(hit.article.source)  "
                         + hit.article.title)
                out.line("    " + hit.snippet.replacingOccurrences(of: "\n", with: " "))
            }
        }
        out.flush()
        if hits.isEmpty, !page.json { printError("no article matches") }
        page.noteNextPage(more)
    }
}
