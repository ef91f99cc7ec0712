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
}
