import Dispatch
import Foundation
import HeraldConfiguration
import HeraldStatus
import HeraldStore
import HeraldTime
import Logging
import Synchronization

/// `herald run`: the long-running service. Wires config, store, scheduler and status socket; handles signals
/// (SIGTERM/SIGINT stop, SIGHUP reloads) and talks to systemd (READY, STATUS, RELOADING, STOPPING, WATCHDOG).
package final class Daemon: Sendable {
    package enum ExitStatus: Int32, Sendable {
        case ok = 0
        case ioError = 74
        /// Another herald writes the same database (sysexits EX_TEMPFAIL: try again once it has stopped).
        case databaseBusy = 75
        case badConfig = 78
        case unavailable = 69
    }

    private let config: HeraldConfig
    private let logger: Logger
    private let notifier: SystemdNotifier

    package init(config: HeraldConfig, logger: Logger, notifier: SystemdNotifier = SystemdNotifier()) {
        self.config = config
        self.logger = logger
        self.notifier = notifier
    }

    /// Runs until SIGTERM or SIGINT; returns the process exit status.
    package func run() async -> ExitStatus {
        // Signals are taken over first: READY=1 and a listening socket invite systemd and scripts to send SIGHUP or
        // SIGTERM at once, and until this runs their default action ends the process (SIGHUP's too). Signals that
        // arrive while the daemon is still starting wait in the stream and are handled when the loop below starts.
        let signals = SignalEvents()
        defer { signals.cancel() }
        MallocTuning.applyForDaemon()
        for warning in config.warnings { logger.warning("config", metadata: ["warning": "\(warning)"]) }
        // Before anything touches the database: a second daemon on it would mark the first one's passes interrupted.
        let writerLock: WriterLock
        do {
            writerLock = try WriterLock(database: config.database, command: "herald run", socket: config.statusSocket)
        } catch let held as WriterLock.Held {
            logger.critical("refusing to start", metadata: ["reason": "\(held)"])
            return .databaseBusy
        } catch {
            logger.critical("cannot open the database", metadata: ["path": "\(config.database)", "error": "\(error)"])
            return .ioError
        }
        defer { withExtendedLifetime(writerLock) {} }
        let store: ArticleStore
        do {
            store = try ArticleStore(path: config.database)
            try store.closeAbandonedRuns(at: Instant.now.text)
        } catch {
            logger.critical("cannot open the database", metadata: ["path": "\(config.database)", "error": "\(error)"])
            return .ioError
        }
        let metrics = Metrics()
        let crawler = Crawler(config: config, store: store, logger: logger, metrics: metrics)
        let notifier = notifier
        let logger = logger
        let statusBox = StatusLineBox()
        let scheduler = Scheduler(crawler: crawler, logger: logger) { _ in
            if let line = statusBox.line() { notifier.status(line) }
        }
        let state = DaemonState(
            config: config, store: store, scheduler: scheduler, metrics: metrics,
            notifier: notifier, logger: logger)
        statusBox.set(state)

        // The timetable first, so the socket never answers with an empty one; no pass starts until `start` below.
        await scheduler.load()
        let router = StatusRouter(daemon: state)
        let server = UnixHTTPServer(path: config.statusSocket, logger: logger) { await router.handle($0) }
        do {
            try server.start()
        } catch {
            logger.critical("cannot open the status socket", metadata: ["error": "\(error.description)"])
            return .unavailable
        }
        var metricsServer: UnixHTTPServer?
        if let address = config.metricsListen {
            let metricsRouter = StatusRouter(daemon: state, metricsOnly: true)
            let listener = UnixHTTPServer(endpoint: .tcp(address), logger: logger) { await metricsRouter.handle($0) }
            do {
                try listener.start()
                metricsServer = listener
            } catch {
                server.stop()
                logger.critical("cannot open the metrics listener", metadata: ["error": "\(error.description)"])
                return .unavailable
            }
        }
        await scheduler.start()
        notifier.ready(status: state.statusLine())
        logger.notice(
            "herald started",
            metadata: [
                "version": "\(HeraldVersion.current)", "config": "\(config.file)", "database": "\(config.database)",
                "socket": "\(config.statusSocket)", "metrics": "\(config.metricsListen?.description ?? "off")",
                "sources": "\(config.sources.filter(\.enabled).count)",
            ])

        let watchdog = startWatchdog(scheduler: scheduler)
        for await signal in signals.events {
            if signal == SIGHUP {
                _ = await state.reload(trigger: "SIGHUP")
                continue
            }
            logger.notice("stopping", metadata: ["signal": "\(signal == SIGTERM ? "SIGTERM" : "SIGINT")"])
            break
        }
        notifier.stopping()
        watchdog?.stop()
        server.stop()
        metricsServer?.stop()
        await scheduler.stop(grace: 3)
        logger.notice("herald stopped")
        return .ok
    }

    private func startWatchdog(scheduler: Scheduler) -> Watchdog? {
        guard let interval = notifier.watchdogInterval else { return nil }
        let logger = logger
        let notifier = notifier
        return Watchdog(
            interval: interval, isHealthy: { scheduler.isResponsive(timeout: interval / 4) },
            ping: { notifier.watchdog() },
            onWithheld: { logger.error("scheduler not responding: withholding the watchdog ping") })
    }
}

/// Lets the scheduler's callback reach the daemon state, which is created after the scheduler.
///
/// It holds the state object, not a `() -> String` closure: a function value kept in a generic container such as
/// `Mutex<Value>` is stored in its generic (reabstracted) form, and reading it through `withLock`'s `inout` argument
/// wrapped it in two more reabstraction thunks that were written back on every access. One status line per pass made
/// a chain of thunks that grew without end: ~100 KB a minute of heap at 10 passes a second, and a call as deep as
/// the chain (perf showed stacks of 127+ thunk frames), which would in time have overflowed the thread's stack.
private final class StatusLineBox: Sendable {
    private let state = Mutex<DaemonState?>(nil)

    func set(_ daemon: DaemonState) { state.withLock { $0 = daemon } }
    func line() -> String? { state.withLock { $0 }?.statusLine() }
}
