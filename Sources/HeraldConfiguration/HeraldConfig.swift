import Foundation
import HeraldParse
import HeraldStatus

/// The validated configuration. Paths are absolute (relative ones in the file resolve against its folder); durations
/// are seconds. See docs/config.md for every key, its default and its rule.
package struct HeraldConfig: Sendable {
    package struct PerHost: Sendable, Equatable {
        package var concurrency: Int
        /// Minimum seconds between two request starts to one host.
        package var delay: Double
    }

    package struct Timeouts: Sendable, Equatable {
        package var connect: Double
        package var total: Double
        /// A transfer slower than 1 KB/s for this long is aborted (stalled or trickling servers).
        package var lowSpeed: Double
    }

    /// "Fetch URLs of this origin from that one instead" (a local mirror or cache). Stored URLs keep the original.
    package struct Mirror: Sendable, Equatable {
        package var origin: String
        package var replacement: String
    }

    /// The config file this was read from (absolute).
    package var file: String
    package var database: String
    package var statusSocket: String
    package var userAgent: String
    package var concurrency: Int
    package var perHost: PerHost
    package var timeouts: Timeouts
    package var maxBodyBytes: Int
    package var maxRedirects: Int
    package var retries: Int
    package var respectRobotsTxt: Bool
    package var blockPrivateAddresses: Bool
    package var logLevel: String
    /// `logFormat`: `logfmt` (the default) or `json`.
    package var logFormat: LogFormat
    /// `metricsListen`: a TCP address serving only `GET /metrics` and `GET /healthz` (off when nil).
    package var metricsListen: MetricsAddress?
    package var mirrors: [Mirror]
    package var sources: [SourceConfig]
    /// Custom profiles by name (the built-in `rfi` and `generic` are not listed).
    package var profiles: [String: Profile]
    /// Non-fatal remarks found while validating (e.g. an interval under a minute).
    package var warnings: [String]

    package func source(named name: String) -> SourceConfig? {
        sources.first { $0.name == name }
    }

    /// The URL to request for `url`: the mirror's origin replaces the configured one.
    package func fetchURL(for url: String) -> String {
        for mirror in mirrors where url.hasPrefix(mirror.origin) {
            let rest = url.dropFirst(mirror.origin.count)
            if rest.isEmpty || rest.hasPrefix("/") || rest.hasPrefix("?") { return mirror.replacement + rest }
        }
        return url
    }

    /// The inverse of `fetchURL`: where a fetched (possibly redirected) URL stands under its configured origin.
    package func originalURL(forFetched url: String) -> String {
        for mirror in mirrors where url.hasPrefix(mirror.replacement) {
            let rest = url.dropFirst(mirror.replacement.count)
            if rest.isEmpty || rest.hasPrefix("/") || rest.hasPrefix("?") { return mirror.origin + rest }
        }
        return url
    }
}

/// One news source: a listing (HTML section page or feed) crawled on its own timetable.
package struct SourceConfig: Sendable {
    package var name: String
    /// Shown in exports' index pages (the archive used "法广" for RFI).
    package var displayName: String
    package var listing: String
    package var kind: ListingKind
    package var interval: Double
    package var jitter: Double
    package var linkPattern: String?
    package var profile: Profile
    package var maxPages: Int
    package var maxArticlesPerPass: Int
    package var fullText: Bool
    package var enabled: Bool
    /// The publisher's local time zone (export dates are written in it, as the publisher shows them).
    package var timeZone: String
    /// Retention: `herald prune` deletes this source's articles published (or first fetched) more than this many days
    /// ago, leaving tombstones. nil keeps everything.
    package var keepDays: Int?
}
