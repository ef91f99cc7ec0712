import Foundation
import HeraldTime

/// How `herald search` orders its results.
package enum SearchSort: String, Sendable, CaseIterable {
    /// bm25 (title weighted 10, lead 5, authors 2, body 1) when at most `ArchiveReader.rankedCandidates` articles
    /// match; beyond that the most recently stored first (FTS5's bm25 counts every match before scoring one).
    case relevance
    /// Newest first by publication time.
    case date
}

/// Filters `herald search` applies besides the query.
package struct SearchFilter: Sendable, Equatable {
    package var source: String?
    /// Published (or, without a publication time, first seen) at or after this instant.
    package var since: Instant?
    /// … and before this one.
    package var until: Instant?
    package init(source: String? = nil, since: Instant? = nil, until: Instant? = nil) {
        self.source = source
        self.since = since
        self.until = until
    }
}

/// `herald search`: two FTS5 indexes, each answering what it answers best.
///
/// - `articles_search` (schema v5, see `SearchText`) answers every word made only of CJK characters, whatever its
///   length (a two-character word is one token, a longer one a phrase of pairs, one character a prefix), and the
///   short Latin or mixed words (`AI`, `G7`, `A股`: words beginning with them).
/// - `articles_fts` (trigram, since v9 over the non-CJK text only) answers the other words of three characters or
///   more (`T-Dome`, `NDTV`, `"White House"`): substrings, case-insensitive. A mixed word (`400亿美元`) is asked
///   there in its Latin form (`400` + U+0001) and checked on the row.
/// - A word with no letter, digit or CJK character shorter than three characters (`。`, `-`) is checked on the row.
///
/// The table that answers most required groups drives the query (one FTS5 `MATCH` with its AND, OR and NOT); the
/// other words become `rowid IN (… MATCH …)` conditions. Relevance ranks with bm25 when at most `rankedCandidates`
/// articles match; a query matching more lists the most recently stored first, so a word in half the archive costs
/// a bounded amount. When no index answers a whole group but a group's alternatives each have an index (`美元 OR
/// T-Dome`), each alternative's index drives its own arm and the arms' rowids are united (`SearchPlan.union`). A
/// query with no indexed group at all (only unindexed punctuation) scans the articles newest first.
extension ArchiveReader {
    /// How many of the newest matches relevance ranks.
    package static let rankedCandidates = 2_000
    /// Above this many matches, `--sort date` walks the publication-time index and checks each article against the
    /// index (a common word: a page is found in a few hundred checks); up to it, the matches are sorted.
    static let dateSortWalkThreshold = 5_000

    /// Articles matching `query` (see `SearchQuery`), a page of them, with snippets.
    ///
    /// - Parameters:
    ///   - highlight: what goes before and after each match in the snippet (e.g. `[` and `]`, or terminal bold).
    package func search(
        _ query: SearchQuery, filter: SearchFilter = SearchFilter(), sort: SearchSort = .relevance,
        limit: Int = 20, offset: Int = 0,
        highlight: (open: String, close: String) = ("[", "]")
    ) throws -> [SearchHit] {
        try search(
            query, filter: filter, sort: sort, limit: limit, offset: offset, highlight: highlight,
            dateWalkThreshold: Self.dateSortWalkThreshold)
    }

