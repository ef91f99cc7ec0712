import ArgumentParser
import HeraldCore

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon in the foreground: crawl every enabled source on its schedule until stopped.",
        discussion: """
            Meant to run under systemd (Type=notify; see systemd/herald.service) but works in a terminal too. Logs go \
            to stderr, one event per line. Status: `herald status`, or \
            `curl --unix-socket herald.sock http://localhost/status`.

            Signals: SIGTERM or Ctrl-C stops (in-flight requests get a few seconds, then are aborted; nothing is left \
            half-written), SIGHUP reloads the config (an invalid file is rejected and the running config stays).

            Exit status: 0 after a clean stop, 78 for an invalid config, 74 when the database cannot be opened, 69 \
            when the status socket cannot be created (e.g. another herald is running).

            Example:
              herald run --config config.json
            """)

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try options.load()
        let logger = try options.logger(for: config)
        let status = await Daemon(config: config, logger: logger).run()
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
