import HeraldStatus
import HeraldTime

/// A pass as the status socket and `herald crawl --json` show it.
extension StatusDocument.Run {
    package init(_ report: CrawlReport) {
        let c = report.counts
        self.init(
            source: report.source, startedAt: report.startedAt.text, finishedAt: report.finishedAt.text,
            outcome: report.outcome.rawValue, summary: report.summary, pages: c.pages, linksFound: c.linksFound,
            new: c.new, updated: c.updated, unchanged: c.unchanged, skipped: c.skipped, failed: c.failed,
            listingUnchanged: report.listingUnchanged,
            skippedByReason: Dictionary(
                uniqueKeysWithValues: CrawlReport.Skip.allCases.map {
                    ($0.rawValue, report.skips[$0] ?? 0)
                }),
            errors: report.listingError.map { [$0] + report.errors } ?? report.errors)
    }
}