    /// `search` with its thresholds given (tests reach the plans a small corpus would not: `rankedCandidates: 0`
    /// lists newest stored first, `dateWalkThreshold: 0` walks the publication-time index).
    func search(
        _ query: SearchQuery, filter: SearchFilter = SearchFilter(), sort: SearchSort = .relevance,
        limit: Int = 20, offset: Int = 0, highlight: (open: String, close: String) = ("[", "]"),
        dateWalkThreshold: Int, rankedCandidates: Int = ArchiveReader.rankedCandidates
    ) throws -> [SearchHit] {
        let plan = try plan(query, filter: filter)
        let pageParameters: [SQLValue] = [.integer(limit), .integer(offset)]
        // First the page's ids (and scores), touching only the index and the rows' first pages; then the columns of
        // those ids alone (a row's lead and body_text sit on overflow pages: reading them for every candidate before
        // the LIMIT would cost more than the search).
        let page: [(id: Int64, score: Double?)]
        if let driver = plan.driver {
            // The words of other indexes as rowid lists (`intersected` in list form), for the plans that need them.
            let conditions = plan.conditions + plan.intersectedConditions
            let join = conditions.isEmpty ? "" : " JOIN articles a ON a.id = \(driver.table).rowid"
            let where_ = "\(driver.table) MATCH ?" + conditions.map { " AND " + $0 }.joined()
            let parameters = [SQLValue.text(driver.match)] + plan.parameters + plan.intersectedParameters
            switch sort {
            case .relevance:
                let cap = max(rankedCandidates, offset + limit)
                // FTS5's bm25 counts every match of each phrase for its IDF before scoring the first row, so a ranked
                // page of a word in most of the archive costs as much as --count (193 ms for 欧盟要求 on 1,000,000
                // articles). Beyond `cap` matches (found lazily, stopping at cap + 1) the page is newest stored first.
                let ranked =
                    try driver.ranked
                    && db.scalarInt(
                        """
                        SELECT count(*) FROM (SELECT 1 FROM \(driver.table) WHERE \(driver.table) MATCH ? LIMIT ?)
                        """, [.text(driver.match), .integer(cap + 1)]) <= cap
                if !ranked, !plan.intersected.isEmpty {
                    // Words in other indexes: the indexes' rowid streams merged newest first (no list built), and a
                    // page stops after its own rows (COP 美元: the list of COP's 491,839 rowids took 57-81 ms).
                    let (merged, mergedParameters) = Self.intersection(driver, plan.intersected, descending: true)
                    page = try db.query(
                        """
                        SELECT c.id FROM (\(merged)) c
                        \(plan.conditions.isEmpty ? "" : "CROSS JOIN articles a ON a.id = c.id WHERE " + plan.conditions.joined(separator: " AND "))
                        LIMIT ? OFFSET ?
                        """, mergedParameters + plan.parameters + pageParameters
                    ) { ($0.int64(0), nil) }
                } else {
                    page = try db.query(
                        """
                        SELECT id, score FROM (
                            SELECT \(driver.table).rowid AS id, \(ranked ? driver.score : "NULL") AS score
                            FROM \(driver.table)\(join) WHERE \(where_)
                            ORDER BY \(driver.table).rowid DESC LIMIT ?)
                        ORDER BY score, id DESC LIMIT ? OFFSET ?
                        """, parameters + [.integer(ranked ? cap : offset + limit)] + pageParameters
                    ) { row in
                        // Unranked, the page is the newest stored: only its rows are read and checked, not `cap` of them
                        // (a mixed word's row check, an exclusion's rowid test).
                        (row.int64(0), ranked ? row.double(1) : nil)
                    }
                }
            case .date:
                let many =
                    try db.scalarInt(
                        """
                        SELECT count(*) FROM (SELECT 1 FROM \(driver.table) WHERE \(driver.table) MATCH ? LIMIT ?)
                        """, [.text(driver.match), .integer(dateWalkThreshold + 1)]) > dateWalkThreshold
                if many {
                    // Each EXISTS probe re-opens the FTS5 cursor: cheap for plain tokens and phrases, but a prefix
                    // (`"台"*`) would merge its doclists again for every article, so then the rowids are listed once.
                    let membership =
                        driver.match.contains("\"*")
                        ? "a.id IN (SELECT rowid FROM \(driver.table) WHERE \(driver.table) MATCH ?)"
                        : "EXISTS (SELECT 1 FROM \(driver.table) WHERE \(driver.table) MATCH ? AND \(driver.table).rowid = a.id)"
                    // The words of other indexes are probed the same way, not listed.
                    var probes = ""
                    var probeParameters: [SQLValue] = []
                    for other in plan.intersected {
                        probes +=
                            other.match.contains("\"*")
                            ? " AND a.id IN (SELECT rowid FROM \(other.table) WHERE \(other.table) MATCH ?)"
                            : " AND EXISTS (SELECT 1 FROM \(other.table) WHERE \(other.table) MATCH ? AND \(other.table).rowid = a.id)"
                        probeParameters.append(.text(other.match))
                    }
                    page = try db.query(
                        """
                        SELECT a.id FROM articles a INDEXED BY articles_by_published
                        WHERE \(membership)\(probes)
                              \(plan.conditions.map { " AND " + $0 }.joined())
                        ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?
                        """, [.text(driver.match)] + probeParameters + plan.parameters + pageParameters
                    ) { ($0.int64(0), nil) }
                } else {
                    page = try db.query(
                        """
                        SELECT a.id FROM \(driver.table) JOIN articles a ON a.id = \(driver.table).rowid WHERE \(where_)
                        ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?
                        """, parameters + pageParameters
                    ) { ($0.int64(0), nil) }
                }
            }
        } else if !plan.union.isEmpty {
            page = try unionPage(
                plan, sort: sort, limit: limit, offset: offset, dateWalkThreshold: dateWalkThreshold,
                rankedCandidates: rankedCandidates)
        } else {
            page = try db.query(
                """
                SELECT a.id FROM articles a
                WHERE \(plan.conditions.isEmpty ? "1" : plan.conditions.joined(separator: " AND "))
                ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?
                """, plan.parameters + pageParameters
            ) { ($0.int64(0), nil) }
        }
        let terms = query.terms
        return try page.compactMap { id, score in
            try db.first(
                "SELECT \(Self.summaryColumns), a.lead, a.body_text FROM articles a WHERE a.id = ?",
                [.int(id)]
            ) { row in
                let summary = Self.summary(row)
                return SearchHit(
                    article: summary,
                    snippet: Snippet.cut(
                        around: terms,
                        in: [summary.title, row.text(10) ?? "", row.text(11) ?? ""],
                        highlight: highlight),
                    score: score)
            }
        }
    }

