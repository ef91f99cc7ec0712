// herald-bench: in-process measurements that a shell cannot make without timing process start-up.
// Not a product command (it is not installed and has no stable interface); Benchmarks/run drives it.
//
//   herald-bench init --db PATH [--schema N]     create (or migrate) a database with Herald's own migrations;
//                                                --schema N stops at version N (an older database to migrate later)
//   herald-bench dedup --db PATH [--n N] [--listing N]
//                                                ArticleStore.linkState(url:) per URL: stored (random), stored
//                                                (among the newest 2,000, as a listing shows), new; and the same
//                                                through linkStates(urls:), a listing's N links per call
//   herald-bench extract FILE...                 ArticleExtractor (rfi profile) per page, no JSON, no process start-up
//   herald-bench json FILE...                    rendering each extracted page as herald parse --json prints it
//   herald-bench search --db PATH [--runs N] QUERY...
//                                                ArchiveReader.search (first page of 20, ranked and --sort date) and
//                                                searchCount per query, in-process on one reader: median of N runs
//                                                after one warm-up, in ms
//   herald-bench links --pages PAGES --labels LABELS --dir DIR [--verbose]
//                                                precision and recall of HTML listings' article links on labelled
//                                                real pages: structural finder vs the URL-shape rule
//   herald-bench discover-speed FILE --url URL [--runs N]
//                                                a homepage read for discovery vs parsed with the URL-shape rule
//   herald-bench sitemap FILE [--limit N]        one sitemap read as a pass reads it (run under /usr/bin/time -v)
//   herald-bench save --site SITE --db PATH [--n N] [--without-word-index] [--concurrency C] [--coalesce]
//                                                ArticleStore.save (the crawl's insert: article, revision, both
//                                                search indexes) per article, for N articles made of the fixture
//                                                site's paragraphs; --without-word-index drops the v5/v6 word and
//                                                character indexes' triggers first; --v4-path also puts back the
//                                                v1-v8 trigram index over the whole text (external content, its v1
//                                                insert trigger), which is the v4 write path in this binary;
//                                                --concurrency C saves from C tasks at once, --coalesce through
//                                                saveCoalescing (group commit) instead of save
import Foundation
import HeraldArticle
import HeraldCore
import HeraldParse
import HeraldStore
import HeraldTime
import HeraldURL

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("herald-bench: \(message)\n".utf8))
    exit(64)
}

func option(_ name: String, in args: [String]) -> String? {
    guard let index = args.firstIndex(of: name), index + 1 < args.count else { return nil }
    return args[index + 1]
}

func nanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

let args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first else { fail("usage: herald-bench init|dedup|extract …") }

