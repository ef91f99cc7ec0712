/// One thing wrong with a config file: where (file, line:column, field path), the value, and the rule it breaks.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// e.g. `sources[2].interval`; empty for the whole document.
    public var field: String
    public var message: String

    public var description: String {
        let location = line.map { "\(file):\($0):\(column ?? 1)" } ?? file
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}

/// Every problem found in one config file (validation does not stop at the first).
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