    /// How many articles match `query` (every match, not a page).
    package func searchCount(_ query: SearchQuery, filter: SearchFilter = SearchFilter()) throws -> Int {
        let plan = try plan(query, filter: filter)
        if let driver = plan.driver, !plan.intersected.isEmpty || plan.narrowing != nil {
            // The indexes list their rowids in order: a merge, no temporary list; then the rows that remain are checked.
            let (merged, mergedParameters) = Self.intersection(
                driver, plan.intersected + (plan.narrowing.map { [$0] } ?? []), descending: false)
            return try db.scalarInt(
                """
                SELECT count(*) FROM (\(merged)) c
                \(plan.conditions.isEmpty ? "" : "CROSS JOIN articles a ON a.id = c.id WHERE " + plan.conditions.joined(separator: " AND "))
                """, mergedParameters + plan.parameters)
        }
        if let driver = plan.driver {
            let join = plan.conditions.isEmpty ? "" : " JOIN articles a ON a.id = \(driver.table).rowid"
            return try db.scalarInt(
                """
                SELECT count(*) FROM \(driver.table)\(join)
                WHERE \(driver.table) MATCH ?\(plan.conditions.map { " AND " + $0 }.joined())
                """, [.text(driver.match)] + plan.parameters)
        }
        if !plan.union.isEmpty {
            // The arms' rowids merged in rowid order (each index returns its own so), each counted once.
            let arms = plan.union.map { arm(select: $0, of: plan, score: nil, limit: nil, ordered: true) }
            return try db.scalarInt(
                "SELECT count(*) FROM (" + arms.map(\.sql).joined(separator: " UNION ") + " ORDER BY 1)",
                arms.flatMap(\.parameters))
        }
        return try db.scalarInt(
            """
            SELECT count(*) FROM articles a WHERE \(plan.conditions.isEmpty ? "1" : plan.conditions.joined(separator: " AND "))
            """, plan.parameters)
    }

    /// The rowids every one of `driver` and `others` matches, as one compound SELECT whose arms SQLite merges in rowid
    /// order (each FTS5 cursor returns its rowids in that order: no list is built, and a LIMIT stops the merge).
    static func intersection(
        _ driver: SearchPlan.Driver, _ others: [SearchPlan.Driver], descending: Bool
    ) -> (sql: String, parameters: [SQLValue]) {
        let arms = ([driver] + others).map { "SELECT rowid AS id FROM \($0.table) WHERE \($0.table) MATCH ?" }
        return (
            // LIMIT -1 keeps the ORDER BY (SQLite 3.40 drops a FROM subquery's ORDER BY without a LIMIT when the
            // outer query is a join, and then intersects through a temporary b-tree of every rowid); callers join it
            // with CROSS JOIN, so it stays the outer loop, a co-routine read in order (a page stops after its rows).
            arms.joined(separator: " INTERSECT ") + " ORDER BY 1" + (descending ? " DESC" : "") + " LIMIT -1",
            ([driver] + others).map { .text($0.match) }
        )
    }

    /// How many articles `table MATCH match` finds, counting no further than `limit` (lazily: a probe, not a count).
    private func matches(_ arm: SearchPlan.Driver, atMost limit: Int) throws -> Int {
        try db.scalarInt(
            "SELECT count(*) FROM (SELECT 1 FROM \(arm.table) WHERE \(arm.table) MATCH ? LIMIT ?)",
            [.text(arm.match), .integer(limit)])
    }

