import Foundation
import HeraldStore
import Logging
import Synchronization

/// What the running daemon knows and can do, shared by the signal handlers, the status socket and the scheduler.
final class DaemonState: Sendable {
    struct ReloadOutcome: Sendable {
        var at: String
        var trigger: String
        var succeeded: Bool
        var errors: [String]

        var json: JSONOutput {
            .object([("at", .string(at)), ("trigger", .string(trigger)),
                     ("outcome", .string(succeeded ? "ok" : "failed")), ("errors", .strings(errors))])
        }
    }

    let startedAt = Date()
    let store: ArticleStore
    let scheduler: Scheduler
    let metrics: Metrics
    let notifier: SystemdNotifier
    let logger: Logger
    private let mutable: Mutex<(config: HeraldConfig, lastReload: ReloadOutcome?)>

    init(config: HeraldConfig, store: ArticleStore, scheduler: Scheduler, metrics: Metrics,
         notifier: SystemdNotifier, logger: Logger) {
        self.store = store
        self.scheduler = scheduler
        self.metrics = metrics
        self.notifier = notifier
        self.logger = logger
        mutable = Mutex((config, nil))
    }

    var config: HeraldConfig { mutable.withLock { $0.config } }

    // MARK: - Reload

    /// Re-reads the config file. A valid file is applied without a restart; an invalid one is rejected with its
    /// errors logged, and the running config stays.
    func reload(trigger: String) async -> ReloadOutcome {
        notifier.reloading()
        defer { notifier.ready(status: statusLine()) }
        let current = config
        let outcome: ReloadOutcome
        do {
            let next = try ConfigLoader.load(path: current.file)
            for warning in next.warnings { logger.warning("config", metadata: ["warning": "\(warning)"]) }
            var notes: [String] = []
            if next.database != current.database {
                notes.append("database changed to \(next.database): takes effect after a restart")
            }
            if next.statusSocket != current.statusSocket {
                notes.append("statusSocket changed to \(next.statusSocket): takes effect after a restart")
            }
            if next.metricsListen != current.metricsListen {
                notes.append("metricsListen changed to \(next.metricsListen?.description ?? "off"): takes effect after a restart")
            }
            for note in notes { logger.warning("reload", metadata: ["note": "\(note)"]) }
            let crawler = Crawler(config: next, store: store, logger: logger, metrics: metrics, reusing: scheduler.crawler)
            await crawler.applyLimits()
            await scheduler.resizePassPool(to: next.concurrency)
            await scheduler.reload(with: crawler)
            mutable.withLock { $0.config = next }
            outcome = ReloadOutcome(at: Clock.now(), trigger: trigger, succeeded: true, errors: notes)
            logger.notice("configuration reloaded", metadata: ["trigger": "\(trigger)",
                                                              "sources": "\(next.sources.count)"])
        } catch {
            outcome = ReloadOutcome(at: Clock.now(), trigger: trigger, succeeded: false,
                                    errors: error.problems.map(\.description))
            for problem in error.problems {
                logger.error("reload rejected, keeping the running configuration",
                             metadata: ["problem": "\(problem.description)"])
            }
        }
        mutable.withLock { $0.lastReload = outcome }
        return outcome
    }

    func trigger(_ name: String) async -> Scheduler.TriggerResult {
        await scheduler.trigger(name)
    }

    // MARK: - Status

    /// One line for systemd's STATUS= (shown by `systemctl status`).
    func statusLine() -> String {
        let sources = scheduler.snapshot()
        let running = sources.filter { $0.state == .running }.count
        let failing = sources.filter { $0.state == .backoff }.count
        let articles = (try? store.articleCount) ?? 0
        return "\(sources.count) sources, \(running) running, \(failing) failing; \(articles) articles"
    }

