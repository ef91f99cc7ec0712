import ArgumentParser
import Foundation
import HeraldConfiguration
import HeraldCore
import HeraldStatus

/// `--config` or `--socket`: how the client commands find the daemon.
struct SocketOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The daemon's config file (its statusSocket is used).", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The status socket (instead of reading the config).", valueName: "path"))
    var socket: String?

    func socketPath() throws -> String {
        if let socket { return socket }
        var options = ConfigOptions()
        options.config = config
        guard let socket = ConfigLoader.statusSocket(path: options.configPath) else {
            options.printLookupNote()
            printError("herald: cannot read \(options.configPath) to find the status socket; pass --socket PATH")
            throw ExitCode.badConfig
        }
        return socket
    }
}

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the running daemon is doing.",
        discussion: """
            One line per source: state (idle, running, backoff, disabled), last run, next run, articles the last \
            pass stored, and the last error. --json prints the daemon's raw answer (docs/socket.md).

            --check asks the daemon's health instead (GET /healthz), for monitoring: a source is unhealthy after 3 \
            failed passes in a row, or when its last successful pass is older than 3 intervals (and at least 1 hour). \
            It prints "ok" or one line per problem.

            Exit status: 0 when the daemon answered (with --check: and every source is healthy), 2 with --check when \
            a source is failing or stale, 3 when the daemon is not running, 1 for other failures.

            Examples:
              herald status
              herald status --socket /run/herald/status.sock --json
              herald status --check || echo "herald needs attention"
            """)

    @OptionGroup var target: SocketOptions

    @Flag(name: .long, help: "Print the raw JSON.")
    var json = false

    @Flag(name: .long, help: "Check health for monitoring: exit 2 when a source is failing or stale.")
    var check = false

    func run() throws {
        let path = try target.socketPath()
        let reply: StatusClient.Reply
        do {
            reply = try StatusClient.request(socket: path, method: "GET", path: check ? "/healthz" : "/status")
        } catch {
            printError("herald: \(error.description)")
            if case .notRunning = error { throw ExitCode(3) }
            throw ExitCode.failure
        }
        if check { return try report(health: reply) }
        guard reply.status == 200 else {
            printError("herald: the daemon answered \(reply.status): \(reply.body)")
            throw ExitCode.failure
        }
        if json {
            print(reply.body, terminator: reply.body.hasSuffix("\n") ? "" : "\n")
        } else {
            print(StatusTable.render(json: reply.body, now: Date()))
        }
    }
}

extension StatusCommand {
    /// `--check`: the daemon's `/healthz` answer as "ok" or one problem per line, and the exit status monitors read.
    private func report(health reply: StatusClient.Reply) throws {
        guard reply.status == 200 || reply.status == 503, let health = try? HealthDocument.decode(reply.body) else {
            printError("herald: the daemon answered \(reply.status) to GET /healthz: \(reply.body)")
            throw ExitCode.failure
        }
        if json {
            print(reply.body, terminator: reply.body.hasSuffix("\n") ? "" : "\n")
        } else if health.healthy {
            print("ok: \(health.sources) sources, none failing or stale")
        } else {
            for problem in health.problems { print(problem) }
        }
        if !health.healthy { throw ExitCode(2) }
    }
}

struct TriggerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger",
        abstract: "Ask the running daemon to crawl a source now.",
        discussion: """
            Exit status: 0 when the pass started, 64 when the daemon has no such source, 75 when that source is \
            already running or the daemon is stopping, 3 when the daemon is not running.

            Example:
              herald trigger rfi-cn
            """)

    @OptionGroup var target: SocketOptions

    @Argument(help: ArgumentHelp("The source's name.", valueName: "name"))
    var name: String

    func run() throws {
        try post(to: "/sources/\(name)/crawl", socket: target.socketPath()) { _ in "\(name): crawl started" }
    }
}

struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Ask the running daemon to re-read its config (like SIGHUP, but reports the outcome).",
        discussion: """
            An invalid config is rejected and the daemon keeps the one it runs; the errors print here.

            A keepDays lowered (or newly set) so that it would delete 20 stored articles or more is refused until \
            you run it again with --confirm; the message says how many, per source. (A SIGHUP applies the file as \
            it is.)

            Exit status: 0 when the new config runs, 78 when it was rejected (as check-config), 64 when a keepDays \
            change needs --confirm, 3 when the daemon is not running.
            """)

    @OptionGroup var target: SocketOptions

    @Flag(name: .long, help: "Apply a keepDays change even though it deletes 20 stored articles or more.")
    var confirm = false

    @Flag(name: .long, help: "Print the daemon's answer as JSON (the reload outcome of docs/socket.md).")
    var json = false

    func run() throws {
        let socket = try target.socketPath()
        if !confirm { try refuseUnconfirmedPruning(socket: socket) }
        try post(to: "/reload", socket: socket) { body in
            json ? body.trimmingCharacters(in: .whitespacesAndNewlines) : "configuration reloaded"
        }
    }

    /// Compares the file's keepDays with the running daemon's (GET /status) and previews what a lowered or new one
    /// would delete. Anything it cannot read (the file, the status, the database) leaves the decision to the reload.
    private func refuseUnconfirmedPruning(socket: String) throws {
        var options = ConfigOptions()
        options.config = target.config
        guard let next = try? ConfigLoader.load(path: options.configPath, forReading: true),
            let reply = try? StatusClient.request(socket: socket, method: "GET", path: "/status"), reply.status == 200,
            let status = try? StatusDocument.decode(reply.body)
        else { return }
        let running = Dictionary(status.sources.map { ($0.name, $0.keepDays) }, uniquingKeysWith: { first, _ in first })
        let preview = KeepDaysPreview(config: next) { source in
            guard let days = source.keepDays else { return false }
            guard let current = running[source.name] else { return true }  // a new source, or one the daemon lacks
            return current.map { days < $0 } ?? true  // lowered, or newly set
        }
        guard let preview, preview.total >= KeepDaysPreview.confirmThreshold else { return }
        printError(
            "herald: this reload would delete \(preview.total) stored articles:\n"
                + preview.lines.map { "  \($0)" }.joined(separator: "\n")
                + "\nRun `herald reload --confirm` to apply it (or `herald prune --dry-run` to see it per source).")
        throw ExitCode.usage
    }
}

private func post(to path: String, socket: String, success: (String) -> String) throws {
    let reply: StatusClient.Reply
    do {
        reply = try StatusClient.request(socket: socket, method: "POST", path: path)
    } catch {
        printError("herald: \(error.description)")
        if case .notRunning = error { throw ExitCode(3) }
        throw ExitCode.failure
    }
    guard (200..<300).contains(reply.status) else {
        // The daemon's answer as a sentence and an exit status from the documented table (README), never raw HTTP.
        let message = ErrorAnswer.decodeAnswer(reply.body)?.error
        switch reply.status {
        case 404:
            printError("herald: \(message ?? "not found")")
            throw ExitCode.usage
        case 409, 503:
            printError("herald: \(message ?? "busy"); try again later")
            throw ExitCode.tryAgain
        case 422:
            let errors = StatusDocument.Reload.decodeAnswer(reply.body)?.errors ?? []
            printError(
                "herald: the daemon rejected the config and keeps running the one it has:\n"
                    + errors.map { "  \($0)" }.joined(separator: "\n"))
            throw ExitCode.badConfig
        default:
            printError("herald: the daemon could not do it (HTTP \(reply.status)): \(message ?? reply.body)")
            throw ExitCode.failure
        }
    }
    print(success(reply.body))
}
