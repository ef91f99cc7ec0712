import Foundation
import HeraldParse
import HeraldStatus
import HeraldURL

/// Reads and validates config.json. Every problem is reported (with file, line:column, field path, value and rule),
/// unknown keys included; `check-config`, start-up and SIGHUP reloads all go through here.
package enum ConfigLoader {
    static let topLevelKeys = [
        "database", "statusSocket", "userAgent", "concurrency", "perHost", "timeouts",
        "maxBodyBytes", "maxRedirects", "retries", "respectRobotsTxt", "blockPrivateAddresses",
        "logLevel", "logFormat", "metricsListen", "mirrors", "sources", "profiles",
    ]
    static let sourceKeys = [
        "name", "displayName", "listing", "kind", "interval", "jitter", "linkPattern", "profile",
        "maxPages", "maxArticlesPerPass", "fullText", "enabled", "timeZone", "keepDays",
    ]
    static let profileKeys = ["title", "published", "modified", "authors", "lead", "image", "body", "remove", "links"]
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
    package static let defaultUserAgent = "Herald/\(HeraldVersion.current) (news archiver)"

    /// - Parameter forReading: for commands that only read the database (`articles`, `show`, `search`, `export`): the
    ///   database's folder need not be writable by this user (a member of group herald reading the daemon's data).
    package static func load(path: String, forReading: Bool = false) throws(ConfigError) -> HeraldConfig {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let data = FileManager.default.contents(atPath: absolute) else {
            let reason =
                FileManager.default.fileExists(atPath: absolute) ? "cannot be read (permissions?)" : "does not exist"
            throw ConfigError(problems: [ConfigProblem(file: absolute, field: "", message: "the config file \(reason)")]
            )
        }
        return try load(bytes: Array(data), file: absolute, forReading: forReading)
    }

    /// Just the status socket of a config file, without validating the rest: `herald status` must find a running
    /// daemon even while someone is editing its config into an invalid state.
    package static func statusSocket(path: String) -> String? {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let data = FileManager.default.contents(atPath: absolute),
            case let .object(members, _)? = try? JSONParser.parse(Array(data))
        else { return nil }
        var socket = "herald.sock"
        if case let .string(value, _)? = members.first(where: { $0.key == "statusSocket" })?.value { socket = value }
        return resolve(socket, against: URL(fileURLWithPath: absolute).deletingLastPathComponent())
    }

    /// Parses `bytes` as the config file at `file` (its folder anchors relative paths).
    package static func load(bytes: [UInt8], file: String, forReading: Bool = false) throws(ConfigError) -> HeraldConfig
    {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw ConfigError(problems: [
                ConfigProblem(
                    file: file, line: error.position.line,
                    column: error.position.column, field: "",
                    message: "invalid JSON: \(error.message)")
            ])
        }
        let reader = ConfigReader(file: file)
        let config = read(
            document, reader: reader, folder: URL(fileURLWithPath: file).deletingLastPathComponent(),
            forReading: forReading)
        guard reader.problems.isEmpty, var config else { throw ConfigError(problems: reader.problems) }
        config.warnings = reader.warnings
        return config
    }

    private static func read(
        _ document: JSONValue, reader: ConfigReader, folder: URL,
        forReading: Bool
    ) -> HeraldConfig? {
        guard let top = reader.object(document, field: "", allowed: topLevelKeys) else { return nil }
        let file = reader.file

        let database = resolve(reader.string(top, "database", in: "") ?? "herald.db", against: folder)
        if !forReading {
            checkWritableFolder(for: database, field: "database", at: top["database"]?.position, reader: reader)
        }
        let socket = resolve(reader.string(top, "statusSocket", in: "") ?? "herald.sock", against: folder)
        if socket.utf8.count > 107 {
            reader.problem(
                "statusSocket", at: top["statusSocket"]?.position,
                "\"\(socket)\" is \(socket.utf8.count) bytes; a Unix socket path holds at most 107")
        }

        let perHost = top["perHost"].flatMap {
            reader.object($0.value, field: "perHost", allowed: ["concurrency", "delay"])
        }
        let timeouts = top["timeouts"].flatMap {
            reader.object($0.value, field: "timeouts", allowed: ["connect", "total", "lowSpeed"])
        }
        let logLevel = reader.string(top, "logLevel", in: "") ?? "info"
        if !logLevels.contains(logLevel) {
            reader.problem(
                "logLevel", at: top["logLevel"]?.position,
                "\"\(logLevel)\" is not a log level (\(logLevels.joined(separator: ", ")))")
        }

        let logFormatText = reader.string(top, "logFormat", in: "") ?? "logfmt"
        let logFormat = LogFormat(rawValue: logFormatText)
        if logFormat == nil {
            reader.problem(
                "logFormat", at: top["logFormat"]?.position, "\"\(logFormatText)\" is not a log format (logfmt, json)")
        }
        var metricsListen: MetricsAddress?
        if let text = reader.string(top, "metricsListen", in: "") {
            metricsListen = MetricsAddress(text)
            if metricsListen == nil {
                reader.problem(
                    "metricsListen", at: top["metricsListen"]?.position,
                    "\"\(text)\" is not a numeric address and port, such as \"127.0.0.1:9464\" or \"[::1]:9464\"")
            }
        }

        let profiles = readProfiles(top["profiles"], reader: reader)
        let sources = readSources(top["sources"], profiles: profiles, reader: reader)

        return HeraldConfig(
            file: file,
            database: database,
            statusSocket: socket,
            userAgent: reader.string(top, "userAgent", in: "") ?? defaultUserAgent,
            concurrency: reader.int(top, "concurrency", in: "", range: 1...256) ?? 4,
            perHost: .init(
                concurrency: perHost.flatMap { reader.int($0, "concurrency", in: "perHost", range: 1...64) } ?? 2,
                delay: perHost.flatMap { reader.duration($0, "delay", in: "perHost", minimum: 0) } ?? 1),
            timeouts: .init(
                connect: timeouts.flatMap { reader.duration($0, "connect", in: "timeouts", minimum: 0.1) } ?? 10,
                total: timeouts.flatMap { reader.duration($0, "total", in: "timeouts", minimum: 0.1) } ?? 60,
                lowSpeed: timeouts.flatMap { reader.duration($0, "lowSpeed", in: "timeouts", minimum: 0.1) } ?? 20),
            maxBodyBytes: reader.int(top, "maxBodyBytes", in: "", range: 1024...(1 << 31)) ?? 8 << 20,
            maxRedirects: reader.int(top, "maxRedirects", in: "", range: 0...30) ?? 5,
            retries: reader.int(top, "retries", in: "", range: 0...10) ?? 2,
            respectRobotsTxt: reader.bool(top, "respectRobotsTxt", in: "") ?? true,
            blockPrivateAddresses: reader.bool(top, "blockPrivateAddresses", in: "") ?? false,
            logLevel: logLevel,
            logFormat: logFormat ?? .logfmt,
            metricsListen: metricsListen,
            mirrors: readMirrors(top["mirrors"], reader: reader),
            sources: sources,
            profiles: profiles,
            warnings: [])
    }

    private static func readSources(
        _ entry: (value: JSONValue, position: JSONPosition)?,
        profiles: [String: Profile], reader: ConfigReader
    ) -> [SourceConfig] {
        guard let entry else {
            reader.problem("sources", at: nil, "missing: list at least one source (see docs/config.md)")
            return []
        }
        guard case let .array(items, _) = entry.value else {
            reader.problem("sources", at: entry.position, "expected an array of sources, got \(entry.value.summary)")
            return []
        }
        // An empty list is as wrong as a missing one (found by fuzzing): a daemon with nothing to crawl is a mistake,
        // and `"enabled": false` is how to keep a source without running it.
        if items.isEmpty {
            reader.problem(
                "sources", at: entry.position, "the list is empty: list at least one source (see docs/config.md)")
        }
        var seen: [String: Int] = [:]
        var sources: [SourceConfig] = []
        for (index, item) in items.enumerated() {
            let field = "sources[\(index)]"
            guard let members = reader.object(item, field: field, allowed: sourceKeys) else { continue }
            // Duplicates are reported even when the first source is invalid for another reason.
            if case let .string(name, _)? = members["name"]?.value {
                if let first = seen[name] {
                    reader.problem(
                        "\(field).name", at: members["name"]?.position,
                        "\"\(name)\" is already the name of sources[\(first)]; names must be unique")
                } else {
                    seen[name] = index
                }
            }
            if let source = readSource(members, field: field, at: item.position, profiles: profiles, reader: reader) {
                sources.append(source)
            }
        }
        return sources
    }

    private static func readSource(
        _ members: ConfigReader.Members, field: String, at position: JSONPosition,
        profiles: [String: Profile], reader: ConfigReader
    ) -> SourceConfig? {
        let name = reader.string(members, "name", in: field)
        if name == nil, members["name"] == nil {
            reader.problem("\(field).name", at: position, "missing (e.g. \"rfi-cn\")")
        }
        if let name, name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) {
            reader.problem(
                "\(field).name", at: members["name"]?.position,
                "\"\(name)\" must be lowercase letters, digits and '-' only ([a-z0-9-]+)")
        }
        let listing = reader.httpURL(members, "listing", in: field)
        if members["listing"] == nil {
            reader.problem("\(field).listing", at: position, "missing: the listing page or feed URL")
        }

        var kind = ListingKind.auto
        if let text = reader.string(members, "kind", in: field) {
            if let parsed = ListingKind(rawValue: text) {
                kind = parsed
            } else {
                reader.problem(
                    "\(field).kind", at: members["kind"]?.position,
                    "\"\(text)\" is not a listing kind (html, rss, atom, sitemap, auto)")
            }
        }
        let interval = reader.duration(members, "interval", in: field, minimum: 1) ?? 900
        if interval < 60 {
            reader.warn(
                "\(field).interval",
                "\(DurationText.format(interval)) is under a minute: fine for tests, "
                    + "impolite to a real site")
        }
        let jitter = reader.duration(members, "jitter", in: field, minimum: 0) ?? min(60, interval / 10)
        if jitter >= interval {
            reader.problem(
                "\(field).jitter", at: members["jitter"]?.position,
                "\(DurationText.format(jitter)) must be smaller than the interval (\(DurationText.format(interval)))")
        }
        let linkPattern = reader.string(members, "linkPattern", in: field)
        if let linkPattern {
            do { _ = try NSRegularExpression(pattern: linkPattern) } catch {
                reader.problem(
                    "\(field).linkPattern", at: members["linkPattern"]?.position,
                    "\"\(linkPattern)\" is not a valid regular expression")
            }
        }
        let profileName = reader.string(members, "profile", in: field) ?? "generic"
        let profile = profiles[profileName] ?? builtInProfile(profileName)
        if profile == nil {
            let known = (["rfi", "generic"] + profiles.keys.sorted()).joined(separator: ", ")
            reader.problem(
                "\(field).profile", at: members["profile"]?.position,
                "\"\(profileName)\" is not a profile (known: \(known))")
        }
        let timeZone = reader.string(members, "timeZone", in: field) ?? (profileName == "rfi" ? "Europe/Paris" : "UTC")
        if TimeZone(identifier: timeZone) == nil {
            reader.problem(
                "\(field).timeZone", at: members["timeZone"]?.position,
                "\"\(timeZone)\" is not a time zone name (e.g. \"Europe/Paris\", \"UTC\")")
        }
        guard let name, let listing, let profile else { return nil }
        return SourceConfig(
            name: name,
            displayName: reader.string(members, "displayName", in: field) ?? name,
            listing: listing,
            kind: kind,
            interval: interval,
            jitter: jitter,
            linkPattern: linkPattern,
            profile: profile,
            maxPages: reader.int(members, "maxPages", in: field, range: 1...1000) ?? 1,
            maxArticlesPerPass: reader.int(members, "maxArticlesPerPass", in: field, range: 1...100_000) ?? 200,
            fullText: reader.bool(members, "fullText", in: field) ?? false,
            enabled: reader.bool(members, "enabled", in: field) ?? true,
            timeZone: timeZone,
            keepDays: reader.int(members, "keepDays", in: field, range: 1...36_500))
    }

    static func builtInProfile(_ name: String) -> Profile? {
        switch name {
        case "rfi": .rfi
        case "generic": .generic
        default: nil
        }
    }

    private static func readProfiles(
        _ entry: (value: JSONValue, position: JSONPosition)?,
        reader: ConfigReader
    ) -> [String: Profile] {
        guard let entry else { return [:] }
        guard case let .object(members, _) = entry.value else {
            reader.problem(
                "profiles", at: entry.position, "expected an object of named profiles, got \(entry.value.summary)")
            return [:]
        }
        var profiles: [String: Profile] = [:]
        for member in members {
            let field = "profiles.\(member.key)"
            if builtInProfile(member.key) != nil {
                reader.problem(field, at: member.position, "\"\(member.key)\" is a built-in profile; pick another name")
                continue
            }
            guard let fields = reader.object(member.value, field: field, allowed: profileKeys) else { continue }
            var xpaths = Profile.CustomXPaths()
            for key in ["title", "published", "modified", "authors", "lead", "image", "body", "links"] {
                guard let expression = reader.string(fields, key, in: field) else { continue }
                guard let problem = XPathCheck.problem(in: expression) else {
                    switch key {
                    case "title": xpaths.title = expression
                    case "published": xpaths.published = expression
                    case "modified": xpaths.modified = expression
                    case "authors": xpaths.authors = expression
                    case "lead": xpaths.lead = expression
                    case "image": xpaths.image = expression
                    case "body": xpaths.body = expression
                    default: xpaths.links = expression
                    }
                    continue
                }
                reader.problem(
                    "\(field).\(key)", at: fields[key]?.position, "\"\(expression)\" is not valid XPath: \(problem)")
            }
            if let remove = fields["remove"] {
                if case let .array(items, _) = remove.value {
                    for (index, item) in items.enumerated() {
                        guard case let .string(expression, _) = item else {
                            reader.problem(
                                "\(field).remove[\(index)]", at: item.position,
                                "expected an XPath string, got \(item.summary)")
                            continue
                        }
                        if let problem = XPathCheck.problem(in: expression) {
                            reader.problem(
                                "\(field).remove[\(index)]", at: item.position,
                                "\"\(expression)\" is not valid XPath: \(problem)")
                        } else {
                            xpaths.remove.append(expression)
                        }
                    }
                } else {
                    reader.problem(
                        "\(field).remove", at: remove.position,
                        "expected an array of XPath strings, got \(remove.value.summary)")
                }
            }
            if xpaths.body == nil, xpaths.title == nil {
                reader.warn(field, "sets neither title nor body: everything falls back to the generic profile")
            }
            profiles[member.key] = Profile(name: member.key, kind: .custom(xpaths))
        }
        return profiles
    }

    private static func readMirrors(
        _ entry: (value: JSONValue, position: JSONPosition)?,
        reader: ConfigReader
    ) -> [HeraldConfig.Mirror] {
        guard let entry else { return [] }
        guard case let .object(members, _) = entry.value else {
            reader.problem(
                "mirrors", at: entry.position,
                "expected an object such as {\"https://www.rfi.fr\": \"http://127.0.0.1:8080\"}, got \(entry.value.summary)"
            )
            return []
        }
        var mirrors: [HeraldConfig.Mirror] = []
        for member in members {
            let field = "mirrors[\"\(member.key)\"]"
            guard case let .string(replacement, _) = member.value else {
                reader.problem(field, at: member.position, "expected an origin string, got \(member.value.summary)")
                continue
            }
            for origin in [member.key, replacement] where !isOrigin(origin) {
                reader.problem(
                    field, at: member.position,
                    "\"\(origin)\" is not an http(s) origin (scheme://host[:port], no path)")
            }
            mirrors.append(.init(origin: member.key, replacement: replacement))
        }
        return mirrors
    }

    static func isOrigin(_ text: String) -> Bool {
        guard let url = AbsoluteURL(text), url.scheme == "http" || url.scheme == "https",
            url.host?.isEmpty == false
        else { return false }
        return url.path.isEmpty && url.query == nil && url.fragment == nil
    }

    static func resolve(_ path: String, against folder: URL) -> String {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        return folder.appendingPathComponent(path).standardizedFileURL.path
    }

    /// The database's folder must exist and be writable (SQLite also creates -wal and -shm files beside it).
    private static func checkWritableFolder(
        for file: String, field: String, at position: JSONPosition?,
        reader: ConfigReader
    ) {
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
            reader.problem(field, at: position, "the folder \(folder) does not exist")
        } else if access(folder, W_OK) != 0 {
            reader.problem(field, at: position, "the folder \(folder) is not writable by this user")
        }
    }
}