    func statusJSON() async -> JSONOutput {
        let config = config
        let reload = mutable.withLock { $0.lastReload }
        let uptime = Int(Date().timeIntervalSince(startedAt))
        return .object([
            ("version", .string(HeraldVersion.current)),
            ("pid", .int(Int(getpid()))),
            ("started_at", .string(Clock.format(startedAt))),
            ("uptime_seconds", .int(uptime)),
            ("config", .string(config.file)),
            ("database", .string(config.database)),
            ("article_count", .optional((try? store.articleCount))),
            ("queue_depth", .int(await scheduler.queueDepth())),
            ("last_reload", reload?.json ?? .null),
            ("sources", .array(scheduler.snapshot().map(sourceJSON))),
        ])
    }

    func sourceJSON(_ name: String) -> JSONOutput? {
        scheduler.snapshot().first { $0.name == name }.map(sourceJSON)
    }

    /// `GET /healthz`: healthy when no enabled source is failing or stale (`SourceHealth`).
    func healthJSON(now: Date = Date()) -> (healthy: Bool, json: JSONOutput) {
        let sources = scheduler.snapshot()
        let problems = sources.compactMap {
            SourceHealth.assess($0, daemonStartedAt: startedAt, now: now).problem(source: $0.name, now: now)
        }
        return (problems.isEmpty, .object([
            ("status", .string(problems.isEmpty ? "ok" : "unhealthy")),
            ("sources", .int(sources.count)),
            ("problems", .strings(problems)),
        ]))
    }

    func sourceJSON(_ source: Scheduler.SourceStatus) -> JSONOutput {
        var lastRun: JSONOutput = .null
        if let report = source.lastReport { lastRun = report.json }
        return .object([
            ("name", .string(source.name)),
            ("listing", .string(source.listing)),
            ("state", .string(source.state.rawValue)),
            ("interval_seconds", .int(Int(source.interval))),
            ("keep_days", .optional(source.keepDays)),
            ("next_run_at", .optional(source.nextRunAt)),
            ("consecutive_failures", .int(source.consecutiveFailures)),
            ("last_error", .optional(source.lastError)),
            ("last_success_at", .optional(source.lastSuccessAt)),
            ("last_attempt_at", .optional(source.lastReport?.startedAt)),
            ("health", .string(SourceHealth.assess(source, daemonStartedAt: startedAt, now: Date()).label)),
            ("last_run", lastRun),
        ])
    }

    func metricsText() async -> String {
        let now = Date()
        let sources = scheduler.snapshot()
        func perSource(_ value: (Scheduler.SourceStatus) -> Double?) -> [(labels: [(String, String)], value: Double)] {
            sources.compactMap { source in value(source).map { ([("source", source.name)], $0) } }
        }
        return metrics.render(gauges: [
            .init("herald_build_info", "Herald's version (the value is always 1).",
                  samples: [([("version", HeraldVersion.current)], 1)]),
            .init("herald_queue_depth", "Passes waiting for a worker.", Double(await scheduler.queueDepth())),
            .init("herald_stored_articles", "Articles in the database (one per URL, revisions not counted).",
                  Double((try? store.articleCount) ?? 0)),
            .init("herald_uptime_seconds", "Seconds since the daemon started.", now.timeIntervalSince(startedAt).rounded()),
            .init("herald_source_consecutive_failures", "Failed passes in a row, by source (0 after a success).",
                  samples: perSource { Double($0.consecutiveFailures) }),
            .init("herald_source_last_attempt_timestamp_seconds", "Unix time of each source's last pass start.",
                  samples: perSource { $0.lastReport.flatMap { Clock.parse($0.startedAt) }?.timeIntervalSince1970.rounded() }),
            .init("herald_source_healthy", "1 when the source is neither failing nor stale (GET /healthz), else 0.",
                  samples: perSource { SourceHealth.assess($0, daemonStartedAt: startedAt, now: now) == .ok ? 1 : 0 }),
        ] + ProcessMetrics.gauges(startedAt: startedAt))
    }
}
