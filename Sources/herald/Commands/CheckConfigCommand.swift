import ArgumentParser
import HeraldConfiguration
import HeraldCore
import HeraldStatus

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

    @Flag(name: .long, help: "One JSON object: valid, the problems (file, line, column, field, message), warnings.")
    var json = false

    func run() throws {
        guard json else {
            let config = try options.load()
            for warning in config.warnings { printError("warning: \(warning)") }
            let enabled = config.sources.filter(\.enabled).count
            print(
                "\(config.file): OK (\(config.sources.count) sources, \(enabled) enabled; database \(config.database))")
            for line in KeepDaysPreview(config: config)?.lines ?? [] { print("  \(line)") }
            return
        }
        options.printLookupNote()
        do {
            let config = try ConfigLoader.load(path: options.configPath)
            print(
                JSONOutput.object([
                    ("file", .string(config.file)), ("valid", .bool(true)), ("problems", .array([])),
                    ("warnings", .strings(config.warnings)), ("sources", .int(config.sources.count)),
                    ("enabled", .int(config.sources.filter(\.enabled).count)), ("database", .string(config.database)),
                    ("keep_days_preview", .strings(KeepDaysPreview(config: config)?.lines ?? [])),
                ]).rendered())
        } catch {
            let problems = error.problems.map { problem in
                JSONOutput.object([
                    ("file", .string(problem.file)), ("line", .optional(problem.line)),
                    ("column", .optional(problem.column)), ("field", .string(problem.field)),
                    ("message", .string(problem.message)),
                ])
            }
            print(
                JSONOutput.object([
                    ("file", .string(options.configPath)), ("valid", .bool(false)),
                    ("problems", .array(problems)),
                ]).rendered())
            throw ExitCode.badConfig
        }
    }
}
