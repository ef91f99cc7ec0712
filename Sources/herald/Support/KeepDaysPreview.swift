import Foundation
import HeraldConfiguration
import HeraldCore
import HeraldStore

/// What a config's `keepDays` would delete from the stored archive, said before it happens: `check-config` prints
/// it, and `reload` refuses a change that would delete `confirmThreshold` (20) articles or more without `--confirm`
/// (lowering keepDays once deleted every stored article on the next pass, with no preview).
struct KeepDaysPreview {
    static let confirmThreshold = 20

    struct Entry {
        var source: String
        var keepDays: Int
        var articles: Int
    }

    let entries: [Entry]

    /// For every source of `config` that sets keepDays (or only those `changed` says), the articles now older
    /// than it. Nil when the database cannot be read by this user (or does not exist yet): nothing to preview.
    init?(config: HeraldConfig, now: Date = Date(), changed: (SourceConfig) -> Bool = { _ in true }) {
        guard let reader = try? ArchiveReader(path: config.database) else { return nil }
        var entries: [Entry] = []
        for source in config.sources where changed(source) {
            guard let days = source.keepDays else { continue }
            let cutoff = Retention.cutoff(keepDays: days, now: now)
            guard let count = try? reader.prunableCount(source: source.name, before: cutoff) else { return nil }
            entries.append(Entry(source: source.name, keepDays: days, articles: count))
        }
        self.entries = entries
    }

    var total: Int { entries.reduce(0) { $0 + $1.articles } }

    var lines: [String] {
        entries.filter { $0.articles > 0 }.map {
            "\($0.source): keepDays \($0.keepDays) would delete \($0.articles) stored article\($0.articles == 1 ? "" : "s") "
                + "(those older than \($0.keepDays) days; revisions too, tombstones kept)"
        }
    }
}
