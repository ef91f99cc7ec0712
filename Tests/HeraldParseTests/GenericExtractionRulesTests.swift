import Foundation
import XCTest

@testable import HeraldParse

/// One test per rule of the generic extractor (issue 10): fallbacks, furniture, joins, full-text items, and the
/// "not an article" decision both ways.
final class GenericExtractionRulesTests: XCTestCase {
    private func extract(
        _ html: String, url: String = "https://news.example.com/2024/06/03/story"
    ) throws
        -> ParsedArticle
    {
        try ArticleExtractor(profile: .generic).extract(body: Array(html.utf8), contentType: "text/html", url: url)
    }

    private func paragraphs(_ count: Int, _ prefix: String = "Paragraph") -> String {
        (1...count).map { "<p>\(prefix) \($0) of the story, with enough words in it to be read as body text.</p>" }
            .joined()
    }

    func testJSONLDArticleBodyWinsWhenTheHTMLShowsOnlyPartOfTheStory() throws {
        let full = (1...9).map { "Sentence \($0) of the whole story, which the page renders with a script later." }
        let html = """
            <html><head><title>Story</title><script type="application/ld+json">
            {"@type":"NewsArticle","headline":"Story","articleBody":"\(full.joined(separator: "\\n"))"}
            </script></head><body><article><p>\(full[0])</p><p>\(full[1])</p></article></body></html>
            """
        let article = try extract(html)
        XCTAssertEqual(article.bodyText, full.joined(separator: "\n"))
        XCTAssertTrue(article.bodyHTML.hasPrefix("<p>Sentence 1 of"), article.bodyHTML)
    }

    func testHTMLBodyIsKeptWhenJSONLDArticleBodyIsOnlyASummary() throws {
        let html = """
            <html><head><title>Story</title><script type="application/ld+json">
            {"@type":"NewsArticle","headline":"Story","articleBody":"A summary."}</script></head>
            <body><article><h2>A subhead</h2>\(paragraphs(5))</article></body></html>
            """
        let article = try extract(html)
        XCTAssertTrue(article.bodyText.hasPrefix("A subhead\nParagraph 1 of the story"), article.bodyText)
        XCTAssertFalse(article.bodyText.contains("A summary."))
    }

    func testCaptionsCreditsBylineHeadlineAndAdLabelsAreNotBody() throws {
        // BBC 中文's shape: visually hidden labels, a byline list, a figure with credit and caption, an ad label.
        let html = """
            <html lang="zh-Hans"><head><meta property="og:title" content="中国经济的新挑战"></head><body><main>
            <h1>中国经济的新挑战</h1>
            <ul><li><span class="visually-hidden">Author, </span>李雨梦</li><li>Role, BBC中文记者</li></ul>
            <figure><img src="https://img.example.com/a.jpg"><p>图像来源，BBC NEWS CHINESE</p>
            <figcaption><span>图像加注文字，</span>北京街头的行人。</figcaption></figure>
            <p>中国经济在今年面临新的挑战，出口放缓，国内消费也没有明显回升，许多经济学家对前景表示担忧。</p>
            <div class="ad-slot"><p>Advertisement</p></div><p>Advertisement</p>
            <p>政府已经推出多项刺激措施，包括降低利率和增加基础设施投资，但效果仍有待观察。</p>
            <p>分析人士认为，结构性改革才是长期增长的关键，短期刺激只能缓解一时的压力。</p>
            </main></body></html>
            """
        let article = try extract(html)
        XCTAssertEqual(article.title, "中国经济的新挑战")
        XCTAssertTrue(article.bodyText.hasPrefix("中国经济在今年面临新的挑战"), article.bodyText)
        for furniture in ["图像来源", "图像加注文字", "北京街头的行人", "Author, ", "Role, ", "Advertisement", "李雨梦"] {
            XCTAssertFalse(article.bodyText.contains(furniture), "\(furniture) in \(article.bodyText)")
        }
        XCTAssertEqual(article.bodyText.split(separator: "\n").count, 3, article.bodyText)
    }

    func testRepeatedLayoutBlocksAreDroppedButARepeatedParagraphIsKept() throws {
        let quote = "A pull quote that the layout repeats in the middle of the story text."
        let sentence = "The minister said it again."
        let html =
            "<html><head><title>T</title></head><body><article>\(paragraphs(3))<p>\(quote)</p><p>\(sentence)</p>"
            + "<div class=\"quote\">\(quote)</div>\(paragraphs(2, "Later"))<p>\(sentence)</p></article></body></html>"
        let article = try extract(html)
        XCTAssertEqual(article.bodyText.components(separatedBy: quote).count, 2, article.bodyText)
        XCTAssertEqual(article.bodyText.components(separatedBy: sentence).count, 3, article.bodyText)
    }

