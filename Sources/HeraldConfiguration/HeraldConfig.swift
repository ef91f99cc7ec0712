import Foundation
import HeraldParse
import HeraldStatus

/// The validated configuration. Paths are absolute (relative ones in the file resolve against its folder); durations
/// are seconds. See docs/config.md for every key, its default and its rule.
public struct HeraldConfig: Sendable {
    public struct PerHost: Sendable, Equatable {
        public var concurrency: Int
        /// Minimum seconds between two request starts to one host.
        public var delay: Double
    }

    public struct Timeouts: Sendable, Equatable {
        public var connect: Double
        public var total: Double
        /// A transfer slower than 1 KB/s for this long is aborted (stalled or trickling servers).
        public var lowSpeed: Double
    }

    /// "Fetch URLs of this origin from that one instead" (a local mirror or cache). Stored URLs keep the original.
    public struct Mirror: Sendable, Equatable {
        public var origin: String
        public var replacement: String
    }

    /// The config file this was read from (absolute).
    public var file: String
    public var database: String
    public var statusSocket: String
    public var userAgent: String
    public var concurrency: Int
    public var perHost: PerHost
    public var timeouts: Timeouts
    public var maxBodyBytes: Int
    public var maxRedirects: Int
    public var retries: Int
    public var respectRobotsTxt: Bool
    public var blockPrivateAddresses: Bool
    public var logLevel: String
    /// `logFormat`: `logfmt` (the default) or `json`.
    public var logFormat: LogFormat
    /// `metricsListen`: a TCP address serving only `GET /metrics` and `GET /healthz` (off when nil).
    public var metricsListen: MetricsAddress?
    public var mirrors: [Mirror]
    public var sources: [SourceConfig]
    /// Custom profiles by name (the built-in `rfi` and `generic` are not listed).
    public var profiles: [String: Profile]
    /// Non-fatal remarks found while validating (e.g. an interval under a minute).
    public var warnings: [String]

    public func source(named name: String) -> SourceConfig? {
        sources.first { $0.name == name }
    }

    /// The URL to request for `url`: the mirror's origin replaces the configured one.
    public func fetchURL(for url: String) -> String {
        for mirror in mirrors where url.hasPrefix(mirror.origin) {
            let rest = url.dropFirst(mirror.origin.count)
            if rest.isEmpty || rest.hasPrefix("/") || rest.hasPrefix("?") { return mirror.replacement + rest }
        }
        return url
    }

    /// The inverse of `fetchURL`: where a fetched (possibly redirected) URL stands under its configured origin.
    public func originalURL(forFetched url: String) -> String {
        for mirror in mirrors where url.hasPrefix(mirror.replacement) {
            let rest = url.dropFirst(mirror.replacement.count)
            if rest.isEmpty || rest.hasPrefix("/") || rest.hasPrefix("?") { return mirror.origin + rest }
        }
        return url
    }
}

/// One news source: a listing (HTML section page or feed) crawled on its own timetable.
public struct SourceConfig: Sendable {
    public var name: String
    /// Shown in exports' index pages (the archive used "法广" for RFI).
    public var displayName: String
    public var listing: String
    public var kind: ListingKind
    public var interval: Double
    public var jitter: Double
    public var linkPattern: String?
    public var profile: Profile
    public var maxPages: Int
    public var maxArticlesPerPass: Int
    public var fullText: Bool
    public var enabled: Bool
    /// The publisher's local time zone (export dates are written in it, as the publisher shows them).
    public var timeZone: String
    /// Retention: `herald prune` deletes this source's articles published (or first fetched) more than this many days
    /// ago, leaving tombstones. nil keeps everything.
    public var keepDays: Int?
}
