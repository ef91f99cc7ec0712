import ArgumentParser
import HeraldCore

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a config file and print every problem found.",
        discussion: """
            Exits 0 when the file is valid (warnings, such as intervals under a minute, are printed but do not fail), \
            or prints each problem as FILE:LINE:COLUMN: FIELD: MESSAGE and exits 78. When the database exists, it \
            also says how many stored articles each source's keepDays would delete.

            Example:
              herald check-config --config /etc/herald/config.json
            """)

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        for warning in config.warnings { printError("warning: \(warning)") }
        let enabled = config.sources.filter(\.enabled).count
        print("\(config.file): OK (\(config.sources.count) sources, \(enabled) enabled; database \(config.database))")
        for line in KeepDaysPreview(config: config)?.lines ?? [] { print("  \(line)") }
    }
}
