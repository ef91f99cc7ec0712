import ArgumentParser
import Foundation
import HeraldConfiguration
import HeraldCore
import HeraldParse
import HeraldStatus
import HeraldTime

#if canImport(Glibc)
    import Glibc
#endif

struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Extract saved article pages (or a listing page) and print what Herald would store.",
        discussion: """
            Reads local files, fetches nothing. The URL of a page defaults to its own canonical URL (link \
            rel=canonical, then og:url); pass --url when the page was saved from elsewhere, so relative links resolve.

            With --json each article prints as one object on its own line, for one file or many (JSON Lines: url, \
            canonical_url, content_id, title, section, authors, published, modified, lead, image, image_caption, \
            tags, body_html, body_text). With --listing, the article links found print as {"links":[{"url","timestamp"}],"next"}.

            Examples:
              herald parse saved/article.html --profile rfi
              herald parse pages/*.html --json > articles.jsonl
              find pages -name '*.html' | herald parse --files-from - --json > articles.jsonl
              herald parse --listing saved/section.html --url https://www.rfi.fr/cn/中国/ --json
            """)

    @Argument(help: ArgumentHelp("Saved HTML pages.", valueName: "file"))
    var files: [String] = []

    // For batches: a command line has a length limit, and the argument parser's time grows faster than the number
    // of positional arguments (about 20 ms for a thousand; callgrind: 300 M instructions in its value bookkeeping).
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also parse the pages listed in this file, one path per line ('-': standard input).", valueName: "path"))
    var filesFrom: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A saved listing page or feed: print its article links instead.",
            valueName: "file"))
    var listing: String?

    @Option(name: .long, help: ArgumentHelp("The page's URL (base for relative links).", valueName: "url"))
    var url: String?

    @Option(name: .long, help: ArgumentHelp("rfi, generic, or a profile name from --config.", valueName: "name"))
    var profile: String = "generic"

    @Option(name: .long, help: ArgumentHelp("html, rss, atom, sitemap or auto (with --listing).", valueName: "kind"))
    var kind: String = "auto"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only links whose canonical URL matches this regex (with --listing).",
            valueName: "regex"))
    var linkPattern: String?

    @Option(name: .long, help: ArgumentHelp("A config whose profiles --profile may name.", valueName: "path"))
    var config: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func validate() throws {
        if listing == nil && files.isEmpty && filesFrom == nil {
            throw ValidationError("give at least one page to parse (or --files-from LIST), or --listing FILE")
        }
        if listing != nil && (!files.isEmpty || filesFrom != nil) {
            throw ValidationError("--listing parses one listing; pass article pages in a separate call")
        }
        if url != nil && (files.count > 1 || filesFrom != nil) {
            throw ValidationError("--url applies to one page; pages parsed together each use their own canonical URL")
        }
    }

    func run() throws {
        let profile = try resolveProfile()
        if let listing {
            try parseListing(listing, profile: profile)
            return
        }
        let extractor: ArticleExtractor
        do { extractor = try ArticleExtractor(profile: profile) } catch {
            printError("herald: profile \(profile.name): \(error)")
            throw ExitCode.badConfig
        }
        var failures = 0
        var out = LineWriter()
        defer { out.flush() }
        for file in try files + listedFiles() {
            let bytes = try read(file)
            do {
                let parsed = try extractor.extract(body: bytes, contentType: nil, pageURL: url)
                if json {
                    out.line(bytes: ArticleJSON.object(parsed.article).renderedBytes())
                } else {
                    out.line(ArticleText.render(parsed.article))
                }
            } catch {
                failures += 1
                printError("herald: \(file): \(error)")
            }
        }
        if failures > 0 { throw ExitCode.badData }
    }

    private func parseListing(_ file: String, profile: Profile) throws {
        guard let kind = ListingKind(rawValue: kind) else {
            throw ValidationError("--kind \(self.kind): use html, rss, atom, sitemap or auto")
        }
        let bytes = try read(file)
        do {
            let extractor = try ListingExtractor(
                kind: kind, profile: profile, linkPattern: linkPattern, fullText: false)
            let listing = try extractor.extract(body: bytes, contentType: nil, pageURL: url)
            if json {
                let links = listing.links.map { link in
                    JSONOutput.object([
                        ("url", .string(link.url)),
                        ("timestamp", .optional(link.timestamp?.text)),
                    ])
                }
                print(JSONOutput.object([("links", .array(links)), ("next", .optional(listing.next))]).rendered())
            } else {
                for link in listing.links {
                    print([link.timestamp?.text ?? "-", link.url].joined(separator: "  "))
                }
                if let next = listing.next { print("next: \(next)") }
            }
        } catch {
            printError("herald: \(file): \(error)")
            throw ExitCode.badData
        }
    }

    private func resolveProfile() throws -> Profile {
        if profile == "rfi" { return .rfi }
        if profile == "generic" { return .generic }
        guard let config else {
            throw ValidationError(
                "--profile \(profile): not a built-in profile (rfi, generic); pass --config to use the config's profiles"
            )
        }
        let loaded: HeraldConfig
        do { loaded = try ConfigLoader.load(path: config) } catch {
            printError("herald: the configuration is not valid:\n\(error.description)")
            throw ExitCode.badConfig
        }
        guard let named = loaded.profiles[profile] else {
            throw ValidationError(
                "--profile \(profile): \(config) has no such profile (has: \(loaded.profiles.keys.sorted().joined(separator: ", ")))"
            )
        }
        return named
    }

    /// The paths `--files-from` lists, one per line (empty lines skipped).
    private func listedFiles() throws -> [String] {
        guard let filesFrom else { return [] }
        let bytes: [UInt8]?
        if filesFrom == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else {
            bytes = Self.contents(of: filesFrom)
        }
        guard let bytes else {
            printError("herald: cannot read the list of pages \(filesFrom)")
            throw ExitCode.noInput
        }
        return bytes.split(separator: UInt8(ascii: "\n")).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
    }

    private func read(_ file: String) throws -> [UInt8] {
        guard let bytes = Self.contents(of: file) else {
            printError("herald: cannot read \(file)")
            throw ExitCode.noInput
        }
        return bytes
    }

    /// The file's bytes, read straight into the array the extractor takes (FileManager's Data, then a copy into
    /// [UInt8], cost a second allocation and copy of each ~500 KB page).
    static func contents(of path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        guard size > 0 else { return [] }
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                let read = Glibc.read(fd, buffer.baseAddress! + count, size - count)
                if read < 0 && errno == EINTR { continue }
                if read <= 0 {
                    failed = read < 0
                    break
                }
                count += read
            }
        }
        return failed ? nil : bytes
    }
}
