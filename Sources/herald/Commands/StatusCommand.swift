import ArgumentParser
import Foundation
import HeraldCore

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

            Exit status: 0 when the daemon answered, 3 when it is not running, 1 for other failures.

            Examples:
              herald status
              herald status --socket /run/herald/status.sock --json
            """)

    @OptionGroup var target: SocketOptions

    @Flag(name: .long, help: "Print the raw JSON.")
    var json = false

    func run() throws {
        let path = try target.socketPath()
        let reply: StatusClient.Reply
        do {
            reply = try StatusClient.request(socket: path, method: "GET", path: "/status")
        } catch {
            printError("herald: \(error.description)")
            if case .notRunning = error { throw ExitCode(3) }
            throw ExitCode.failure
        }
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

struct TriggerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger",
        abstract: "Ask the running daemon to crawl a source now.",
        discussion: "Example:\n  herald trigger rfi-cn")

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
        discussion: "An invalid config is rejected and the daemon keeps the one it runs; the errors print here.")

    @OptionGroup var target: SocketOptions

    func run() throws {
        try post(to: "/reload", socket: target.socketPath()) { _ in "configuration reloaded" }
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
        printError("herald: \(reply.status): \(reply.body.trimmingCharacters(in: .whitespacesAndNewlines))")
        throw ExitCode.failure
    }
    print(success(reply.body))
}
