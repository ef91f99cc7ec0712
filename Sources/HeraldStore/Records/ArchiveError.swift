package enum ArchiveError: Error, Sendable, CustomStringConvertible {
    case missing(path: String)
    case schemaTooOld(path: String, found: Int, latest: Int)
    case schemaTooNew(path: String, found: Int, latest: Int)
    case emptyQuery
    case searchIndexBuilding(path: String)

    package var description: String {
        switch self {
        case let .missing(path):
            "there is no database at \(path) (run `herald crawl` or the daemon first, or pass --database)"
        case let .schemaTooOld(path, found, latest):
            "\(path) has schema version \(found); this herald reads version \(latest): open it once with "
                + "`herald crawl` or the daemon of this version (as the database's owner) to upgrade it"
        case let .schemaTooNew(path, found, latest):
            "\(path) has schema version \(found) but this herald knows versions up to \(latest): upgrade herald"
        case .emptyQuery:
            "nothing to search for: give at least one word"
        case let .searchIndexBuilding(path):
            "the word search index of \(path) is still being built (schema v5, after an upgrade): the daemon or "
                + "`herald crawl` builds it when it opens the database; search again when it has finished"
        }
    }
}
