import HeraldTime

/// A source's persisted crawl state: validators, the timetable and the failure streak.
public struct SourceState: Sendable, Equatable {
    public var name: String
    public var listing: String
    public var etag: String?
    public var lastModified: String?
    public var nextRunAt: String?
    public var consecutiveFailures: Int
    public var lastError: String?
    public var lastRunAt: String?
    public var lastSuccessAt: String?
}

/// One crawl pass as recorded in `crawl_runs`.
public struct CrawlRunCounts: Sendable, Equatable {
    public var pages = 0
    public var linksFound = 0
    public var new = 0
    public var updated = 0
    public var unchanged = 0
    public var skipped = 0
    public var failed = 0

    public init() {}
}