switch command {
case "init":
    guard let db = option("--db", in: args) else { fail("init needs --db PATH") }
    if let schema = option("--schema", in: args) {
        guard let version = Int(schema), version >= 1, version <= ArticleStore.supportedSchemaVersion else {
            fail("--schema takes a version from 1 to \(ArticleStore.supportedSchemaVersion)")
        }
        let connection = try SQLiteConnection(path: db)
        _ = try connection.scalarText("PRAGMA journal_mode = WAL")
        try Migrations.migrate(connection, upTo: version)
        print("schema version \(try connection.userVersion)")
        break
    }
    let store = try ArticleStore(path: db)
    print("schema version \(try store.schemaVersion)")

case "dedup":
    // The seen check the crawl pass makes for every listing link: one call per URL, through the same cached
    // prepared statements, on the daemon's own (writer) connection. URLs are drawn from the database itself
    // (stored ones: random over all articles, the worst case for caches, and among the newest, as a listing's
    // links are) and made up (new ones: three failed lookups each, articles, aliases, failures).
    guard let db = option("--db", in: args) else { fail("dedup needs --db PATH") }
    let n = Int(option("--n", in: args) ?? "") ?? 100_000
    let store = try ArticleStore(path: db)
    let maxID = try store.withConnection { try $0.scalarInt("SELECT max(id) FROM articles") }
    guard maxID > 0 else { fail("\(db) holds no articles") }
    var generator = SystemRandomNumberGenerator()
    let ids = (0..<n).map { _ in Int.random(in: 1...maxID, using: &generator) }
    let stored: [String] = try store.withConnection { connection in
        try ids.compactMap { id in
            try connection.first("SELECT url FROM articles WHERE id = ?", [.integer(id)]) { $0.text(0) } ?? nil
        }
    }
    // What a listing pass checks: the newest articles (a listing shows recent ones), 2,000 of them, shuffled.
    let recentIDs = (0..<n).map { _ in Int.random(in: max(1, maxID - 2000)...maxID, using: &generator) }
    let recent: [String] = try store.withConnection { connection in
        try recentIDs.compactMap { id in
            try connection.first("SELECT url FROM articles WHERE id = ?", [.integer(id)]) { $0.text(0) } ?? nil
        }
    }
    let fresh = (0..<n).map { "https://www.rfi.fr/cn/新闻/20990101-not-stored-\($0)" }
    // Two ways in: one call per URL (`linkState`), and a listing's links in one call (`linkStates`, batches of
    // --listing URLs, 100 by default: an RFI section page shows 60-120 links), which is what the crawl pass makes.
    let listingSize = Int(option("--listing", in: args) ?? "") ?? 100
    func measure(_ label: String, _ urls: [String], expectStored: Bool) throws {
        try measure(label, urls, expectStored: expectStored) { batch in
            try batch.map { url in try store.linkState(url: url) }
        }
        try measure(label + "/listing", urls, expectStored: expectStored) { batch in try store.linkStates(urls: batch) }
    }
    func measure(
        _ label: String, _ urls: [String], expectStored: Bool,
        check: ([String]) throws -> [LinkState]
    ) throws {
        var rounds: [Double] = []
        for _ in 0..<5 {
            let start = nanoseconds()
            var hits = 0
            for batch in stride(from: 0, to: urls.count, by: listingSize) {
                for state in try check(Array(urls[batch..<min(batch + listingSize, urls.count)])) {
                    if case .stored = state { hits += 1 }
                }
            }
            let elapsed = Double(nanoseconds() - start) / 1000
            if expectStored ? hits != urls.count : hits != 0 { fail("\(label): \(hits) of \(urls.count) stored") }
            rounds.append(elapsed / Double(urls.count))
        }
        print(
            String(
                format: "dedup %-15@ %7d urls  median of 5 rounds %.2f us/url  (min %.2f, max %.2f)",
                label, urls.count, median(rounds), rounds.min()!, rounds.max()!))
    }
    print("articles: max id \(maxID)")
    try measure("stored", stored, expectStored: true)
    try measure("recent", recent, expectStored: true)
    try measure("new", fresh, expectStored: false)

case "extract":
    // Per page: median of `--repeat` extractions of the same bytes (files read once, up front).
    var files = Array(args.dropFirst())
    var repeats = 5
    if let r = option("--repeat", in: files), let value = Int(r) {
        repeats = value
        files.removeAll { $0 == "--repeat" || $0 == r }
    }
    let extractor = try ArticleExtractor(profile: .rfi)
    let pages = files.map { path -> [UInt8] in
        guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
        return Array(data)
    }
    var perPage: [Double] = []
    for page in pages {
        var rounds: [Double] = []
        for _ in 0..<repeats {
            let start = nanoseconds()
            _ = try extractor.extract(body: page, contentType: nil, pageURL: nil)
            rounds.append(Double(nanoseconds() - start) / 1_000_000)
        }
        perPage.append(median(rounds))
    }
    print(
        String(
            format: "extract %d pages: median %.3f ms/page (min %.3f, max %.3f)", pages.count, median(perPage),
            perPage.min() ?? .nan, perPage.max() ?? .nan))

case "search":
    guard let db = option("--db", in: args) else { fail("search needs --db PATH QUERY…") }
    let runs = Int(option("--runs", in: args) ?? "") ?? 10
    var queries: [String] = []
    var index = 1
    while index < args.count {
        if args[index] == "--db" || args[index] == "--runs" {
            index += 2
            continue
        }
        queries.append(args[index])
        index += 1
    }
    let reader = try ArchiveReader(path: db)
    func timed(_ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for run in 0...runs {
            let start = nanoseconds()
            try body()
            if run > 0 { times.append(Double(nanoseconds() - start) / 1e6) }
        }
        return median(times)
    }
    print("query                      matches  first page  --sort date     --count   (ms, median of \(runs))")
    for text in queries {
        let query = try SearchQuery(text)
        let count = try reader.searchCount(query)
        let page = try timed { _ = try reader.search(query, limit: 21) }
        let date = try timed { _ = try reader.search(query, sort: .date, limit: 21) }
        let counted = try timed { _ = try reader.searchCount(query) }
        print(
            text.padding(toLength: 24, withPad: " ", startingAt: 0)
                + String(format: " %9d %11.1f %12.1f %11.1f", count, page, date, counted))
    }

case "save":
    guard let db = option("--db", in: args), let site = option("--site", in: args) else {
        fail("save needs --site SITE --db PATH")
    }
    let n = Int(option("--n", in: args) ?? "") ?? 5_000
    let store = try ArticleStore(path: db)
    let v4Path = args.contains("--v4-path")
    if args.contains("--without-word-index") || v4Path {
        try store.withConnection {
            try $0.execute(
                """
                DROP TRIGGER IF EXISTS articles_search_insert; DROP TRIGGER IF EXISTS articles_search_delete;
                DROP TRIGGER IF EXISTS articles_search_update; DROP TRIGGER IF EXISTS articles_chars_insert;
                DROP TRIGGER IF EXISTS articles_chars_delete; DROP TRIGGER IF EXISTS articles_chars_update;
                """)
        }
    }
    if v4Path {
        // What v1-v8 indexed with the trigram tokenizer: every character of title, lead and body, read back from
        // `articles` (schema v1's declaration and insert trigger), instead of v9's non-CJK text.
        try store.withConnection {
            try $0.execute(
                """
                DROP TRIGGER IF EXISTS articles_fts_insert; DROP TRIGGER IF EXISTS articles_fts_delete;
                DROP TRIGGER IF EXISTS articles_fts_update; DROP TABLE IF EXISTS articles_fts;
                CREATE VIRTUAL TABLE articles_fts USING fts5(
                    title, lead, body_text, content='articles', content_rowid='id', tokenize='trigram');
                CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
                    INSERT INTO articles_fts(rowid, title, lead, body_text)
                        VALUES (new.id, new.title, new.lead, new.body_text);
                END;
                """)
        }
    }
    // --sql STATEMENTS: run on the writer first (pragmas, FTS5 settings), to measure a setting before adopting it.
    if let sql = option("--sql", in: args) { try store.withConnection { try $0.execute(sql) } }
    let expected = try FileManager.default.contentsOfDirectory(atPath: site + "/expected")
        .filter { $0.hasPrefix("WBMZ") && $0.hasSuffix(".json") }.sorted()
    var paragraphs: [String] = []
    var titles: [String] = []
    for name in expected {
        let data = try Data(contentsOf: URL(fileURLWithPath: site + "/expected/" + name))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
        titles.append(object["title"] as? String ?? "")
        paragraphs += (object["body_text"] as? String ?? "").split(separator: "\n").map(String.init)
    }
    guard !paragraphs.isEmpty else { fail("no expected/WBMZ*.json under \(site)") }
    var generator = SystemRandomNumberGenerator()
    let first = try store.withConnection { try $0.scalarInt("SELECT coalesce(max(id), 0) FROM articles") } + 1
    let records = (first..<(first + n)).map { i in
        let body = (0..<Int.random(in: 20...44, using: &generator)).map { _ in
            paragraphs.randomElement(using: &generator)!
        }
        let text = body.joined(separator: "\n")
        let article = Article(
            url: "https://example.com/save/\(i)", contentID: "SAVE\(i)",
            title: titles.randomElement(using: &generator)!,
            authors: ["王毅"], publishedAt: Instant(text: "2025-01-01T00:00:00Z"), lead: body[0], leadVerbatim: body[0],
            bodyHTML: body.map { "<p>\($0)</p>" }.joined(), bodyText: text)
        return ArticleRecord(source: "bench", article: article, contentHash: "save-\(i)")
    }
    // --concurrency C: C tasks save at once, as the crawl's article tasks do (`concurrency` in the config), through
    // the blocking `save` (one transaction each, the writer's mutex in turn) or, with --coalesce, `saveCoalescing`
    // (group commit). Times are per save, waiting included.
    let concurrency = max(1, Int(option("--concurrency", in: args) ?? "") ?? 1)
    let coalesce = args.contains("--coalesce")
    if coalesce && (args.contains("--without-word-index") || v4Path) {
        fail("--coalesce writes all three search indexes at the end of each batch: not with --without-word-index")
    }
    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
    let cpuBefore = cpuSeconds()
    let began = nanoseconds()
    let times = await withTaskGroup(of: [Double].self) { group in
        for worker in 0..<concurrency {
            group.addTask {
                var mine: [Double] = []
                for record in stride(from: worker, to: records.count, by: concurrency).map({ records[$0] }) {
                    let start = nanoseconds()
                    do {
                        if coalesce {
                            _ = try await store.saveCoalescing(
                                record, listingTimestamp: nil,
                                fetchedAt: Instant(secondsSince1970: 1_735_689_600), aliasByCanonical: false)
                        } else {
                            _ = try store.save(
                                record, listingTimestamp: nil, fetchedAt: Instant(secondsSince1970: 1_735_689_600),
                                aliasByCanonical: false)
                        }
                    } catch {
                        fail("save \(record.url): \(error)")
                    }
                    mine.append(Double(nanoseconds() - start) / 1_000)
                }
                return mine
            }
        }
        var all: [Double] = []
        for await some in group { all += some }
        return all
    }
    let total = Double(nanoseconds() - began) / 1e9
    // CPU time too: on a machine shared with other work the wall time swings by 2-3x, the CPU spent far less.
    let cpu = cpuSeconds() - cpuBefore
    let (transactions, coalesced) = store.coalescedSaveCounts
    print(
        String(
            format:
                "save: %d articles in %.2f s: %.0f articles/s, %.0f us of CPU each, median %.0f us, p90 %.0f us; %@%@%@",
            n, total, Double(n) / total, cpu / Double(n) * 1e6, median(times), times.sorted()[times.count * 9 / 10],
            v4Path
                ? "the v4 write path (trigram index of the whole text only)"
                : args.contains("--without-word-index") ? "trigram index only" : "all search indexes",
            concurrency > 1 ? ", \(concurrency) tasks at once" : "",
            coalesce
                ? String(
                    format: ", group commit (%.1f articles per transaction)",
                    Double(coalesced) / Double(max(1, transactions))) : ""))

case "json":
    // The JSON half of `herald parse --json`: pages extracted once, then each rendered 20 times.
    let extractor = try ArticleExtractor(profile: .rfi)
    let articles = try args.dropFirst().map { path -> ParsedArticle in
        guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
        return try extractor.extract(body: Array(data), contentType: nil, pageURL: nil)
    }
    var bytes = 0
    let start = nanoseconds()
    for _ in 0..<20 {
        for parsed in articles { bytes += ArticleJSON.object(parsed.article).rendered().utf8.count }
    }
    let perPage = Double(nanoseconds() - start) / 1_000_000 / Double(20 * articles.count)
    print(
        String(
            format: "json %d pages x 20: %.3f ms/page (%d bytes per page)", articles.count, perPage,
            bytes / max(1, 20 * articles.count)))

case "links":
    // Precision and recall of the article links HTML listings yield without a linkPattern, on labelled real pages:
    // the structural finder (generic profile, today's rule) beside the URL-shape rule it replaced. Pages are read
    // from DIR/<id>.html (Benchmarks/links/run unpacks them), labels from LABELS (canonicalised like Herald's links).
    guard let pagesFile = option("--pages", in: args), let labelsFile = option("--labels", in: args),
        let dir = option("--dir", in: args)
    else { fail("links needs --pages PAGES.json --labels LABELS.json --dir DIR") }
    let verbose = args.contains("--verbose")
    guard
        let pages = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: pagesFile)))
            as? [[String: Any]], !pages.isEmpty,
        let labels = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: labelsFile)))
            as? [String: [String]], !labels.isEmpty
    else { fail("\(pagesFile) or \(labelsFile) holds no pages") }
    struct Score {
        var truePositives = 0, falsePositives = 0, falseNegatives = 0
        var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }
        var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
        mutating func add(_ other: Score) {
            truePositives += other.truePositives
            falsePositives += other.falsePositives
            falseNegatives += other.falseNegatives
        }
    }
    let rules: [(String, GenericLinkRule)] = [("structure", .structure), ("url-shape", .urlShape)]
    var totals = [Score](repeating: Score(), count: rules.count)
    var macro = [(precision: Double, recall: Double)](repeating: (0, 0), count: rules.count)
    // Per set: the pages the finder was tuned on, and the second set labelled afterwards ("held_out").
    var setTotals: [Bool: [Score]] = [
        false: [Score](repeating: Score(), count: rules.count),
        true: [Score](repeating: Score(), count: rules.count),
    ]
    print("page | language | labelled | structure P / R | url-shape P / R")
    for page in pages {
        guard let id = page["id"] as? String, let url = page["url"] as? String, let labelled = labels[id] else {
            continue
        }
        guard let data = FileManager.default.contents(atPath: "\(dir)/\(id).html") else {
            fail("cannot read \(dir)/\(id).html")
        }
        let expected = Set(labelled.compactMap(CanonicalURL.canonicalize))
        var row = "\(id) | \(page["language"] as? String ?? "") | \(expected.count)"
        for (index, rule) in rules.enumerated() {
            let extractor = try ListingExtractor(
                kind: .html, profile: .generic, linkPattern: nil, fullText: false,
                genericLinks: rule.1)
            let found = Set(try extractor.extract(body: Array(data), contentType: nil, url: url).links.map(\.url))
            let score = Score(
                truePositives: found.intersection(expected).count,
                falsePositives: found.subtracting(expected).count,
                falseNegatives: expected.subtracting(found).count)
            totals[index].add(score)
            setTotals[page["held_out"] as? Bool ?? false]?[index].add(score)
            macro[index].precision += score.precision / Double(pages.count)
            macro[index].recall += score.recall / Double(pages.count)
            row += String(format: " | %.2f / %.2f", score.precision, score.recall)
            if verbose, index == 0 {
                for miss in expected.subtracting(found).sorted() {
                    print("  FN \(miss.removingPercentEncoding ?? miss)")
                }
                for extra in found.subtracting(expected).sorted() {
                    print("  FP \(extra.removingPercentEncoding ?? extra)")
                }
            }
        }
        print(row)
    }
    for heldOut in [false, true] {
        for (index, rule) in rules.enumerated() {
            guard let total = setTotals[heldOut]?[index], total.truePositives + total.falseNegatives > 0 else {
                continue
            }
            print(
                String(
                    format: "%@, %@ pages: precision %.3f recall %.3f (%d true, %d false positives, %d missed)",
                    rule.0, heldOut ? "second-set" : "tuning-set", total.precision, total.recall,
                    total.truePositives, total.falsePositives, total.falseNegatives))
        }
    }
    for (index, rule) in rules.enumerated() {
        let total = totals[index]
        print(
            String(
                format: "%@ over all links: precision %.3f recall %.3f (%d true, %d false positives, %d missed); "
                    + "mean per page: precision %.3f recall %.3f", rule.0, total.precision, total.recall,
                total.truePositives, total.falsePositives, total.falseNegatives, macro[index].precision,
                macro[index].recall))
    }

