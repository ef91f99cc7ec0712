/// One thing wrong with a config file: where (file, line:column, field path), the value, and the rule it breaks.
package struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    package var file: String
    package var line: Int?
    package var column: Int?
    /// e.g. `sources[2].interval`; empty for the whole document.
    package var field: String
    package var message: String

    package var description: String {
        let location = line.map { "\(file):\($0):\(column ?? 1)" } ?? file
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}

/// Every problem found in one config file (validation does not stop at the first).
package struct ConfigError: Error, Sendable, CustomStringConvertible {
    package var problems: [ConfigProblem]

    package var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