    /// One arm of a union (`SearchPlan.union`): the rowids its index matches that pass its own checks and the query's
    /// other conditions, newest stored first when `limit` is given; with a `score` column when `score` is given
    /// (true: bm25, false: NULL).
    private func arm(
        select arm: SearchPlan.Driver, of plan: SearchPlan, score: Bool?, limit: Int?, ordered: Bool = false
    ) -> (sql: String, parameters: [SQLValue]) {
        let table = arm.table
        let conditions = arm.checks + plan.conditions
        let join = conditions.isEmpty ? "" : " JOIN articles a ON a.id = \(table).rowid"
        let scoreColumn = score.map { ", \($0 ? arm.score : "NULL") AS score" } ?? ""
        var sql =
            "SELECT \(table).rowid AS id\(scoreColumn) FROM \(table)\(join) WHERE \(table) MATCH ?"
            + conditions.map { " AND " + $0 }.joined()
        var parameters = [SQLValue.text(arm.match)] + arm.checkParameters + plan.parameters
        if let limit {
            sql = "SELECT * FROM (" + sql + " ORDER BY \(table).rowid DESC LIMIT ?)"
            parameters.append(.integer(limit))
        } else if ordered {
            sql = "SELECT * FROM (" + sql + " ORDER BY \(table).rowid)"
        }
        return (sql, parameters)
    }

    /// A page of a union plan: each arm's index drives its own matches, so no arm scans the articles.
    private func unionPage(
        _ plan: SearchPlan, sort: SearchSort, limit: Int, offset: Int, dateWalkThreshold: Int, rankedCandidates: Int
    ) throws -> [(id: Int64, score: Double?)] {
        let pageParameters: [SQLValue] = [.integer(limit), .integer(offset)]
        switch sort {
        case .relevance:
            // Ranked as a single index is (bm25 within each arm, an article's best score across them) when all the
            // arms together match at most `rankedCandidates` articles; otherwise each arm gives its newest page's
            // worth and the union is newest stored first.
            let cap = max(rankedCandidates, offset + limit)
            var total = 0
            if plan.union.allSatisfy(\.ranked) {
                for arm in plan.union where total <= cap { total += try matches(arm, atMost: cap + 1 - total) }
            }
            let ranked = plan.union.allSatisfy(\.ranked) && total <= cap
            let arms = plan.union.map { arm(select: $0, of: plan, score: ranked, limit: ranked ? cap : offset + limit) }
            return try db.query(
                """
                SELECT id, score FROM (
                    SELECT id, min(score) AS score FROM (\(arms.map(\.sql).joined(separator: " UNION ALL ")))
                    GROUP BY id ORDER BY id DESC LIMIT ?)
                ORDER BY score, id DESC LIMIT ? OFFSET ?
                """, arms.flatMap(\.parameters) + [.integer(cap)] + pageParameters
            ) { row in (row.int64(0), ranked ? row.double(1) : nil) }
        case .date:
            var total = 0
            for arm in plan.union where total <= dateWalkThreshold {
                total += try matches(arm, atMost: dateWalkThreshold + 1 - total)
            }
            if total > dateWalkThreshold {
                // Many matches: walk the publication-time index, each article checked against each arm's index.
                var memberships: [String] = []
                var parameters: [SQLValue] = []
                for arm in plan.union {
                    let table = arm.table
                    let membership =
                        arm.match.contains("\"*")
                        ? "a.id IN (SELECT rowid FROM \(table) WHERE \(table) MATCH ?)"
                        : "EXISTS (SELECT 1 FROM \(table) WHERE \(table) MATCH ? AND \(table).rowid = a.id)"
                    memberships.append("(" + ([membership] + arm.checks).joined(separator: " AND ") + ")")
                    parameters += [.text(arm.match)] + arm.checkParameters
                }
                return try db.query(
                    """
                    SELECT a.id FROM articles a INDEXED BY articles_by_published
                    WHERE (\(memberships.joined(separator: " OR ")))\(plan.conditions.map { " AND " + $0 }.joined())
                    ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?
                    """, parameters + plan.parameters + pageParameters
                ) { ($0.int64(0), nil) }
            }
            let arms = plan.union.map { arm(select: $0, of: plan, score: nil, limit: nil) }
            return try db.query(
                """
                SELECT a.id FROM articles a WHERE a.id IN (\(arms.map(\.sql).joined(separator: " UNION ALL ")))
                ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?
                """, arms.flatMap(\.parameters) + pageParameters
            ) { ($0.int64(0), nil) }
        }
    }