case "discover-speed":
    // Reading a homepage for discovery (PageDiscovery: parse, structural finder, feed links, pattern) beside
    // parsing it with the URL-shape rule (parse plus one check per link), median of --runs after a warm-up.
    guard let file = args.dropFirst().first, let url = option("--url", in: args) else {
        fail("discover-speed needs FILE --url URL")
    }
    guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
    let runs = Int(option("--runs", in: args) ?? "") ?? 20
    let bytes = Array(data)
    let parseOnly = try ListingExtractor(
        kind: .html, profile: .generic, linkPattern: nil, fullText: false,
        genericLinks: .urlShape)
    let structure = try ListingExtractor(kind: .html, profile: .generic, linkPattern: nil, fullText: false)
    // The three alternate within each run, so the machine's load weighs on all of them alike.
    let sides: [() throws -> Int] = [
        { try parseOnly.extract(body: bytes, contentType: nil, url: url).links.count },
        { try structure.extract(body: bytes, contentType: nil, url: url).links.count },
        { try PageDiscovery.read(body: bytes, contentType: nil, url: url).articles.count },
    ]
    var samples = [[Double]](repeating: [], count: sides.count)
    var counts = try sides.map { try $0() }
    for _ in 0..<runs {
        for (index, side) in sides.enumerated() {
            let start = nanoseconds()
            counts[index] = try side()
            samples[index].append(Double(nanoseconds() - start) / 1_000_000)
        }
    }
    let parsed = (ms: median(samples[0]), count: counts[0])
    let listed = (ms: median(samples[1]), count: counts[1])
    let discovered = (ms: median(samples[2]), count: counts[2])
    print(
        String(
            format: "%@ (%d KB): parse + URL-shape %.1f ms (%d links); parse + structure %.1f ms (%d links, "
                + "%.2fx); discovery %.1f ms (%d links, %.2fx)", (file as NSString).lastPathComponent,
            bytes.count / 1024, parsed.ms, parsed.count, listed.ms, listed.count, listed.ms / parsed.ms,
            discovered.ms, discovered.count, discovered.ms / parsed.ms))

