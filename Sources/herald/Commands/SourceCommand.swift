import ArgumentParser
import Foundation
import HeraldConfiguration
import HeraldCore
import HeraldParse
import HeraldStatus
import HeraldURL

struct SourceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Add sources to the config: from a site's address, or from a feed reader's OPML export.",
        discussion: """
            Both write into the config file as text, so its formatting and comments stay as they were; both check \
            the result as check-config does before writing anything, then ask a running daemon to reload.

            Examples:
              herald source add https://www.example.com/ --name example
              herald source import ~/Downloads/feeds.opml
            """,
        subcommands: [SourceAddCommand.self, SourceImportCommand.self])
}

struct SourceAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Discover a site (as herald discover does) and add its best source to the config.",
        discussion: """
            The block herald discover prints is appended to the config's "sources" (a new config file is written at \
            the usual place when there is none). The config is checked first: nothing is written when the result \
            would not load. Then a running daemon is asked to reload; when none runs, the source starts with the \
            next herald run or herald crawl.

            Exit status: 0 when the source was added, 1 when nothing to crawl was found or the site is already a \
            source, 64 for a bad URL or name, 78 when the config is (or would become) invalid.

            Example:
              herald source add https://www.rfi.fr/cn/ --name rfi-cn
            """)

    @Argument(help: ArgumentHelp("The site's homepage or a section page.", valueName: "url"))
    var url: String

    @Option(
        name: .long, help: ArgumentHelp("The source's name ([a-z0-9-]+; default: from the host).", valueName: "name"))
    var name: String?

    @OptionGroup var options: ConfigOptions

    @Flag(name: .long, help: "One JSON object: the config file, the source added, the discovery, the reload outcome.")
    var json = false

    func run() async throws {
        if let name, name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) {
            printError("herald: --name \(name): use lowercase letters, digits and '-' only")
            throw ExitCode.usage
        }
        let report = try await DiscoveryRun(url: url, options: options).report()
        guard let best = report.candidates.first else {
            printError("herald: nothing to crawl found at \(report.url): no feed, no sitemap, no article links")
            throw ExitCode.failure
        }
        let writer = SourceWriter(options: options)
        let existing = writer.existingSources()
        if let twin = existing.first(where: { $0.listing == best.listing }) {
            printError("herald: \(best.listing) is already the listing of source \"\(twin.name)\"")
            throw ExitCode.failure
        }
        let chosen = SourceWriter.unique(name ?? report.suggestedName, among: Set(existing.map(\.name)))
        guard let block = report.sourceBlock(name: chosen, indent: "    ") else { throw ExitCode.failure }
        let outcome = try writer.append([block])
        if json {
            print(
                JSONOutput.object([
                    ("config", .string(outcome.file)), ("created", .bool(outcome.created)), ("name", .string(chosen)),
                    ("listing", .string(best.listing)), ("kind", .string(best.kind.rawValue)),
                    ("reload", .string(outcome.reload.word)), ("reload_message", .string(outcome.reload.message)),
                    ("discovery", DiscoveryJSON.object(report, sample: 5, name: chosen)),
                ]).rendered())
        } else {
            print(
                "added source \"\(chosen)\" to \(outcome.file)\(outcome.created ? " (new file)" : ""): "
                    + "\(best.listing) (\(best.kind.rawValue)), \(best.why)")
            print(outcome.reload.message)
        }
    }
}

struct SourceImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add every feed of an OPML file (a feed reader's export) as a source.",
        discussion: """
            Each <outline xmlUrl=…> becomes a source (kind auto, profile generic, interval 30m) named after its \
            title (else its host); feeds the config already lists are skipped. Nothing is fetched. The config is \
            checked before writing, and a running daemon is asked to reload.

            Exit status: 0 when done (also when every feed was already there), 65 for a file that is not OPML, \
            66 when the file does not exist, 78 when the config is (or would become) invalid.

            Example:
              herald source import feeds.opml
            """)

    @Argument(help: ArgumentHelp("The OPML file.", valueName: "file"))
    var file: String

    @OptionGroup var options: ConfigOptions

    @Flag(name: .long, help: "One JSON object: the config file, the sources added, the feeds skipped, the reload.")
    var json = false

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            printError("herald: cannot read \(file): no such file")
            throw ExitCode.noInput
        }
        let feeds: [OPMLReader.Feed]
        do {
            feeds = try OPMLReader.feeds(in: Array(data), file: file)
        } catch {
            printError("herald: \(error)")
            throw ExitCode.badData
        }
        let writer = SourceWriter(options: options)
        let existing = writer.existingSources()
        var names = Set(existing.map(\.name))
        let listed = Set(existing.map(\.listing))
        var added: [(name: String, url: String)] = []
        var skipped: [String] = []
        var blocks: [String] = []
        for feed in feeds {
            if listed.contains(feed.url) {
                skipped.append(feed.url)
                continue
            }
            let name = SourceWriter.unique(SourceWriter.name(title: feed.title, url: feed.url), among: names)
            names.insert(name)
            added.append((name, feed.url))
            let members: [(String, String)] =
                [
                    ("name", name), ("listing", feed.url), ("kind", "auto"),
                    ("profile", "generic"), ("interval", "30m"),
                ]
                + (feed.title.map { [("displayName", $0)] } ?? [])
            blocks.append(
                "    {\n"
                    + members.map {
                        "      \(JSONOutput.string($0.0).rendered()): "
                            + JSONOutput.string($0.1).rendered()
                    }.joined(separator: ",\n") + "\n    }")
        }
        let outcome = blocks.isEmpty ? nil : try writer.append(blocks)
        if json {
            print(
                JSONOutput.object([
                    ("config", .string(outcome?.file ?? options.configPath)), ("feeds", .int(feeds.count)),
                    (
                        "added",
                        .array(added.map { .object([("name", .string($0.name)), ("listing", .string($0.url))]) })
                    ),
                    ("skipped", .strings(skipped)),
                    ("reload", .string(outcome?.reload.word ?? "not-needed")),
                ]).rendered())
            return
        }
        print(
            "\(file): \(feeds.count) feeds; added \(added.count)"
                + (skipped.isEmpty ? "" : ", \(skipped.count) already sources"))
        for source in added { print("  \(source.name)  \(source.url)") }
        if let outcome { print("\(outcome.file): \(outcome.reload.message)") }
    }
}