    // MARK: - Planning

    struct SearchPlan {
        struct Driver {
            let table: String
            let match: String
            /// False for the character index (no positions, every match scores alike): newest stored first.
            var ranked: Bool { table != "articles_chars" }
            var score: String {
                ranked
                    ? "bm25(\(table), \(table == "articles_search" ? "10.0, 5.0, 1.0, 2.0" : "10.0, 5.0, 1.0"))"
                    : "NULL"
            }
            /// Conditions on the article row `a` that only this driver's matches need (a mixed word's row check, when
            /// the driver is one arm of a union), with their parameters.
            var checks: [String] = []
            var checkParameters: [SQLValue] = []
        }
        var driver: Driver?
        /// When no index answers a whole required group but some group's alternatives each live in an index (an `OR`
        /// across indexes: `美元 OR T-Dome`), each alternative's index drives its own arm (with every other condition
        /// of the query) and the arms' rowids are united: a bounded number of the newest from each for a page.
        var union: [Driver] = []
        /// Another index every match of the driver's also satisfies (a mixed word's Chinese part): where every match is
        /// read (`--count`), the driver's rowids are intersected with its rowids first, fewer rows to check.
        var narrowing: Driver?
        /// Required groups answered by another index than the driver's (`COP 美元`: the trigram index's COP beside the
        /// word index's 美元): intersected with the driver's rowids as merged streams where the plan allows it, and
        /// otherwise the rowid lists `intersectedConditions` (with `intersectedParameters`).
        var intersected: [Driver] = []
        var intersectedConditions: [String] = []
        var intersectedParameters: [SQLValue] = []
        var conditions: [String] = []
        var parameters: [SQLValue] = []
    }

    enum Route: Equatable {
        case words(String)  // an articles_search expression
        case trigram(String)  // an articles_fts expression
        case chars(String)  // an articles_chars expression (one CJK character)
        case row(String, [SQLValue])
        /// An index route that finds a superset of the term's articles, and the row check that keeps the exact ones: a
        /// mixed word (`400亿美元`), whose Latin and Chinese parts live in different indexes since v9.
        /// `narrow`: another index route every match also satisfies (the word's Chinese part, when the Latin form
        /// drives), intersected with the driver's rowids before the row check where all matches are read (`--count`).
        indirect case verified(Route, check: Route, narrow: Route? = nil)

        var table: String? {
            switch self {
            case .words: "articles_search"
            case .trigram: "articles_fts"
            case .chars: "articles_chars"
            case .row: nil
            case let .verified(index, _, _): index.table
            }
        }
        var expression: String {
            switch self {
            case let .words(e), let .trigram(e), let .chars(e): e
            case .row: ""
            case let .verified(index, _, _): index.expression
            }
        }
        var check: Route? {
            if case let .verified(_, check, _) = self { return check }
            return nil
        }
        var narrow: Route? {
            if case let .verified(_, _, narrow) = self { return narrow }
            return nil
        }
    }

    /// Which index answers `term`, and with what expression (see the extension's documentation).
    static func route(_ term: SearchQuery.Term) -> Route {
        let text = term.text
        if term.field == .author {
            if let phrase = SearchText.phrase(for: text) { return .words("authors : " + phrase) }
            return .row("instr(a.authors, ?) > 0", [.text(text)])
        }
        if term.field == nil, text.unicodeScalars.count == 1, SearchText.isAllCJK(text) {
            return .chars("\"" + text + "\"")
        }
        let column = term.field == .title ? "title : " : ""
        // Authors are in the word index for author:, not for plain words (as in the trigram index).
        let wordColumns = term.field == .title ? "title : " : "{title lead body_text} : "
        if SearchText.isAllCJK(text), let phrase = SearchText.phrase(for: text) {
            return .words(wordColumns + phrase)
        }
        if text.unicodeScalars.count >= 3 {
            func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            // Since v9 the trigram index holds the non-CJK text only, each CJK run as one U+0001 (`SearchText.latin`):
            // a word without CJK matches there exactly as before.
            guard SearchText.hasCJK(text) else { return .trigram(column + quoted(text)) }
            // A mixed word: its Latin form (`400` + U+0001: 400 right before some Chinese) or, when that is too short
            // for a trigram, its longest Chinese run in the word index, narrows the articles; the row check keeps
            // those holding the word itself.
            let check = rowCondition(
                for: text, columns: term.field == .title ? ["a.title"] : ["a.title", "a.lead", "a.body_text"])
            let latin = SearchText.latin(text)
            if latin.unicodeScalars.count >= 3 {
                // Its longest Chinese run narrows the Latin form's candidates (500 + U+0001 is also 500万, 500多 …)
                // before their rows are read: one character through the character index, more as a phrase of pairs.
                var narrow: Route?
                if let run = SearchText.longestCJKRun(text) {
                    if term.field == nil, run.unicodeScalars.count == 1 {
                        narrow = .chars("\"" + run + "\"")
                    } else if run.unicodeScalars.count > 1, let phrase = SearchText.phrase(for: run) {
                        narrow = .words(wordColumns + phrase)
                    }
                }
                return .verified(.trigram(column + quoted(latin)), check: check, narrow: narrow)
            }
            if let run = SearchText.longestCJKRun(text), let phrase = SearchText.phrase(for: run) {
                return .verified(.words(wordColumns + phrase), check: check)
            }
            return check
        }
        if let phrase = SearchText.phrase(for: text) { return .words(wordColumns + phrase) }
        return rowCondition(
            for: text, columns: term.field == .title ? ["a.title"] : ["a.title", "a.lead", "a.body_text"])
    }

