import ArgumentParser
import Foundation
import HeraldCore
import HeraldStatus
import HeraldStore

struct ShowCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown, json
    }

    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print one stored article (as text, in the archive's markdown format, or as JSON).",
        discussion: """
            ARTICLE is an id (from `herald articles` or `herald search`), a URL (the one Herald followed, another \
            spelling it recorded, or the canonical URL the page declares) or the publisher's content id.

            --format markdown prints the article's export record (the seed format, dates in the source's time \
            zone); json the fields of `herald parse --json` plus id, source, revision and fetch times. \
            --revisions prints every stored version instead: a table in text, each version's record in markdown, \
            and {"article": …, "revisions": […]} in JSON.

            Examples:
              herald show 42
              herald show WBMZ120004-RFI-CN-20231028 --format markdown
              herald show https://www.rfi.fr/cn/… --revisions
            """)

    @OptionGroup var archive: ArchiveOptions

    @Argument(help: ArgumentHelp("An id, URL or content id.", valueName: "article"))
    var key: String

    @Option(name: .long, help: "text, markdown or json.")
    var format: Format = .text

    @Flag(name: .long, help: "The same as --format json, as other commands say it.")
    var json = false

    @Flag(name: .long, help: "Every stored version of the article.")
    var revisions = false

    func run() throws {
        let config = try archive.loadConfig()
        let reader = try archive.openReader(config)
        guard let article = try reader.article(matching: key) else {
            printError("herald: no article matches \(key) (an id, a URL or a content id)")
            throw ExitCode.noInput
        }
        let format = json ? .json : format
        let style = ArchiveOptions.style(config)(article.source)
        var out = LineWriter()
        defer { out.flush() }
        guard revisions else {
            switch format {
            case .text: out.line(Self.header(article) + ArticleText.render(article.article))
            case .markdown: out.line(String(SeedMarkdown.record(article, timeZone: style.timeZone).dropLast()))
            case .json: out.line(ArchiveJSON.object(article).rendered(pretty: true))
            }
            return
        }
        let versions = try reader.revisions(articleID: article.id)
        switch format {
        case .text:
            out.line(
                "\(article.title) (id \(article.id)): \(versions.count) revision\(versions.count == 1 ? "" : "s"), "
                    + "the latest is \(article.revision)")
            out.line("REV  FETCHED               MODIFIED              CHARS  TITLE")
            for version in versions {
                out.line(
                    [
                        String(version.revision).padding(toLength: 3, withPad: " ", startingAt: 0),
                        version.fetchedAt.text.padding(toLength: 20, withPad: " ", startingAt: 0),
                        (version.modifiedAt?.text ?? "-").padding(toLength: 20, withPad: " ", startingAt: 0),
                        String(version.bodyText.count).padding(toLength: 5, withPad: " ", startingAt: 0),
                        version.title,
                    ].joined(separator: "  "))
            }
        case .markdown:
            out.line(
                versions.map { SeedMarkdown.record($0, of: article, timeZone: style.timeZone) }
                    .joined(separator: "\n").dropLast().description)
        case .json:
            out.line(
                JSONOutput.object([
                    ("article", ArchiveJSON.object(article)),
                    ("revisions", .array(versions.map(ArchiveJSON.revision))),
                ])
                .rendered(pretty: true))
        }
    }

    static func header(_ article: ArchivedArticle) -> String {
        "[id \(article.id), source \(article.source), revision \(article.revision), first fetched "
            + "\(article.firstSeenAt), last fetched \(article.fetchedAt)]\n"
    }
}
