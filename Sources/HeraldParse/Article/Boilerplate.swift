import HeraldURL

/// The boilerplate vocabulary of the generic extractor: which elements are page furniture by their `class`, `id`,
/// `role`, `aria-label`, `itemprop` or `data-component`, and which short blocks are labels rather than text.
///
/// Attribute values are split into ASCII words at every non-alphanumeric byte (`share-bar__item` → share, bar, item)
/// and compared byte by byte, without building strings: this runs for every element of every page. A word is
/// furniture when it is in `words` or starts with one of `prefixes`; CJK labels (no word breaks) match as substrings.
enum Boilerplate {
    /// Whole words that mark furniture whatever its size: comments, sharing, related links, ads, sidebars, credits.
    static let strongWords: [[UInt8]] = [
        "ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "anzeige", "werbung", "publicite",
        "publicidad", "byline", "bylines", "caption", "captions", "credit", "credits", "comments", "comment",
        "kommentare", "cookie", "cookies", "consent", "gdpr", "footer", "newsletter", "outbrain", "taboola",
        "pagination", "pager", "paywall", "popup", "promo", "promotion", "promoted", "recommended", "recommendations",
        "related", "share", "shares", "sharing", "sharer", "sidebar", "signup", "social", "sponsor", "sponsored",
        "subscribe", "subscription", "tags", "author", "authors", "breadcrumb", "breadcrumbs", "sr", "visually",
        "offscreen", "copyright", "disclaimer", "donate", "cta", "noprint", "respond", "reply", "replies",
    ].map { Array($0.utf8) }

    /// Words that mark furniture only on small elements: site wrappers carry them too (Blogger's `widget Blog`,
    /// `date-outer`; a `navbar` left unclosed that swallows the page; `page-banner articlePage`).
    static let weakWords: [[UInt8]] = [
        "pub", "banner", "header", "masthead", "menu", "meta", "nav", "navbar", "navigation", "modal", "rating",
        "ratings", "toolbar", "tools", "dates", "pubdate", "readingtime", "widget", "widgets", "login", "rss", "follow",
        "feedback", "skip", "print",
        "dateline", "timestamp", "date", "published", "overlay", "tooltip", "gallery",
        "slideshow", "carousel", "infobox", "toc", "trending", "popular", "mostread", "legal", "permalink",
        "postmetadata", "entrymeta", "teasers", "legend", "citation", "contact", "kontakt",
    ].map { Array($0.utf8) }

    /// Word prefixes that mark furniture whatever its size (`sharebar`, `socialicons`, `relatedposts`…).
    static let prefixes: [[UInt8]] = [
        "share", "social", "related", "comment", "newsletter", "promo", "advert", "sponsor", "breadcrumb", "paginat",
        "sidebar", "subscri", "cookie", "popup", "outbrain", "taboola", "byline", "caption", "credit", "footer",
        "paywall", "recommend", "disqus", "tagcloud", "akismet", "author", "autor",
    ].map { Array($0.utf8) }

    /// Words that say "this is the content": an element carrying one is furniture only if it is small.
    static let contentWords: [[UInt8]] = [
        "article", "body", "content", "entry", "main", "post", "story", "text", "blog", "hentry", "articlebody",
        "artikel", "beitrag", "inhalt", "single", "lead", "intro", "abstract", "excerpt", "summary", "chapo",
        "standfirst", "perex", "richtext", "prose", "bodytext",
    ].map { Array($0.utf8) }

    /// Labels in scripts without word breaks (aria-label="分享"), matched anywhere in the value.
    static let cjkLabels: [[UInt8]] = [
        "分享", "相关", "广告", "推荐", "评论", "图像来源", "图片来源", "责任编辑", "版权", "订阅", "相關", "廣告", "評論",
    ].map { Array($0.utf8) }

    struct Verdict {
        /// 0: no furniture word; 1: a weak one (furniture when small); 2: a strong one.
        var furniture = 0
        var content = false
    }

    /// What `node`'s attributes say about it.
    static func verdict(of node: Node) -> Verdict {
        var verdict = Verdict()
        node.forEachAttributeBytes { name, value in
            if isVerdictAttribute(name) { scan(value, into: &verdict) }
        }
        return verdict
    }

    private static let attributeNames = ["class", "id", "role", "aria-label", "itemprop", "data-component"]

