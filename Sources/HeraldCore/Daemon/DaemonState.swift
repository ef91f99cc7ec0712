import Foundation
import HeraldConfiguration
import HeraldStatus
import HeraldStore
import HeraldTime
import Logging
import Synchronization

/// What the running daemon knows and can do, shared by the signal handlers, the status socket and the scheduler.
final class DaemonState: Sendable {
    struct ReloadOutcome: Sendable {
        var at: String
        var trigger: String
        var succeeded: Bool
        var errors: [String]

        var document: StatusDocument.Reload {
            StatusDocument.Reload(at: at, trigger: trigger, outcome: succeeded ? "ok" : "failed", errors: errors)
        }

        var json: JSONOutput { document.json }
    }

    let startedAt = Date()
    let store: ArticleStore
    let scheduler: Scheduler
    let metrics: Metrics
    let notifier: SystemdNotifier
    let logger: Logger
    private let mutable: Mutex<(config: HeraldConfig, lastReload: ReloadOutcome?)>

    init(
        config: HeraldConfig, store: ArticleStore, scheduler: Scheduler, metrics: Metrics,
        notifier: SystemdNotifier, logger: Logger
    ) {
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
                notes.append(
                    "metricsListen changed to \(next.metricsListen?.description ?? "off"): takes effect after a restart"
                )
            }
            for note in notes { logger.warning("reload", metadata: ["note": "\(note)"]) }
            let crawler = Crawler(
                config: next, store: store, logger: logger, metrics: metrics, reusing: scheduler.crawler)
            await crawler.applyLimits()
            await scheduler.resizePassPool(to: next.concurrency)
            await scheduler.reload(with: crawler)
            mutable.withLock { $0.config = next }
            outcome = ReloadOutcome(at: Instant.now.text, trigger: trigger, succeeded: true, errors: notes)
            logger.notice(
                "configuration reloaded",
                metadata: [
                    "trigger": "\(trigger)",
                    "sources": "\(next.sources.count)",
                ])
        } catch {
            outcome = ReloadOutcome(
                at: Instant.now.text, trigger: trigger, succeeded: false,
                errors: error.problems.map(\.description))
            for problem in error.problems {
                logger.error(
                    "reload rejected, keeping the running configuration",
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
        await statusDocument().json
    }

    func statusDocument() async -> StatusDocument {
        let config = config
        let reload = mutable.withLock { $0.lastReload }
        let queueDepth = await scheduler.queueDepth()
        return StatusDocument(
            version: HeraldVersion.current, pid: Int(getpid()), startedAt: Instant(startedAt).text,
            uptimeSeconds: Int(Date().timeIntervalSince(startedAt)), config: config.file,
            database: config.database, articleCount: try? store.articleCount, queueDepth: queueDepth,
            lastReload: reload?.document, sources: scheduler.snapshot().map(sourceDocument))
    }

    func sourceJSON(_ name: String) -> JSONOutput? {
        scheduler.snapshot().first { $0.name == name }.map(sourceJSON)
    }

    /// `GET /healthz`: healthy when no enabled source is failing or stale (`SourceHealth`).
    func health(now: Date = Date()) -> HealthDocument {
        let sources = scheduler.snapshot()
        return HealthDocument(
            sources: sources.count,
            problems: sources.compactMap {
                SourceHealth.assess($0, daemonStartedAt: startedAt, now: now).problem(source: $0.name, now: now)
            })
    }

    func sourceJSON(_ source: Scheduler.SourceStatus) -> JSONOutput {
        sourceDocument(source).json
    }

    func sourceDocument(_ source: Scheduler.SourceStatus) -> StatusDocument.Source {
        StatusDocument.Source(
            name: source.name, listing: source.listing, state: source.state.rawValue,
            intervalSeconds: Int(source.interval), keepDays: source.keepDays, nextRunAt: source.nextRunAt?.text,
            consecutiveFailures: source.consecutiveFailures, lastError: source.lastError,
            lastSuccessAt: source.lastSuccessAt?.text, lastAttemptAt: source.lastReport?.startedAt.text,
            health: SourceHealth.assess(source, daemonStartedAt: startedAt, now: Date()).label,
            lastRun: source.lastReport.map(StatusDocument.Run.init))
    }

    func metricsText() async -> String {
        let now = Date()
        let sources = scheduler.snapshot()
        func perSource(_ value: (Scheduler.SourceStatus) -> Double?) -> [(labels: [(String, String)], value: Double)] {
            sources.compactMap { source in value(source).map { ([("source", source.name)], $0) } }
        }
        let counts = try? store.articleCountsBySource
        return metrics.render(
            gauges: [
                .init(
                    "herald_build_info", "Herald's version (the value is always 1).",
                    samples: [([("version", HeraldVersion.current)], 1)]),
                .init("herald_queue_depth", "Passes waiting for a worker.", Double(await scheduler.queueDepth())),
                .init(
                    "herald_stored_articles", "Articles in the database (one per URL, revisions not counted).",
                    Double((try? store.articleCount) ?? 0)),
                .init(
                    "herald_source_stored_articles",
                    "Articles in the database that each source lists (an article two sources list counts for both).",
                    samples: perSource { source in counts.map { Double($0[source.name] ?? 0) } }),
                .init(
                    "herald_uptime_seconds", "Seconds since the daemon started.",
                    now.timeIntervalSince(startedAt).rounded()),
                .init(
                    "herald_source_consecutive_failures", "Failed passes in a row, by source (0 after a success).",
                    samples: perSource { Double($0.consecutiveFailures) }),
                .init(
                    "herald_source_last_attempt_timestamp_seconds", "Unix time of each source's last pass start.",
                    samples: perSource {
                        $0.lastReport.map { Double($0.startedAt.secondsSince1970) }
                    }),
                .init(
                    "herald_source_healthy", "1 when the source is neither failing nor stale (GET /healthz), else 0.",
                    samples: perSource { SourceHealth.assess($0, daemonStartedAt: startedAt, now: now) == .ok ? 1 : 0 }),
            ] + ProcessMetrics.gauges(startedAt: startedAt))
    }
}
