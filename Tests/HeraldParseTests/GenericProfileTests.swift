import Foundation
import HeraldTestSupport
import XCTest

@testable import HeraldParse
@testable import HeraldURL

/// The `generic` profile (no site knowledge) and custom XPath profiles.
final class GenericProfileTests: XCTestCase {
    private let generic = try! ArticleExtractor(profile: .generic)

    private func extract(
        _ html: String, profile: Profile = .generic,
        url: String = "https://news.example.com/2024/06/03/story"
    ) throws -> ParsedArticle {
        try ArticleExtractor(profile: profile).extract(body: Array(html.utf8), contentType: "text/html", url: url)
    }

    func testGenericProfileReadsRFIPagesFromJSONLDMetaAndTextDensity() throws {
        for expected in try Fixtures.expectedArticles() {
            let id = expected["content_id"] as! String
            let article = try generic.extract(
                body: try Fixtures.bytes(expected["file"] as! String),
                contentType: "text/html", url: expected["url"] as! String)
            XCTAssertEqual(
                articleMismatches(
                    article, expected,
                    skipping: [
                        "section", "authors", "image_caption", "tags", "content_id", "body_text",
                        "body_text_sha256",
                    ]), [], "generic \(id)")
            // The generic profile reads the article as a reader sees it: the lead paragraph above the body is text
            // of the article (the corpus's evaluator counts it), so the body is the RFI body, after the lead at most.
            let body = try XCTUnwrap(expected["body_text"] as? String)
            let lead = (expected["lead"] as? String).map { $0 + "\n" } ?? ""
            XCTAssertTrue(
                article.bodyText == body || article.bodyText == lead + body
                    || body.isEmpty && article.bodyText + "\n" == lead,
                "generic \(id) body_text: \(article.bodyText)")
        }
    }

    func testJSONLDInsideGraphWinsAndDensityFindsTheBodyWithoutArticleElement() throws {
        let paragraphs = (1...4).map { "<p>Paragraph \($0) of the story, long enough to count as body text here.</p>" }
        let html = """
            <html><head><title>Site title | Example</title>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"Example"},
              {"@type":["NewsArticle"],"headline":"Headline &amp; more","datePublished":"2024-06-03T14:20:00+02:00",
               "dateModified":"2024-06-03T15:00:00Z","author":[{"@type":"Person","name":"Ann Lee"},{"name":"Bo Chen"}],
               "image":{"@type":"ImageObject","url":"https://img.example.com/a.jpg"},"description":"The lead.",
               "articleSection":["World"],"keywords":"climate, bonn"}]}</script>
            <meta property="og:title" content="OG title"></head>
            <body><div class="menu"><a href="/a">A link</a> <a href="/b">B link</a></div>
            <div class="story">\(paragraphs.joined())<div class="share-bar"><p>Share this story on social media please</p></div>
            <p>See <a href="/other">a very long related link text that is mostly link</a></p></div>
            <div class="footer-links"><p>Copyright Example News, all rights reserved.</p></div></body></html>
            """
        let article = try extract(html)
        XCTAssertEqual(article.title, "Headline & more", "character references are decoded")
        XCTAssertEqual(article.publishedAt?.text, "2024-06-03T12:20:00Z")
        XCTAssertEqual(article.modifiedAt?.text, "2024-06-03T15:00:00Z")
        XCTAssertEqual(article.authors, ["Ann Lee", "Bo Chen"])
        XCTAssertEqual(article.imageURL, "https://img.example.com/a.jpg")
        XCTAssertEqual(article.lead, "The lead.")
        XCTAssertEqual(article.section, "World")
        XCTAssertEqual(article.tags, ["climate", "bonn"])
        XCTAssertTrue(article.bodyText.hasPrefix("Paragraph 1 of the story"), article.bodyText)
        XCTAssertFalse(article.bodyText.contains("Share this story"), "furniture is dropped")
        XCTAssertFalse(article.bodyText.contains("Copyright"), "text outside the densest block is not body")
        XCTAssertTrue(article.bodyHTML.contains("<a href=\"https://news.example.com/other\">"), article.bodyHTML)
    }

    func testOpenGraphAndTimeElementAreFallbacks() throws {
        let html = """
            <html><head><meta property="og:title" content="OG headline"><meta property="og:type" content="article">
            <meta property="og:image" content="https://img.example.com/b.jpg"><meta name="description" content="Desc">
            <meta property="article:tag" content="one"><meta property="article:tag" content="two"></head>
            <body><article><h1>Heading</h1><time datetime="2024-01-02T03:04:05Z" pubdate>Jan 2</time>
            <p>Only a short body.</p></article></body></html>
            """
        let article = try extract(html)
        XCTAssertEqual(article.title, "OG headline")
        XCTAssertEqual(article.publishedAt?.text, "2024-01-02T03:04:05Z")
        XCTAssertEqual(article.imageURL, "https://img.example.com/b.jpg")
        XCTAssertEqual(article.lead, "Desc")
        XCTAssertEqual(article.tags, ["one", "two"])
        // The heading repeats the headline (`h1` is a title candidate): not body text.
        XCTAssertEqual(article.bodyText, "Jan 2\nOnly a short body.")
    }

    func testTitleFallsBackToH1ThenTitleElement() throws {
        let body = (1...6).map { "<p>Meaningful sentence number \($0) of reasonable length goes here.</p>" }.joined()
        XCTAssertEqual(try extract("<title>Doc title</title><body><h1>H1 title</h1>\(body)</body>").title, "H1 title")
        XCTAssertEqual(try extract("<title> Doc \n title </title><body>\(body)</body>").title, "Doc title")
    }

