import Foundation
import HeraldParse
import HeraldStore
import HeraldTime

/// `herald export`: the archive as files, incremental and idempotent.
///
/// Layout under the output folder (the duty-machine/news archive's):
/// - `articles/<source>/<name>.md`: one record per article in the seed's format (`SeedMarkdown`).
/// - `lists/<source>.md`: the source's index, newest first, linking `../articles/<source>/<name>.md`.
/// - `<source>.jsonl` (`--format jsonl`): one `ArchiveJSON` object per article, ordered by id.
///
/// Idempotence comes from comparing before writing: a file is written (atomically: temp file, then rename) only when
/// its bytes differ from what is on disk, so a second export writes nothing and a revised article rewrites its one
/// file. The files are the export's only state: any folder can be exported into, copied or deleted, and the
/// database holds nothing about it. Files are never deleted: an article pruned from the database keeps its file (it
/// leaves the index).
package struct ArchiveExporter {
    package enum Format: String, Sendable, CaseIterable {
        case markdown, jsonl
    }

    /// How a source is shown: its index title and the time zone of its dates.
    package struct Style: Sendable {
        package var displayName: String
        package var timeZone: TimeZone

        package init(displayName: String, timeZone: TimeZone) {
            self.displayName = displayName
            self.timeZone = timeZone
        }
    }

    package struct SourceReport: Sendable, Equatable {
        package var source: String
        /// Articles looked at (all of the source's, or those fetched since `--since`).
        package var articles = 0
        /// Files (or JSON lines) written because they were new or different.
        package var written = 0
        package var unchanged = 0
        /// Whether the index file (markdown) or the JSON Lines file had to be rewritten.
        package var indexWritten = false
        /// Paths written, relative to the output folder.
        package var writtenPaths: [String] = []
    }

    let reader: ArchiveReader
    let folder: URL
    let style: (String) -> Style

    /// - Parameter style: the display name and time zone of a source by name (the config's, or defaults for a source
    ///   no longer configured).
    package init(reader: ArchiveReader, folder: URL, style: @escaping (String) -> Style) {
        self.reader = reader
        self.folder = folder
        self.style = style
    }

    /// Exports every source that has articles (or only `source`), the articles fetched at or after `fetchedSince`
    /// (ISO 8601 UTC) or all of them.
    package func export(format: Format, source: String? = nil, fetchedSince: Instant? = nil) throws -> [SourceReport] {
        let sources = try source.map { [$0] } ?? reader.sources()
        return try sources.map { name in
            // One snapshot per source: its files and its index agree even while the daemon writes.
            try reader.snapshot {
                switch format {
                case .markdown: try exportMarkdown(source: name, fetchedSince: fetchedSince)
                case .jsonl: try exportJSONLines(source: name, fetchedSince: fetchedSince)
                }
            }
        }
    }

    /// The file name of each article of one source, by id (see `ExportNaming`).
    package func fileNames(source: String) throws -> [Int64: String] {
        ExportNaming.fileNames(try reader.index(source: source))
    }

    private func exportMarkdown(source: String, fetchedSince: Instant?) throws -> SourceReport {
        let style = style(source)
        var report = SourceReport(source: source)
        let entries = try reader.index(source: source)
        let names = ExportNaming.fileNames(entries)
        let articleFolder = "articles/\(source)"
        try reader.forEachArticle(source: source, fetchedSince: fetchedSince) { article in
            report.articles += 1
            guard let name = names[article.id] else { return }
            let path = "\(articleFolder)/\(name)"
            let text = SeedMarkdown.record(article, timeZone: style.timeZone)
            if try Self.writeIfChanged(Array(text.utf8), to: folder.appendingPathComponent(path)) {
                report.written += 1
                report.writtenPaths.append(path)
            } else {
                report.unchanged += 1
            }
        }
        let index = SeedMarkdown.index(
            displayName: style.displayName,
            entries: entries.compactMap { entry in names[entry.id].map { (entry, "../\(articleFolder)/\($0)") } },
            timeZone: style.timeZone)
        let indexPath = "lists/\(source).md"
        if try Self.writeIfChanged(Array(index.utf8), to: folder.appendingPathComponent(indexPath)) {
            report.indexWritten = true
            report.writtenPaths.append(indexPath)
        }
        return report
    }

    /// `<source>.jsonl`, merged by id: the selected articles replace or join the lines already there, the others stay.
    private func exportJSONLines(source: String, fetchedSince: Instant?) throws -> SourceReport {
        var report = SourceReport(source: source)
        let path = "\(source).jsonl"
        let file = folder.appendingPathComponent(path)
        var lines: [Int64: String] = [:]
        if let existing = FileManager.default.contents(atPath: file.path) {
            for line in String(decoding: existing, as: UTF8.self).split(separator: "\n") {
                if let id = Self.leadingID(line) { lines[id] = String(line) }
            }
        }
        try reader.forEachArticle(source: source, fetchedSince: fetchedSince) { article in
            report.articles += 1
            let line = ArchiveJSON.object(article).rendered()
            if lines[article.id] == line {
                report.unchanged += 1
            } else {
                lines[article.id] = line
                report.written += 1
            }
        }
        let text = lines.keys.sorted().map { lines[$0]! + "\n" }.joined()
        if try Self.writeIfChanged(Array(text.utf8), to: file) {
            report.indexWritten = true
            report.writtenPaths.append(path)
        }
        return report
    }

    /// Streams the selected articles as JSON Lines (for `--out -`).
    package func writeJSONLines(source: String?, fetchedSince: Instant?, _ emit: (String) -> Void) throws {
        try reader.snapshot {
            try reader.forEachArticle(source: source, fetchedSince: fetchedSince) { article in
                emit(ArchiveJSON.object(article).rendered())
            }
        }
    }

    /// The id at the start of a line this exporter wrote (`{"id":123,…`).
    static func leadingID(_ line: Substring) -> Int64? {
        let prefix = "{\"id\":"
        guard line.hasPrefix(prefix) else { return nil }
        return Int64(line.dropFirst(prefix.count).prefix { $0.isASCII && $0.isNumber })
    }

    /// Writes `bytes` to `url` unless the file already holds exactly them; true when it wrote. The size is compared
    /// first, so an unchanged archive costs one stat per file and a read only when the sizes agree.
    static func writeIfChanged(_ bytes: [UInt8], to url: URL) throws -> Bool {
        let manager = FileManager.default
        if let size = (try? manager.attributesOfItem(atPath: url.path))?[.size] as? Int, size == bytes.count,
            let existing = manager.contents(atPath: url.path), existing.elementsEqual(bytes)
        {
            return false
        }
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url, options: .atomic)
        return true
    }
}

