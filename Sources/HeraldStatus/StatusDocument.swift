import Foundation

/// `GET /status` as one type: the daemon builds it and renders it (`json`), `herald status` decodes it (`Decodable`),
/// so the field names live in one place (the `CodingKeys`) instead of in a writer and a `[String: Any]` reader.
/// Fields are added over time, never renamed (docs/socket.md); an absent optional renders as `null`.
package struct StatusDocument: Decodable, Equatable, Sendable {
    package struct Reload: Codable, Equatable, Sendable {
        package var at: String
        package var trigger: String
        package var outcome: String
        package var errors: [String]
        package init(at: String, trigger: String, outcome: String, errors: [String]) {
            self.at = at
            self.trigger = trigger
            self.outcome = outcome
            self.errors = errors
        }

    }

    /// One pass (`last_run`, and each line of `herald crawl --json`).
    package struct Run: Decodable, Equatable, Sendable {
        package var source: String
        package var startedAt: String
        package var finishedAt: String
        package var outcome: String
        package var summary: String
        package var pages: Int
        package var linksFound: Int
        package var new: Int
        package var updated: Int
        package var unchanged: Int
        package var skipped: Int
        package var failed: Int
        package var listingUnchanged: Bool
        package var skippedByReason: [String: Int]
        package var errors: [String]

        package init(
            source: String, startedAt: String, finishedAt: String, outcome: String, summary: String,
            pages: Int, linksFound: Int, new: Int, updated: Int, unchanged: Int, skipped: Int, failed: Int,
            listingUnchanged: Bool, skippedByReason: [String: Int], errors: [String]
        ) {
            self.source = source
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.outcome = outcome
            self.summary = summary
            self.pages = pages
            self.linksFound = linksFound
            self.new = new
            self.updated = updated
            self.unchanged = unchanged
            self.skipped = skipped
            self.failed = failed
            self.listingUnchanged = listingUnchanged
            self.skippedByReason = skippedByReason
            self.errors = errors
        }

        enum CodingKeys: String, CodingKey {
            case source, outcome, summary, pages, new, updated, unchanged, skipped, failed, errors
            case startedAt = "started_at"
            case finishedAt = "finished_at"
            case linksFound = "links_found"
            case listingUnchanged = "listing_unchanged"
            case skippedByReason = "skipped_by_reason"
        }
    }

    package struct Source: Decodable, Equatable, Sendable {
        package var name: String
        package var listing: String
        package var state: String
        package var intervalSeconds: Int
        package var keepDays: Int?
        package var nextRunAt: String?
        package var consecutiveFailures: Int
        package var lastError: String?
        package var lastSuccessAt: String?
        package var lastAttemptAt: String?
        package var health: String
        package var lastRun: Run?

        package init(
            name: String, listing: String, state: String, intervalSeconds: Int, keepDays: Int?,
            nextRunAt: String?, consecutiveFailures: Int, lastError: String?, lastSuccessAt: String?,
            lastAttemptAt: String?, health: String, lastRun: Run?
        ) {
            self.name = name
            self.listing = listing
            self.state = state
            self.intervalSeconds = intervalSeconds
            self.keepDays = keepDays
            self.nextRunAt = nextRunAt
            self.consecutiveFailures = consecutiveFailures
            self.lastError = lastError
            self.lastSuccessAt = lastSuccessAt
            self.lastAttemptAt = lastAttemptAt
            self.health = health
            self.lastRun = lastRun
        }

        enum CodingKeys: String, CodingKey {
            case name, listing, state, health
            case intervalSeconds = "interval_seconds"
            case keepDays = "keep_days"
            case nextRunAt = "next_run_at"
            case consecutiveFailures = "consecutive_failures"
            case lastError = "last_error"
            case lastSuccessAt = "last_success_at"
            case lastAttemptAt = "last_attempt_at"
            case lastRun = "last_run"
        }
    }

    package var version: String
    package var pid: Int
    package var startedAt: String
    package var uptimeSeconds: Int
    package var config: String
    package var database: String
    package var articleCount: Int?
    package var queueDepth: Int
    package var lastReload: Reload?
    package var sources: [Source]

    package init(
        version: String, pid: Int, startedAt: String, uptimeSeconds: Int, config: String, database: String,
        articleCount: Int?, queueDepth: Int, lastReload: Reload?, sources: [Source]
    ) {
        self.version = version
        self.pid = pid
        self.startedAt = startedAt
        self.uptimeSeconds = uptimeSeconds
        self.config = config
        self.database = database
        self.articleCount = articleCount
        self.queueDepth = queueDepth
        self.lastReload = lastReload
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey {
        case version, pid, config, database, sources
        case startedAt = "started_at"
        case uptimeSeconds = "uptime_seconds"
        case articleCount = "article_count"
        case queueDepth = "queue_depth"
        case lastReload = "last_reload"
    }

    package static func decode(_ json: String) throws -> StatusDocument {
        try JSONDecoder().decode(StatusDocument.self, from: Data(json.utf8))
    }

    package var json: JSONOutput {
        typealias Key = CodingKeys
        return .object([
            (Key.version.rawValue, .string(version)), (Key.pid.rawValue, .int(pid)),
            (Key.startedAt.rawValue, .string(startedAt)), (Key.uptimeSeconds.rawValue, .int(uptimeSeconds)),
            (Key.config.rawValue, .string(config)), (Key.database.rawValue, .string(database)),
            (Key.articleCount.rawValue, .optional(articleCount)), (Key.queueDepth.rawValue, .int(queueDepth)),
            (Key.lastReload.rawValue, lastReload?.json ?? .null),
            (Key.sources.rawValue, .array(sources.map(\.json))),
        ])
    }
}

extension StatusDocument.Reload {
    package var json: JSONOutput {
        .object([
            ("at", .string(at)), ("trigger", .string(trigger)), ("outcome", .string(outcome)),
            ("errors", .strings(errors)),
        ])
    }
}

extension StatusDocument.Run {
    package var json: JSONOutput {
        typealias Key = CodingKeys
        return .object([
            (Key.source.rawValue, .string(source)), (Key.startedAt.rawValue, .string(startedAt)),
            (Key.finishedAt.rawValue, .string(finishedAt)), (Key.outcome.rawValue, .string(outcome)),
            (Key.summary.rawValue, .string(summary)), (Key.pages.rawValue, .int(pages)),
            (Key.linksFound.rawValue, .int(linksFound)), (Key.new.rawValue, .int(new)),
            (Key.updated.rawValue, .int(updated)), (Key.unchanged.rawValue, .int(unchanged)),
            (Key.skipped.rawValue, .int(skipped)), (Key.failed.rawValue, .int(failed)),
            (Key.listingUnchanged.rawValue, .bool(listingUnchanged)),
            (
                Key.skippedByReason.rawValue,
                .object(
                    skippedByReason.sorted { $0.key < $1.key }.map {
                        ($0.key, .int($0.value))
                    })
            ),
            (Key.errors.rawValue, .strings(errors)),
        ])
    }
}

extension StatusDocument.Source {
    package var json: JSONOutput {
        typealias Key = CodingKeys
        return .object([
            (Key.name.rawValue, .string(name)), (Key.listing.rawValue, .string(listing)),
            (Key.state.rawValue, .string(state)), (Key.intervalSeconds.rawValue, .int(intervalSeconds)),
            (Key.keepDays.rawValue, .optional(keepDays)), (Key.nextRunAt.rawValue, .optional(nextRunAt)),
            (Key.consecutiveFailures.rawValue, .int(consecutiveFailures)),
            (Key.lastError.rawValue, .optional(lastError)), (Key.lastSuccessAt.rawValue, .optional(lastSuccessAt)),
            (Key.lastAttemptAt.rawValue, .optional(lastAttemptAt)), (Key.health.rawValue, .string(health)),
            (Key.lastRun.rawValue, lastRun?.json ?? .null),
        ])
    }
}

/// `GET /healthz`: written by the daemon, read by `herald status --check`.
package struct HealthDocument: Decodable, Equatable, Sendable {
    /// `ok` or `unhealthy`.
    package var status: String
    package var sources: Int
    /// One sentence per failing or stale source.
    package var problems: [String]

    package var healthy: Bool { problems.isEmpty }

    package init(sources: Int, problems: [String]) {
        status = problems.isEmpty ? "ok" : "unhealthy"
        self.sources = sources
        self.problems = problems
    }

    package static func decode(_ json: String) throws -> HealthDocument {
        try JSONDecoder().decode(HealthDocument.self, from: Data(json.utf8))
    }

    package var json: JSONOutput {
        .object([("status", .string(status)), ("sources", .int(sources)), ("problems", .strings(problems))])
    }
}