    func plan(_ query: SearchQuery, filter: SearchFilter) throws -> SearchPlan {
        guard !query.groups.isEmpty else { throw ArchiveError.emptyQuery }
        if try SearchIndexBuild.isPending(db) { throw ArchiveError.searchIndexBuilding(path: path) }
        var plan = SearchPlan()
        // In an OR with other words, a single character goes to the word index as a prefix (`"台"*`) so that one index
        // can answer the whole group: 台北 OR 台 then costs one prefix merge (~30 ms on 100,000 articles) rather than a
        // newest-first scan of the articles against two rowid lists (215 ms).
        let groups = query.groups.map { group -> [Route] in
            let routes = group.map(Self.route)
            guard routes.count > 1, routes.contains(where: { $0.table == "articles_chars" }),
                routes.contains(where: { $0.table == "articles_search" })
            else { return routes }
            return zip(group, routes).map { term, route in
                guard route.table == "articles_chars", let phrase = SearchText.phrase(for: term.text) else {
                    return route
                }
                return .words("{title lead body_text} : " + phrase)
            }
        }
        let excluded = query.excluded.map(Self.route)
        if Self.excludesEveryMatch(query) {
            // Nothing can match: answered without touching an index (`台北 -台` listed 99,000 rowids to exclude).
            plan.conditions = ["0"]
            return plan
        }

        // The driver: the index answering the most groups on its own.
        func singleTable(_ group: [Route]) -> String? {
            guard let table = group.first?.table, group.allSatisfy({ $0.table == table }) else { return nil }
            // A checked route drives only alone: its row check cannot sit inside an OR of the MATCH expression.
            if group.count > 1, group.contains(where: { $0.check != nil }) { return nil }
            return table
        }
        // The character index only when nothing else can drive: a single character is usually in most articles.
        let preference = ["articles_chars": 0, "articles_fts": 1, "articles_search": 2]
        let counts = Dictionary(grouping: groups.compactMap(singleTable), by: { $0 }).mapValues(\.count)
        let driverTable = counts.max {
            ($0.key == "articles_chars" ? 0 : 1, $0.value, preference[$0.key] ?? 0)
                < ($1.key == "articles_chars" ? 0 : 1, $1.value, preference[$1.key] ?? 0)
        }?.key

        // A group whose alternatives are each in an index, but not all in one (`美元 OR T-Dome`), drives as a union
        // of one arm per index (the fewest indexes first; a checked alternative, a mixed word, is an arm of its own),
        // even when another group could drive: as a condition, each of its alternatives would be a rowid list built in
        // full (816,000 rowids for 美元 on 1,000,000 articles). Each arm takes into its own MATCH the groups and
        // exclusions its index answers (美元 OR T-Dome 台北: `美元 AND 台北` in the word index), and the rest as
        // conditions of its own, evaluated only on its candidates.
        let unionGroup = groups.indices.filter { index in
            groups[index].allSatisfy { $0.table != nil } && singleTable(groups[index]) == nil
        }.min { Set(groups[$0].compactMap(\.table)).count < Set(groups[$1].compactMap(\.table)).count }
        if let unionGroup {
            var arms: [SearchPlan.Driver] = []
            var byTable: [String: [String]] = [:]
            var tables: [String] = []
            for route in groups[unionGroup] {
                let table = route.table!
                if let check = route.check {
                    var arm = SearchPlan.Driver(table: table, match: route.expression)
                    arm.checks = [condition(check, into: &arm.checkParameters)]
                    arms.append(arm)
                } else {
                    if byTable[table] == nil { tables.append(table) }
                    byTable[table, default: []].append(route.expression)
                }
            }
            for table in tables {
                let expressions = byTable[table]!
                arms.append(
                    SearchPlan.Driver(
                        table: table,
                        match: expressions.count == 1
                            ? expressions[0] : "(" + expressions.joined(separator: " OR ") + ")"))
            }
            for arm in arms {
                var match = "(" + arm.match + ")"
                var checks = arm.checks
                var checkParameters = arm.checkParameters
                for (index, group) in groups.enumerated() where index != unionGroup {
                    if singleTable(group) == arm.table {
                        match +=
                            " AND "
                            + (group.count == 1
                                ? group[0].expression
                                : "(" + group.map(\.expression).joined(separator: " OR ") + ")")
                        if let check = group[0].check { checks.append(condition(check, into: &checkParameters)) }
                    } else {
                        var alternatives: [String] = []
                        for route in group { alternatives.append(condition(route, into: &checkParameters)) }
                        checks.append("(" + alternatives.joined(separator: " OR ") + ")")
                    }
                }
                for route in excluded {
                    if route.table == arm.table, route.check == nil {
                        match = "(" + match + ") NOT " + route.expression
                    } else {
                        checks.append("NOT " + condition(route, into: &checkParameters))
                    }
                }
                var united = SearchPlan.Driver(table: arm.table, match: match)
                united.checks = checks
                united.checkParameters = checkParameters
                plan.union.append(united)
            }
            appendFilters(filter, to: &plan)
            return plan
        }

        var match: [String] = []
        for group in groups {
            if let driverTable, singleTable(group) == driverTable {
                match.append(
                    group.count == 1
                        ? group[0].expression
                        : "(" + group.map(\.expression).joined(separator: " OR ") + ")")
                if let check = group[0].check { plan.conditions.append(condition(check, into: &plan.parameters)) }
                if group.count == 1, let narrow = group[0].narrow, plan.narrowing == nil, let table = narrow.table {
                    plan.narrowing = SearchPlan.Driver(table: table, match: narrow.expression)
                }
            } else if driverTable != nil, let table = singleTable(group), group.allSatisfy({ $0.check == nil }) {
                plan.intersected.append(
                    SearchPlan.Driver(
                        table: table,
                        match: group.count == 1
                            ? group[0].expression : "(" + group.map(\.expression).joined(separator: " OR ") + ")"))
                var alternatives: [String] = []
                for route in group { alternatives.append(condition(route, into: &plan.intersectedParameters)) }
                plan.intersectedConditions.append("(" + alternatives.joined(separator: " OR ") + ")")
            } else {
                var alternatives: [String] = []
                for route in group { alternatives.append(condition(route, into: &plan.parameters)) }
                plan.conditions.append("(" + alternatives.joined(separator: " OR ") + ")")
            }
        }
        var matchExpression = match.joined(separator: " AND ")
        for route in excluded {
            if let driverTable, route.table == driverTable, route.check == nil {
                matchExpression = "(" + matchExpression + ") NOT " + route.expression
            } else {
                plan.conditions.append("NOT " + condition(route, into: &plan.parameters))
            }
        }
        appendFilters(filter, to: &plan)
        if let driverTable { plan.driver = SearchPlan.Driver(table: driverTable, match: matchExpression) }
        return plan
    }