/// Export file names: stable (the same article always gets the same name) and safe on any filesystem.
///
/// - `<content_id>.md` when the publisher's id is 1–100 characters of `A–Z a–z 0–9 . _ -` not starting with a dot
///   (RFI: `WBMZ120004-RFI-CN-20231028.md`).
/// - otherwise `u-<16 hex>.md`: the first 16 hex digits of the SHA-256 of the article's `url` (the dedup key, which
///   never changes).
/// - Two articles of one source sharing a content id (rare: the same story stored under two hosts): the one stored
///   first (lowest id) keeps `<content_id>.md`, the other gets `<content_id>-<8 hex of its url hash>.md`.
package enum ExportNaming {
    package static func fileNames(_ articles: [ArticleSummary]) -> [Int64: String] {
        var owner: [String: Int64] = [:]
        for article in articles {
            guard let id = article.contentID, isSafe(id) else { continue }
            owner[id] = min(owner[id] ?? article.id, article.id)
        }
        var names: [Int64: String] = [:]
        for article in articles {
            let hash = SHA256.hex(article.url)
            if let id = article.contentID, isSafe(id) {
                names[article.id] = owner[id] == article.id ? "\(id).md" : "\(id)-\(hash.prefix(8)).md"
            } else {
                names[article.id] = "u-\(hash.prefix(16)).md"
            }
        }
        return names
    }

    static func isSafe(_ id: String) -> Bool {
        guard (1...100).contains(id.utf8.count), !id.hasPrefix(".") else { return false }
        return id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