    /// A visually hidden label for screen readers (`visually-hidden`, `sr-only`, `screen-reader-text`, `offscreen`).
    static func isScreenReaderLabel(_ node: Node) -> Bool {
        node.withAttributeBytes("class") { value in
            screenReaderMarks.contains { contains(value, $0) }
        } ?? false
    }

    private static let screenReaderMarks = ["visually", "sr-only", "screen-reader", "offscreen"].map { Array($0.utf8) }

    // The word lists as packed tables (see `PackedWord`): a word is looked up with a few integer compares.
    /// `attributeNames` by length (index: the name's length; at most one name of each).
    private static let attributeNamesByLength: [[UInt8]] = {
        var table = [[UInt8]](repeating: [], count: 17)
        for name in attributeNames {
            precondition(name.utf8.count <= 16 && table[name.utf8.count].isEmpty, "one name per length")
            table[name.utf8.count] = Array(name.utf8)
        }
        return table
    }()

    /// Is `name` one of `attributeNames` (ASCII case folded)? Its length picks the one candidate (speed: packing
    /// every attribute's name to look it up cost more than the compare).
    @inline(__always)
    private static func isVerdictAttribute(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.count < attributeNamesByLength.count else { return false }
        let candidate = attributeNamesByLength[name.count]
        guard !candidate.isEmpty, Byte.lowercase(name[0]) == candidate[0] else { return false }
        for k in 1..<candidate.count where Byte.lowercase(name[k]) != candidate[k] { return false }
        return true
    }
    private static let prefixTable = PackedWordTable(prefixes)

    /// The three word lists in one hash table (speed: a word was compared with every list word of its length in
    /// three tables, and its prefixes of every length with the prefix table; `ContentMap.prune` 18.0 -> 14.9 M
    /// instructions on every 20th corpus file).
    private static let wordFlags = PackedWordFlags([
        (strongWords, PackedWordFlags.strong), (weakWords, PackedWordFlags.weak),
        (contentWords, PackedWordFlags.content),
    ])
    /// The first two bytes of every prefix: a word starting otherwise has none of them.
    private static let prefixStarts = BytePairSet(prefixes)
    private static let shortestPrefix = prefixes.map(\.count).min() ?? 0

    /// Splits `value` into ASCII words in place (no allocation: this runs for every attribute of every element).
    private static func scan(_ value: UnsafeBufferPointer<UInt8>, into verdict: inout Verdict) {
        var hasNonASCII = false
        var start = -1
        let count = value.count
        var i = 0
        while i <= count {
            let byte: UInt8 = i < count ? value[i] : 0x20
            if byte >= 0x80 { hasNonASCII = true }
            if Byte.isAlpha(byte) || (byte >= 0x30 && byte <= 0x39) {
                if start < 0 { start = i }
            } else if start >= 0 {
                if verdict.furniture < 2 || !verdict.content {
                    let word = PackedWord(in: value, from: start, to: i)
                    let flags = wordFlags.flags(of: word)
                    if verdict.furniture < 2 {
                        verdict.furniture = max(verdict.furniture, furnitureStrength(word, flags: flags))
                    }
                    if flags & PackedWordFlags.content != 0 { verdict.content = true }
                }
                start = -1
            }
            i += 1
        }
        if hasNonASCII, verdict.furniture < 2, cjkLabels.contains(where: { contains(value, $0) }) {
            verdict.furniture = 2
        }
    }

    static func furnitureStrength(_ word: UnsafeBufferPointer<UInt8>) -> Int {
        let packed = PackedWord(word)
        return furnitureStrength(packed, flags: wordFlags.flags(of: packed))
    }