    /// `--source`, `--since` and `--until` as conditions on the article row.
    private func appendFilters(_ filter: SearchFilter, to plan: inout SearchPlan) {
        if let source = filter.source {
            plan.conditions.append(Self.listedBy)
            plan.parameters.append(.text(source))
        }
        if let since = filter.since {
            plan.conditions.append("coalesce(a.published_at, a.first_seen_at) >= ?")
            plan.parameters.append(.instant(since))
        }
        if let until = filter.until {
            plan.conditions.append("coalesce(a.published_at, a.first_seen_at) < ?")
            plan.parameters.append(.instant(until))
        }
    }

    /// Whether some required group can only match articles that an excluded word rules out: every alternative of the
    /// group is a Chinese word containing the excluded Chinese word, in columns the exclusion covers (`台北 -台`,
    /// `title:习近平 -近平`). Every index and row check finds a Chinese word as a run of consecutive characters, so
    /// an article holding the longer word holds the shorter one there too. Latin words are left alone (case folding,
    /// diacritics and word prefixes make containment of the text not containment of the matches).
    static func excludesEveryMatch(_ query: SearchQuery) -> Bool {
        query.excluded.contains { excluded in
            guard excluded.field != .author, SearchText.isAllCJK(excluded.text) else { return false }
            return query.groups.contains { group in
                !group.isEmpty
                    && group.allSatisfy { term in
                        term.field != .author && (excluded.field == nil || term.field == excluded.field)
                            && SearchText.isAllCJK(term.text) && term.text.contains(excluded.text)
                    }
            }
        }
    }

