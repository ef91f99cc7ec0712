import HeraldTime

// How `herald search` turns a parsed query into SQL: which index drives each word, the row checks, the filters.

extension ArchiveReader {
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
