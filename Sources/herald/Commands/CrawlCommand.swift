import ArgumentParser
import Foundation
import HeraldCore
import HeraldStore

struct CrawlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crawl",
        abstract: "Run one crawl pass over every enabled source (or one named source), then exit.",
        discussion: """
            Fetches each listing, skips articles already stored, fetches and stores the new or changed ones, and \
            prints a summary per source: links found, new, updated, unchanged, skipped, failed, and the first errors.

            Exit status: 0 when every source's listing was read (even if some articles failed: they are retried on \
            later passes), 69 when a listing could not be read, 78 when the config is invalid, 74 when the database \
            cannot be opened.

            On a terminal a progress line stays at the bottom while log lines scroll above it. --quiet shows neither \
            the progress nor the summary, and logs warnings and errors only: for cron, where the exit status speaks.

            Examples:
              herald crawl --config config.json
              herald crawl --config config.json --source rfi-cn-news
              herald crawl --quiet || echo "a listing failed"
            """)

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: ArgumentHelp("Crawl only this source (even if it is disabled).", valueName: "name"))
    var source: String?

    @Flag(name: .long, help: "No progress line, no summary; log warnings and errors only.")
    var quiet = false

    @Flag(name: .long, help: "The summary as JSON Lines: one object per source (the status socket's last_run).")
    var json = false

    func run() async throws {
        let config = try options.load()
        for warning in config.warnings { printError("warning: \(warning)") }
        let logger = try options.logger(for: config, quietly: quiet)
        let sources = try source.map { [try config.sourceForCommand(named: $0)] } ?? config.sources.filter(\.enabled)
        let (store, writerLock) = try config.openStoreForCommand(command: "herald crawl")
        defer { withExtendedLifetime(writerLock) {} }
        let crawler = Crawler(config: config, store: store, logger: logger)
        let progress = ProgressLine.forStandardError(quiet: quiet || json)
        let started = Date()
        var onProgress: (@Sendable (CrawlPass.Progress) -> Void)?
        if let progress { onProgress = { progress.update($0) } }
        let reports = await crawler.crawl(sources, onProgress: onProgress)
        progress?.finish()
        if json {
            for report in reports { print(report.json.rendered()) }
        } else if !quiet {
            print(CrawlSummary.render(reports, elapsed: Date().timeIntervalSince(started)))
        }
        if reports.contains(where: { $0.outcome == .failed }) { throw ExitCode.unavailable }
    }
}

/// The per-source table `herald crawl` prints.
enum CrawlSummary {
    static func render(_ reports: [CrawlReport], elapsed: Double) -> String {
        let width = max(6, reports.map(\.source.count).max() ?? 0)
        var lines: [String] = []
        for report in reports {
            let name = report.source.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append(
                "\(name)  \(report.outcome.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0))\(report.summary)"
            )
            for error in report.errors { lines.append("\(String(repeating: " ", count: width))    ! \(error)") }
            let hidden = report.counts.failed - report.errors.count
            if hidden > 0 {
                lines.append(
                    "\(String(repeating: " ", count: width))    … and \(hidden) more (see the log or fetch_failures)")
            }
        }
        lines.append(String(format: "%d source%@ in %.1f s", reports.count, reports.count == 1 ? "" : "s", elapsed))
        return lines.joined(separator: "\n")
    }
}