    private func condition(_ route: Route, into parameters: inout [SQLValue]) -> String {
        switch route {
        case let .words(expression), let .trigram(expression), let .chars(expression):
            // A list of the matching rowids, built once (a probe per candidate row, `EXISTS (… MATCH ? AND rowid =
            // a.id)`, re-opens the FTS5 cursor each time: 50 us a row, 2.8 s for 台北 -台 on 100,000 articles).
            let table = route.table!
            parameters.append(.text(expression))
            return "a.id IN (SELECT rowid FROM \(table) WHERE \(table) MATCH ?)"
        case let .row(sql, values):
            parameters += values
            return sql
        case let .verified(index, check, _):
            return "(" + condition(index, into: &parameters) + " AND " + condition(check, into: &parameters) + ")"
        }
    }

    /// SQL requiring `term` in `columns` of the article row aliased `a`, with its parameters. Terms with Latin letters
    /// use LIKE (case-insensitive for ASCII, `%`, `_` and `\` escaped); others `instr`, which is faster.
    static func rowCondition(for term: String, columns: [String]) -> Route {
        if term.unicodeScalars.contains(where: { $0.isASCII && $0.properties.isAlphabetic }) {
            var pattern = "%"
            for character in term {
                if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
                pattern.append(character)
            }
            pattern += "%"
            let sql = columns.map { "\($0) LIKE ? ESCAPE '\\'" }.joined(separator: " OR ")
            return .row("(\(sql))", Array(repeating: .text(pattern), count: columns.count))
        }
        let sql = columns.map { "instr(\($0), ?) > 0" }.joined(separator: " OR ")
        return .row("(\(sql))", Array(repeating: .text(term), count: columns.count))
    }
}

/// A snippet shaped like FTS5's: the first field with a match, a window of text around the first match, every term
/// in it marked, `…` where the field was cut.
enum Snippet {
    static func cut(
        around terms: [String], in fields: [String], highlight: (open: String, close: String),
        before: Int = 12, after: Int = 28
    ) -> String {
        for field in fields {
            // Snippets stay on one line: body_text holds one block per line.
            let lines = field.split(separator: "\n", omittingEmptySubsequences: true)
            for line in lines {
                guard
                    let first = terms.compactMap({ line.range(of: $0, options: .caseInsensitive) })
                        .min(by: { $0.lowerBound < $1.lowerBound })
                else { continue }
                let start =
                    line.index(first.lowerBound, offsetBy: -before, limitedBy: line.startIndex) ?? line.startIndex
                let end = line.index(first.upperBound, offsetBy: after, limitedBy: line.endIndex) ?? line.endIndex
                let window = line[start..<end]
                return (start > line.startIndex ? "…" : "") + mark(terms, in: window, highlight: highlight)
                    + (end < line.endIndex ? "…" : "")
            }
        }
        return String(fields.first?.prefix(40) ?? "")
    }

    /// `text` with each occurrence of any term (leftmost first, no overlaps) between the markers.
    static func mark(_ terms: [String], in text: Substring, highlight: (open: String, close: String)) -> String {
        var out = ""
        var rest = text[...]
        while !rest.isEmpty {
            let next = terms.compactMap { rest.range(of: $0, options: .caseInsensitive) }
                .min {
                    $0.lowerBound < $1.lowerBound || ($0.lowerBound == $1.lowerBound && $0.upperBound > $1.upperBound)
                }
            guard let next else {
                out += rest
                break
            }
            out += rest[rest.startIndex..<next.lowerBound]
            out += highlight.open + rest[next] + highlight.close
            rest = rest[next.upperBound...]
        }
        return out
    }
}
