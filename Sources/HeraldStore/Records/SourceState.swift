import HeraldTime

/// A source's persisted crawl state: validators, the timetable and the failure streak.
package struct SourceState: Sendable, Equatable {
    package var name: String
    package var listing: String
    package var etag: String?
    package var lastModified: String?
    package var nextRunAt: Instant?
    package var consecutiveFailures: Int
    package var lastError: String?
    package var lastRunAt: Instant?
    package var lastSuccessAt: Instant?
}

/// One crawl pass as recorded in `crawl_runs`.
package struct CrawlRunCounts: Sendable, Equatable {
    package var pages = 0
    package var linksFound = 0
    package var new = 0
    package var updated = 0
    package var unchanged = 0
    package var skipped = 0
    package var failed = 0

    package init() {}
}