/// Writes new source blocks into the config file (creating it when missing), after checking the result loads, and
/// asks a running daemon to reload.
struct SourceWriter {
    let options: ConfigOptions

    enum Reload {
        case reloaded, notRunning
        case rejected(String)
        case failed(String)

        var word: String {
            switch self {
            case .reloaded: "reloaded"
            case .notRunning: "no-daemon"
            case .rejected: "rejected"
            case .failed: "failed"
            }
        }

        var message: String {
            switch self {
            case .reloaded: "the running daemon reloaded its config: the new source runs now"
            case .notRunning: "no daemon is running; the source starts with the next `herald run` or `herald crawl`"
            case let .rejected(why): "the running daemon rejected the reload and keeps its old config: \(why)"
            case let .failed(why): "could not ask the daemon to reload: \(why); run `herald reload`"
            }
        }
    }

    struct Outcome {
        var file: String
        var created: Bool
        var reload: Reload
    }

    /// The sources the config file holds now (none when it does not exist or does not load).
    func existingSources() -> [(name: String, listing: String)] {
        guard let config = try? ConfigLoader.load(path: options.configPath, forReading: true) else { return [] }
        return config.sources.map { ($0.name, $0.listing) }
    }

    func append(_ blocks: [String]) throws -> Outcome {
        let path = options.configPath
        let created = !FileManager.default.fileExists(atPath: path)
        let text: String
        if created {
            text = ConfigEditor.newConfig(with: blocks)
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                printError("herald: cannot read \(path)")
                throw ExitCode.noInput
            }
            do {
                text = try ConfigEditor.appendSources(blocks, to: String(decoding: data, as: UTF8.self))
            } catch {
                printError("herald: \(path): \(error.description)")
                throw ExitCode.badConfig
            }
        }
        // The check-config check, on the text about to be written.
        do {
            _ = try ConfigLoader.load(bytes: Array(text.utf8), file: path)
        } catch {
            printError("herald: not written: \(path) would not be a valid config:\n\(error.description)")
            throw ExitCode.badConfig
        }
        do {
            if created {
                try FileManager.default.createDirectory(
                    at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                    withIntermediateDirectories: true)
            }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            printError("herald: cannot write \(path): \(error.localizedDescription)")
            throw ExitCode.ioError
        }
        return Outcome(file: path, created: created, reload: reload(path))
    }

    private func reload(_ path: String) -> Reload {
        guard let socket = ConfigLoader.statusSocket(path: path) else { return .failed("no statusSocket in \(path)") }
        do {
            let reply = try StatusClient.request(socket: socket, method: "POST", path: "/reload")
            if (200..<300).contains(reply.status) { return .reloaded }
            let object = (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8))) as? [String: Any] ?? [:]
            let errors = (object["errors"] as? [String])?.joined(separator: "; ")
            return .rejected(errors ?? object["error"] as? String ?? "HTTP \(reply.status)")
        } catch {
            if case .notRunning = error { return .notRunning }
            return .failed(error.description)
        }
    }

    /// `base`, or `base-2`, `base-3`… when taken.
    static func unique(_ base: String, among taken: Set<String>) -> String {
        guard taken.contains(base) else { return base }
        var counter = 2
        while taken.contains("\(base)-\(counter)") { counter += 1 }
        return "\(base)-\(counter)"
    }

    /// A source name from a feed's title (ASCII letters and digits, lowercased), else from its host.
    static func name(title: String?, url: String) -> String {
        func slug(_ text: String) -> String {
            var out = ""
            for character in text.lowercased() {
                if character.isASCII, character.isLetter || character.isNumber {
                    out.append(character)
                } else if !out.isEmpty, out.last != "-" {
                    out.append("-")
                }
            }
            while out.hasSuffix("-") { out.removeLast() }
            return String(out.prefix(40))
        }
        if let title, slug(title).count >= 3 { return slug(title) }
        let host = CanonicalURL.host(of: url) ?? "feed"
        let fromHost = slug(host.hasPrefix("www.") ? String(host.dropFirst(4)) : host)
        return fromHost.isEmpty ? "feed" : fromHost
    }
}
