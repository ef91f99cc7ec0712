import ArgumentParser
import HeraldConfiguration
import HeraldCore

/// The options `herald articles` and `herald search` share: which source, which page of the results, and JSON.
struct PageOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Only this source's articles.", valueName: "name"))
    var source: String?

    @Option(name: .long, help: "At most this many.")
    var limit = 20

    @Option(name: .long, help: "Skip this many first (the next page is --offset LIMIT).")
    var offset = 0

    @Flag(name: .long, help: "One JSON object per line.")
    var json = false

    /// An unknown `--source` is an error, as everywhere else (exit 64), not an empty table: the name must be in the
    /// config or among the sources the database has seen.
    func checkSource(config: HeraldConfig?, known: () throws -> [String]) throws {
        guard let source else { return }
        if config?.source(named: source) != nil { return }
        let names = Set(try known()).union(config?.sources.map(\.name) ?? []).sorted()
        guard names.contains(source) else {
            printError(
                "herald: no source named \"\(source)\" (sources: \(names.isEmpty ? "none yet" : names.joined(separator: ", ")))"
            )
            throw ExitCode.usage
        }
    }

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        guard offset >= 0 else { throw ValidationError("--offset cannot be negative") }
    }

    /// This page's rows, and whether there is a next one: `fetch` is asked for one row more than the page holds.
    func page<Row>(_ fetch: (_ limit: Int, _ offset: Int) throws -> [Row]) rethrows -> (rows: [Row], more: Bool) {
        let rows = try fetch(limit + 1, offset)
        return (Array(rows.prefix(limit)), rows.count > limit)
    }

    /// Tells stderr how to get the next page.
    func noteNextPage(_ more: Bool) {
        if more { printError("… more: --offset \(offset + limit)") }
    }
}
