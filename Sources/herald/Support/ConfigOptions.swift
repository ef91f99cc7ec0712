import ArgumentParser
import Foundation
import HeraldConfiguration
import HeraldCore
import Logging

/// `--config` and `--log-level`, shared by every command that reads the config.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The config file.", valueName: "path"))
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "trace, debug, info, notice, warning, error or critical (default: the config's logLevel, else info).",
            valueName: "level"))
    var logLevel: String?

    /// --config, else $HERALD_CONFIG, else $XDG_CONFIG_HOME/herald/config.json, else /etc/herald/config.json, else
    /// ./config.json when it is a Herald config (`ConfigLocation`).
    var configPath: String { ConfigLocation.find(explicit: config).path }

    /// Says on stderr why the lookup skipped ./config.json or found nothing (once per command, where it loads).
    func printLookupNote() {
        if let note = ConfigLocation.find(explicit: config).note { printError("herald: \(note)") }
    }

    /// Loads and validates the config, or prints every problem and exits 78.
    func load() throws -> HeraldConfig {
        printLookupNote()
        do {
            let config = try ConfigLoader.load(path: configPath)
            return config
        } catch {
            printError("herald: the configuration is not valid:\n\(error.description)")
            throw ExitCode.badConfig
        }
    }

    /// `quietly` (`crawl --quiet`) raises the level to warning unless --log-level names one.
    func logger(for config: HeraldConfig?, label: String = "herald", quietly: Bool = false) throws -> Logger {
        let name = logLevel ?? (quietly ? "warning" : config?.logLevel ?? "info")
        guard let level = Logger.Level(rawValue: name) else {
            printError(
                "herald: --log-level \(name): not a level (trace, debug, info, notice, warning, error, critical)")
            throw ExitCode.usage
        }
        let format = config?.logFormat ?? .logfmt
        return Logger(label: label) { label in LineLogHandler(label: label, level: level, format: format) }
    }
}

/// One message to stderr, through `TerminalOutput` so it never runs into a progress line.
func printError(_ message: String) {
    TerminalOutput.shared.writeLine(message)
}