    func testCJKJoinsInventNoSpacesAndInlineBoundariesAddNoneBeforePunctuation() throws {
        let html = """
            <html><head><title>T</title><meta property="og:type" content="article"></head><body><article>
            <p>第一行的文字很长，足够算作正文的一部分
            第二行接着写，中间没有空格。</p>
            <p>上一句<br>下一句，换行不是空格。这一段也要足够长才会被当作正文内容来处理。</p>
            <p>The decision was made in <em>public</em>
            , with everyone watching. The <a href="/x">report</a>
            . It was long enough to count as body text here.</p>
            <p>En France on écrit « mot ; mot » avec des espaces : ils restent dans le texte du corps.</p>
            </article></body></html>
            """
        let lines = try extract(html).bodyText.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "第一行的文字很长，足够算作正文的一部分第二行接着写，中间没有空格。")
        XCTAssertTrue(
            lines.contains("上一句\n下一句，换行不是空格。这一段也要足够长才会被当作正文内容来处理。")
                || lines.contains("上一句") && lines.contains("下一句，换行不是空格。这一段也要足够长才会被当作正文内容来处理。"),
            "\(lines)")
        XCTAssertTrue(
            lines.contains(
                "The decision was made in public, with everyone watching. The report. It was long "
                    + "enough to count as body text here."), "\(lines)")
        XCTAssertTrue(
            lines.contains("En France on écrit « mot ; mot » avec des espaces : ils restent dans le texte du corps."),
            "\(lines)")
        XCTAssertFalse(lines.joined().contains("上一句 下一句"))
    }

    func testMalformedLiveBlogFullTextItemKeepsEveryBlock() throws {
        let item =
            "<p><strong>关注焦点：</strong></p><li>第一条：议会今天通过了新的预算案。</li>"
            + "<li>第二条：反对党表示将继续抗议。</li><p>记者在现场看到大批民众聚集。</p>"
            + "<div class=\"share\"><a href=\"/s\">分享</a></div>"
        let xml = """
            <?xml version="1.0"?><rss version="2.0"><channel><title>Live</title><link>https://live.example.com/</link>
            <item><title>直播：议会辩论</title><link>https://live.example.com/2024/live-1</link>
            <pubDate>Mon, 03 Jun 2024 10:00:00 GMT</pubDate><description><![CDATA[\(item)]]></description></item>
            </channel></rss>
            """
        let listing = try ListingExtractor(kind: .rss, profile: .generic, linkPattern: nil, fullText: true)
            .extract(body: Array(xml.utf8), contentType: nil, url: "https://live.example.com/feed")
        let article = try XCTUnwrap(listing.fullTextArticles.first)
        let lines = article.bodyText.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("第一条：议会今天通过了新的预算案。"), "\(lines)")
        XCTAssertTrue(lines.contains("第二条：反对党表示将继续抗议。"), "\(lines)")
        XCTAssertTrue(lines.contains("记者在现场看到大批民众聚集。"), "\(lines)")
        XCTAssertFalse(article.bodyText.contains("分享"), article.bodyText)
        XCTAssertNotEqual(article.lead, "关注焦点：")
    }

    func testSubstantialTextIsAnArticleWhateverOGTypeSays() throws {
        let html = """
            <html><head><meta property="og:type" content="website"><title>A report | Example News</title>
            <meta property="og:site_name" content="Example News"></head>
            <body><nav><a href="/">Home</a></nav><div class="content">\(paragraphs(6))</div></body></html>
            """
        let article = try extract(html)
        XCTAssertEqual(article.title, "A report", "the site name is not part of the title")
        XCTAssertTrue(article.bodyText.hasPrefix("Paragraph 1 of the story"), article.bodyText)
    }

    func testIndexPagesEmptyShellsAndErrorPagesAreNotArticles() {
        let index =
            "<html><head><title>Section</title></head><body><ul>"
            + (1...30).map { "<li><a href=\"/story-\($0)\">Story number \($0) headline</a></li>" }.joined()
            + "</ul></body></html>"
        let shell =
            "<html><head><title>App</title><meta property=\"og:type\" content=\"article\"></head>"
            + "<body><div id=\"root\"></div></body></html>"
        let error = "<html><head><title>404</title></head><body><h1>Page not found</h1><p>Sorry.</p></body></html>"
        for (name, html) in [("index", index), ("shell", shell), ("error", error)] {
            XCTAssertThrowsError(try extract(html), name) { error in
                guard case let .notAnArticle(_, reason)? = error as? ParseError else {
                    return XCTFail("\(name): \(error)")
                }
                XCTAssertFalse(reason.isEmpty, name)
            }
        }
    }

    func testAuthorsLoseTheirByPrefix() throws {
        let html = """
            <html><head><title>T</title><meta name="author" content="By Jane Doe"><meta property="og:type" content="article">
            </head><body><article>\(paragraphs(4))</article></body></html>
            """
        XCTAssertEqual(try extract(html).authors, ["Jane Doe"])
    }

    func testTheLeadBeforeTheMainBlockIsPrependedAndCaptionParagraphsAreNot() throws {
        let html = """
            <html><head><title>Story</title></head><body><div class="wrap"><header class="entry-header">
            <h1>Story</h1><p class="entry__subtitle">The lead says in one sentence what the whole story is about.</p>
            </header><div class="story-text"><div class="columns">\(paragraphs(4))
            <p class="media__caption">A caption under the photo, credited to its photographer.</p>
            \(paragraphs(2, "More"))</div></div></div></body></html>
            """
        let text = try extract(html).bodyText
        XCTAssertTrue(text.hasPrefix("The lead says in one sentence what the whole story is about.\nParagraph 1"), text)
        XCTAssertFalse(text.contains("A caption under the photo"), text)
        XCTAssertTrue(text.hasSuffix("More 2 of the story, with enough words in it to be read as body text."), text)
    }

    func testAPostWrittenOnlyInNoscriptIsRead() throws {
        // Blogger's shape: the post is rendered by script; the page's only copy of the text is in <noscript>.
        let html = """
            <html><head><title>Post</title><meta property="og:type" content="article"></head><body>
            <div class="post-body"><script type="text/template">ignored</script>
            <noscript><div class="post-content">\(paragraphs(5))</div></noscript></div></body></html>
            """
        let text = try extract(html).bodyText
        XCTAssertTrue(text.hasPrefix("Paragraph 1 of the story"), text)
        XCTAssertEqual(text.split(separator: "\n").count, 5, text)
    }

    func testStampsCreditsAndAboutTheAuthorBoxesWrittenAsTextAreNotBody() throws {
        let html = """
            <html><head><title>Story</title></head><body><article><h1>Story</h1>
            <p>Aktualisiert: 11.04.2020, 10:27</p>\(paragraphs(4))<p>Foto: Jane Doe / Agentur</p>\(paragraphs(3, "More"))
            <p>Quelle: Landesregierung</p><p>Tags: Wein, Südtirol</p><p>Vergrößern Die Weinberge im Herbst.</p>
            <p>© Weingut Muster | Foto: Jane Doe</p><p>Lesen Sie auch die folgenden Beiträge:</p>
            <p>zurück</p><h3>Über den Autor</h3>
            <p>Max Mustermann schreibt seit zwanzig Jahren über Wein, Reisen und das gute Leben.</p></article></body></html>
            """
        let text = try extract(html).bodyText
        for label in [
            "Aktualisiert", "Foto: Jane", "Quelle:", "Tags:", "Vergrößern", "© Weingut", "Lesen Sie auch", "zurück",
            "Über den Autor", "Max Mustermann",
        ] {
            XCTAssertFalse(text.contains(label), "\(label): \(text)")
        }
        XCTAssertTrue(text.hasPrefix("Paragraph 1"), text)
        XCTAssertTrue(text.hasSuffix("More 3 of the story, with enough words in it to be read as body text."), text)
    }

    func testRubyAnnotationsAndSoftHyphensAreNotText() throws {
        let html = """
            <html><head><title>記事</title></head><body><article><h1>記事</h1>
            <p><ruby>子<rp>(</rp><rt>こ</rt><rp>)</rp></ruby>どもへの<ruby>虐待<rt>ぎゃくたい</rt></ruby>をなくすための\
            <ruby>法律<rt>ほうりつ</rt></ruby>ができました。新しい法律では親が子どもをたたくことを禁止しています。</p>
            <p>Schon im Mit&shy;tel&shy;al&shy;ter war der Wein das Aus&shy;hän&shy;ge&shy;schild der Region, \
            und die Winzer schlossen sich zu einer Genossenschaft zusammen.</p></article></body></html>
            """
        let text = try extract(html).bodyText
        XCTAssertTrue(text.hasPrefix("子どもへの虐待をなくすための法律ができました。"), text)
        XCTAssertTrue(text.contains("Schon im Mittelalter war der Wein das Aushängeschild der Region"), text)
    }

    func testNULBytesInThePageDoNotEndIt() throws {
        // libxml2 stops at the first NUL; a browser ignores it. A page with NULs after an ad image keeps its text.
        let html = """
            <html><head><title>Story</title></head><body><a href="#main">Skip to content</a>
            <div class="ad"><img src="/ad.gif">\0\0\0\0</div><article><h1>Story</h1>\(paragraphs(4))</article></body></html>
            """
        let text = try extract(html).bodyText
        XCTAssertTrue(text.hasPrefix("Paragraph 1 of the story"), text)
        XCTAssertEqual(text.split(separator: "\n").count, 4, text)
    }
}