    /// 2: a strong word or a word starting with a prefix; 1: a weak word; 0: neither (`flags`: the word's
    /// `wordFlags`).
    @inline(__always)
    private static func furnitureStrength(_ word: PackedWord, flags: UInt8) -> Int {
        if flags & PackedWordFlags.strong != 0 { return 2 }
        if word.count >= shortestPrefix, prefixStarts.contains(word), prefixTable.containsPrefix(of: word) { return 2 }
        return flags & PackedWordFlags.weak != 0 ? 1 : 0
    }

    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, let first = needle.first else { return false }
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i] == first {
                var k = 1
                while k < needle.count, haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    // MARK: Labels

    /// Whole blocks that are labels, not text (normalised, compared case-insensitively for ASCII).
    static let labelBlocks: Set<String> = [
        "advertisement", "advertisements", "advertising", "ad", "ads", "sponsored", "sponsored content", "anzeige",
        "werbung", "publicité", "publicidad", "pubblicità", "reklama", "广告", "廣告", "广告 广告", "share", "share this",
        "share this article", "teilen", "partager", "compartir", "分享", "read more", "weiterlesen", "lire la suite",
        "leer más", "更多", "阅读更多", "related", "related articles", "related stories", "related content",
        "mehr zum thema", "lesen sie auch", "à lire aussi", "相关", "相关阅读", "相关文章", "相关新闻", "skip advertisement",
        "continue reading", "close", "print", "drucken", "imprimir", "comments", "kommentare", "commentaires",
        "评论", "top", "back to top", "nach oben", "advertisement - scroll to continue",
        "story continues below advertisement", "zurück", "zurück zur übersicht", "zurück zur listenansicht", "kontakt",
        "kontakt:", "von:", "(noch keine bewertungen)", "externer inhalt", "jetzt registrieren", "tipp favorisieren",
        "sie sind aktuell nicht eingeloggt.", "zusatzinformationen:", "weiterführende informationen",
    ]

    /// Block prefixes of credits and captions that some pages write as text (BBC: "图像来源，BBC", "图像加注文字，…").
    static let labelPrefixes: [String] = [
        "图像来源", "图像加注文字", "图片来源", "圖像來源", "圖像加註文字", "图片说明", "image source", "image caption",
        "media caption", "photo credit", "bildquelle", "source de l'image", "fuente de la imagen",
        "advertisement", "read more:", "lesen sie auch:", "mehr zum thema:", "à lire aussi", "also read:", "see also:",
        "相关阅读", "延伸阅读", "责任编辑", "責任編輯", "lea también", "lea más:", "lea:", "vea también", "mira:",
        "le puede interesar", "puedes ver:", "te puede interesar", "lee también", "leia também", "leia mais:",
        "lesen sie hier", "auch interessant:", "das könnte sie auch interessieren", "schon gelesen", "siehe auch:",
        "read also", "related:", "recommended:", "lire aussi", "voir aussi", "czytaj też", "czytaj także",
        "zobacz też", "zobacz także", "leggi anche", "follow us on", "subscribe now", "sign up for",
        "click here to", "klicken sie hier", "hier klicken", "this article is the copyrighted property", "mire:",
        "follow the", "for the latest", "to view the full story", "hazte miembro", "this entry was posted",
        "pingback", "be sociable", "teilen sie", "war der artikel", "möchten sie den artikel", "was sind cookies",
        "zum newsletter", "rezept drucken", "bild anzeigen", "print recipe", "share this:", "like this:",
        // Update and publication stamps, photo credits and ad marks written as text.
        "aktualisiert:", "aktualisiert am", "publiziert:", "veröffentlichung:", "letzte änderung", "foto:", "fotos:",
        "photo:", "bild:", "titelbild:", "beitragsbild:", "crédits photos", "(credit:", "quelle:", "anzeige:",
        "- anzeige", "video verfügbar bis", "credit:", "abbildung:", "vergrößern", "bildquelle:",
        // Post meta lines: taxonomy and "posted" stamps.
        "tags:", "schlagworte:", "schlagwörter:", "kategorie:", "kategorien:", "categories:", "category:",
        "filed under", "posted in", "veröffentlicht in", "der beitrag wurde am", "auch lesen:",
        // Copyright and contact lines, reading suggestions written as a paragraph.
        "©", "copyright", "(quelle:", "quellenangaben", "źródło:", "alle angaben ohne gewähr",
        "(alle angaben ohne gewähr)", "erschienen in", "release date:", "*werbung", "anzeige,", "telefon:", "tel.:",
        "permalink", "permalien", "lesen sie auch", "das könnte dich", "das thema könnte", "meistgelesen",
        "weitere artikel zum thema", "zum weiterlesen", "kommentierte artikel", "mehr themen", "noch mehr infos",
        "kommentare insgesamt", "nos siga",
    ]

    /// The prefix of a visible byline block written as a label ("Author, 李雨梦", "Role, BBC中文记者": BBC's
    /// visually hidden labels made visible by text extraction).
    static let bylineLabels: [String] = ["author,", "role,", "author:", "role:", "作者，", "作者:", "作者：", "记者：", "記者："]

    /// Headings (or short loose lines) after which a page has no more article text: related links, comments.
    /// Compared with ASCII case folded only: a capital outside ASCII is listed as written ("Über den autor").
    static let endMarkers: [String] = [
        "related", "verwandte", "weitere artikel", "weitere beiträge", "mehr zum thema", "das könnte",
        "auch interessant",
        "kommentar", "kommentare", "comments", "comment", "leave a reply", "leave a comment", "schreibe einen",
        "you may also like", "you might also like", "more stories", "more from", "read next", "recommended",
        "zobacz również", "zobacz też", "czytaj też", "czytaj także", "lea también", "te puede interesar",
        "noticias relacionadas", "notas relacionadas", "artículos relacionados", "articles similaires",
        "à lire aussi", "sur le même sujet", "commentaires", "leggi anche", "articoli correlati", "相关", "推荐阅读",
        "热门推荐", "延伸阅读", "猜你喜欢", "評論", "评论", "関連記事", "beliebte artikel", "neueste artikel",
        "ähnliche beiträge", "ähnliche artikel", "dazu passend", "popular posts", "trending", "most read",
        "über den autor", "über die autorin", "Über den autor", "Über die autorin", "about the author",
        "sie könnten auch", "das könnte dich auch",
        "das thema könnte", "lesen sie auch die folgenden", "kommentierte artikel", "temas relacionados",
        "mehr themen", "zum weiterlesen", "teilnehmende blogs", "vorschau auf den nächsten", "kommentieren",
        "you must be logged in", "du musst eingeloggt", "sie müssen sich einloggen", "diese seite teilen",
        "news teilen", "artikel teilen",
    ]

    /// Is this normalised block a label that should not be body text?
    static func isLabel(_ block: String) -> Bool {
        isLabel(bytes: Array(block.utf8))
    }

    /// `isLabel` on the block's UTF-8 bytes (the cleaner's blocks are bytes: no String per block).
    ///
    /// The block's head is lowercased (ASCII) into a stack buffer, and only the entries starting with its first byte
    /// are compared (speed: an array per block and every entry compared before).
    static func isLabel(bytes block: [UInt8]) -> Bool {
        guard block.count <= 360, !block.isEmpty else { return false }
        var count = 0
        for byte in block where byte & 0xC0 != 0x80 { count += 1 }
        guard count <= 120 else { return false }
        return withLowercasedHead(block) { lower in
            let first = Int(lower[0])
            if block.count <= labels.longest, labels.byFirstByte[first].contains(where: { $0.elementsEqual(lower) }) {
                return true
            }
            if labels.prefixesByFirstByte[first].contains(where: { hasPrefix(lower, $0) }) { return true }
            if count <= 60, labels.bylinesByFirstByte[first].contains(where: { hasPrefix(lower, $0) }) { return true }
            return false
        }
    }

    static func isEndMarker(bytes block: [UInt8]) -> Bool {
        guard !block.isEmpty else { return false }
        return withLowercasedHead(block) { lower in
            labels.endMarkersByFirstByte[Int(lower[0])].contains { hasPrefix(lower, $0) }
        }
    }

    /// The lists above as UTF-8 bytes, grouped by their first byte.
    private struct LabelTables {
        var byFirstByte = [[[UInt8]]](repeating: [], count: 256)
        var prefixesByFirstByte = [[[UInt8]]](repeating: [], count: 256)
        var bylinesByFirstByte = [[[UInt8]]](repeating: [], count: 256)
        var endMarkersByFirstByte = [[[UInt8]]](repeating: [], count: 256)
        /// The longest entry of any list, in bytes: no more of a block is ever compared.
        var longest = 0

        init() {
            func add(_ list: [String], to table: inout [[[UInt8]]], longest: inout Int) {
                for entry in list {
                    let bytes = Array(entry.utf8)
                    guard let first = bytes.first else { continue }
                    table[Int(first)].append(bytes)
                    longest = max(longest, bytes.count)
                }
            }
            add(labelBlocks.sorted(), to: &byFirstByte, longest: &longest)
            add(labelPrefixes, to: &prefixesByFirstByte, longest: &longest)
            add(bylineLabels, to: &bylinesByFirstByte, longest: &longest)
            add(endMarkers, to: &endMarkersByFirstByte, longest: &longest)
        }
    }

    private static let labels = LabelTables()

    /// Calls `body` with the first `labels.longest` bytes of `block` (all when shorter), ASCII lowercased.
    private static func withLowercasedHead<R>(_ block: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let n = min(block.count, labels.longest)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, n)) { buffer in
            for k in 0..<n { buffer[k] = Byte.lowercase(block[k]) }
            return body(UnsafeBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    @inline(__always)
    private static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        for k in 1..<prefix.count where bytes[k] != prefix[k] { return false }
        return true
    }
}