    func testPagesWithoutArticleMarkersOrTextAreNotArticles() {
        XCTAssertThrowsError(try extract("<title>Home</title><body><p>Welcome!</p></body>")) {
            guard case .notAnArticle? = $0 as? ParseError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try extract("<body><p>No title at all.</p></body>"))
    }

    func testCleanerKeepsStructureAndDropsEverythingElse() throws {
        let html = """
            <html><head><meta property="og:type" content="article"><title>T</title></head><body><article>
            <p class="x" style="color:red" onclick="evil()">Text <b>bold</b> <em>em</em> &amp; <a href="rel/link" target="_blank">link</a><a href="javascript:x()">js</a></p>
            <h2 id="h">Sub</h2><ul><li>one</li><li>two <img src="/i.png" srcset="/i2.png 2x" alt="I" onerror="x()"></li></ul>
            <blockquote><p>Quote</p></blockquote><form><input value="q"><button>Go</button></form><iframe src="/ad"></iframe>
            <div><span>loose</span> text</div><pre>  keep  spaces </pre><table><tr><td>cell</td></tr></table>
            </article></body></html>
            """
        let article = try extract(html)
        XCTAssertEqual(
            article.bodyHTML,
            "<p>Text <b>bold</b> <em>em</em> &amp; "
                + "<a href=\"https://news.example.com/2024/06/03/rel/link\">link</a>js</p><h2>Sub</h2><ul><li>one</li>"
                + "<li>two <img src=\"https://news.example.com/i.png\" alt=\"I\"></li></ul><blockquote><p>Quote</p>"
                + "</blockquote>loose text<pre>  keep  spaces </pre><table><tr><td>cell</td></tr></table>")
        XCTAssertEqual(article.bodyText, "Text bold em & linkjs\nSub\none\ntwo\nQuote\nloose text\nkeep spaces\ncell")
    }

    func testCustomProfileUsesItsXPathsAndFallsBackToGenericForTheRest() throws {
        let xpaths = Profile.CustomXPaths(
            title: "//div[@id='hd']/span", published: "string(//span[@class='when']/@data-ts)",
            authors: "//a[@rel='author']", body: "//div[@id='content']", remove: ["//div[@class='promo']"])
        let profile = Profile(name: "example", kind: .custom(xpaths))
        let html = """
            <html><head><meta property="og:image" content="https://img.example.com/c.jpg"></head><body>
            <div id="hd"><span>Custom  title</span></div><span class="when" data-ts="2024-06-03T10:00:00Z"></span>
            <a rel="author">Ann</a><a rel="author">Bo</a>
            <div id="content"><p>First.</p><div class="promo"><p>Subscribe!</p></div><p>Second.</p></div></body></html>
            """
        let article = try extract(html, profile: profile)
        XCTAssertEqual(article.title, "Custom title")
        XCTAssertEqual(article.publishedAt?.text, "2024-06-03T10:00:00Z")
        XCTAssertEqual(article.authors, ["Ann", "Bo"])
        XCTAssertEqual(article.imageURL, "https://img.example.com/c.jpg", "unset field falls back to generic")
        XCTAssertEqual(article.bodyHTML, "<p>First.</p><p>Second.</p>")
        XCTAssertEqual(article.bodyText, "First.\nSecond.")
    }

    func testCustomBodyXPathThatMatchesNothingMeansNotAnArticle() throws {
        let profile = Profile(name: "x", kind: .custom(.init(body: "//div[@id='missing']")))
        XCTAssertThrowsError(try extract("<title>T</title><p>text</p>", profile: profile)) {
            guard case .notAnArticle? = $0 as? ParseError else { return XCTFail("\($0)") }
        }
    }

    func testBadXPathIsReportedWithTheExpression() {
        let profile = Profile(name: "bad", kind: .custom(.init(title: "//h1", remove: ["//div[@class='x'"])))
        XCTAssertThrowsError(try ArticleExtractor(profile: profile)) {
            XCTAssertEqual(
                $0 as? ParseError,
                .badXPath(
                    expression: "//div[@class='x'",
                    reason: "libxml2 cannot compile it"))
        }
        XCTAssertThrowsError(
            try ListingExtractor(
                kind: .html,
                profile: Profile(
                    name: "b",
                    kind: .custom(
                        .init(links: "//a[@href"))), linkPattern: nil, fullText: false))
    }

    func testCustomLinksXPathSelectsListingLinks() throws {
        let profile = Profile(name: "l", kind: .custom(.init(links: "//ul[@class='news']//a/@href")))
        let html =
            "<ul class='news'><li><a href='/a/one'>1</a></li><li><a href='/a/two'>2</a></li></ul>"
            + "<a href='/elsewhere/2024/06/03/other-article-story'>x</a>"
        let listing = try ListingExtractor(kind: .html, profile: profile, linkPattern: nil, fullText: false)
            .extract(body: Array(html.utf8), contentType: nil, url: "https://example.com/")
        XCTAssertEqual(listing.links.map(\.url), ["https://example.com/a/one", "https://example.com/a/two"])
    }

    func testGenericArticleURLHeuristic() {
        let accepted = [
            "https://a.com/2024/06/03/story", "https://a.com/news/biden-urges-china-cooperation",
            "https://a.com/world/article-123456.html", "https://www.rfi.fr/cn/中国/20231028-拜登",
        ]
        let rejected = [
            "https://a.com/", "https://a.com/news/", "https://a.com/tag/climate-change-policy-now",
            "https://a.com/page/20000", "https://a.com/files/report-2024-final.pdf", "https://a.com/about",
        ]
        for url in accepted { XCTAssertTrue(GenericArticleURL.looksLikeArticle(CanonicalURL.canonicalize(url)!), url) }
        for url in rejected { XCTAssertFalse(GenericArticleURL.looksLikeArticle(CanonicalURL.canonicalize(url)!), url) }
    }
}