case "sitemap":
    // One sitemap read as a crawl pass reads it (streamed, the newest --limit entries kept); run it under
    // /usr/bin/time -v for the peak RSS.
    guard let file = args.dropFirst().first else { fail("sitemap needs FILE") }
    // The bytes once, as a crawl holds an HTTP body (the Data read from disk is gone after this closure).
    let bytes: [UInt8] = {
        guard let handle = FileHandle(forReadingAtPath: file),
            let size = try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int
        else {
            fail("cannot read \(file)")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        let count = bytes.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, size) }
        guard count == size else { fail("short read of \(file)") }
        return bytes
    }()
    var extractor = try ListingExtractor(kind: .sitemap, profile: .generic, linkPattern: nil, fullText: false)
    extractor.maxSitemapEntries = Int(option("--limit", in: args) ?? "") ?? 100
    let start = nanoseconds()
    let listing = try extractor.extract(body: bytes, contentType: nil, url: "https://sitemap.example/big.xml")
    print(
        String(
            format: "%@ (%d KB): %d newest kept in %.0f ms; newest %@", (file as NSString).lastPathComponent,
            bytes.count / 1024, listing.links.count, Double(nanoseconds() - start) / 1_000_000,
            listing.links.first?.timestamp?.text ?? "none"))

default:
    fail("unknown command \(command): init, dedup, extract, json, links, discover-speed or sitemap")
}
