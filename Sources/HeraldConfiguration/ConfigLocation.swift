import Foundation

/// Where a command finds its config when `--config` is not given (docs/config.md, "Which file"):
/// `$HERALD_CONFIG`, then `$XDG_CONFIG_HOME/herald/config.json` (`~/.config/…` when unset), then
/// `/etc/herald/config.json`, then `./config.json`, the last only when it is a Herald config: another program's
/// `config.json` in the working directory is not taken for Herald's, and the note says so.
package enum ConfigLocation {
    package struct Found: Equatable, Sendable {
        package var path: String
        /// A sentence for stderr when the lookup skipped something or found nothing.
        package var note: String?
    }

    package static let systemPath = "/etc/herald/config.json"

    package static func find(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) },
        isHeraldConfig: (String) -> Bool = ConfigLoader.looksLikeHeraldConfig
    ) -> Found {
        if let explicit { return Found(path: explicit) }
        if let path = environment["HERALD_CONFIG"], !path.isEmpty { return Found(path: path) }
        var searched: [String] = []
        let configHome =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HOME"].map { $0 + "/.config" }
        if let configHome {
            let user = configHome + "/herald/config.json"
            if exists(user) { return Found(path: user) }
            searched.append(user)
        }
        if exists(systemPath) { return Found(path: systemPath) }
        searched.append(systemPath)
        let local = "config.json"
        if exists(local) {
            if isHeraldConfig(local) { return Found(path: local) }
            return Found(
                path: systemPath,
                note: "./config.json is not a Herald config (it has no \"sources\" list), so "
                    + "it was not used; looked for one in \(searched.joined(separator: ", ")) too; pass --config PATH")
        }
        searched.append("./config.json")
        return Found(
            path: systemPath,
            note: "no config file found (looked in \(searched.joined(separator: ", "))); "
                + "pass --config PATH or set HERALD_CONFIG")
    }
}

extension ConfigLoader {
    /// A JSON object (comments allowed) with a `sources` list: what every Herald config has.
    package static func looksLikeHeraldConfig(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path),
            case let .object(members, _)? = try? JSONParser.parse(Array(data)),
            case .array? = members.first(where: { $0.key == "sources" })?.value
        else { return false }
        return true
    }
}
