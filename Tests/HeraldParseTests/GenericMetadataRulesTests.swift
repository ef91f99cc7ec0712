import Foundation
import HeraldTime
import XCTest

@testable import HeraldParse

/// The generic profile's metadata rules (issue 10): dates printed on the page, visible bylines, microdata, the title
/// without the site's name, the lead image's caption. Each rule both ways: found, and not invented.
final class GenericMetadataRulesTests: XCTestCase {
    /// A URL without a date in it, so the page's own dates are what the rules read.
    private let plainURL = "https://news.example.com/story"

    private func extract(_ html: String, url: String? = nil) throws -> ParsedArticle {
        try ArticleExtractor(profile: .generic).extract(
            body: Array(html.utf8), contentType: "text/html", url: url ?? plainURL)
    }

    private let body = (1...4).map {
        "<p>Paragraph \($0) of the story, with enough words in it to be read as body text by the extractor.</p>"
    }.joined()

    private func day(_ instant: Instant?) -> String? { instant.map { String($0.text.prefix(10)) } }

    // MARK: Dates printed on the page

    func testVisibleDatesInManyLanguagesAndFormats() {
        let cases: [(String, String)] = [
            ("5. März 2024", "2024-03-05"), ("Veröffentlicht am 05.03.2024, 14:12 Uhr", "2024-03-05"),
            ("2024年3月5日 10:00", "2024-03-05"), ("2024년 3월 5일", "2024-03-05"), ("March 5th, 2024", "2024-03-05"),
            ("Posted on Mar. 5 2024 by Jane", "2024-03-05"), ("5 de marzo de 2024", "2024-03-05"),
            ("le 5 mars 2024", "2024-03-05"), ("5 marca 2024", "2024-03-05"), ("2024-03-05 | Politik", "2024-03-05"),
            ("Tuesday, 5th of March, 2024", "2024-03-05"), ("14 Gennaio 2020", "2020-01-14"),
            ("2024. március 5.", "2024-03-05"), ("5 maart 2024", "2024-03-05"), ("1er avril 2023", "2023-04-01"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(day(VisibleDate.parse(text)), expected, text)
        }
        // Slashes: day first, except in US English; a part over 12 decides.
        XCTAssertEqual(day(VisibleDate.parse("03/05/2024")), "2024-05-03")
        XCTAssertEqual(day(VisibleDate.parse("03/05/2024", monthFirst: true)), "2024-03-05")
        XCTAssertEqual(day(VisibleDate.parse("25/12/2023", monthFirst: true)), "2023-12-25")
    }

    func testNoDateIsInventedFromNumbersFutureOrAbsurdDates() {
        let now = Instant(secondsSince1970: 1_733_000_000)  // 2024-11-30
        for text in [
            "Version 2.10.3", "Tel. 030 1234 5678", "Mai 2024", "31.02.2024", "5. März 2999", "5 May 1990", "2024",
            "Seite 5 von 12", "1.5.2.2024", "3 Kommentare", "Preis: 12.50 €", "12/2024", "By Jane Doe",
            "5. Dezember 2024",  // after `now`
        ] {
            XCTAssertNil(VisibleDate.parse(text, now: now), text)
        }
    }

    func testDatesInTheURLPath() {
        XCTAssertEqual(day(VisibleDate.fromURL("https://ex.com/2024/03/05/slug")), "2024-03-05")
        XCTAssertEqual(day(VisibleDate.fromURL("https://ex.com/news/2024-03-05-slug.html")), "2024-03-05")
        XCTAssertEqual(day(VisibleDate.fromURL("https://ex.com/a/20240305/b.html")), "2024-03-05")
        for url in [
            "https://ex.com/id/123456789", "https://ex.com/2024/13/45/x", "https://ex.com/2024/slug",
            "https://ex.com/2999/01/01/x", "https://2024-03-05.ex.com/x", "https://ex.com/x?d=2024-03-05",
        ] {
            XCTAssertNil(VisibleDate.fromURL(url), url)
        }
    }

    func testThePagesPrintedDateIsThePublicationDateWhenTheMetadataHasNone() throws {
        let html = """
            <html><head><title>Story</title></head><body><article><h1>Story</h1>
            <div class="post-meta">Geschrieben von <a href="/u/1">Max</a> am 5. März 2024</div>
            \(body)</article></body></html>
            """
        let article = try extract(html)
        XCTAssertEqual(article.publishedAt?.text, "2024-03-05T00:00:00Z", "the day, at midnight UTC")

        let nearHeadline = """
            <html><head><title>Story</title></head><body><div><h1>Story</h1><p>2021-10-16 | Botschaft</p>
            <div class="text">\(body)</div></div></body></html>
            """
        XCTAssertEqual(day(try extract(nearHeadline).publishedAt), "2021-10-16", "a short line beside the headline")
        XCTAssertEqual(
            day(try extract(html, url: "https://news.example.com/2023/01/02/story").publishedAt), "2023-01-02",
            "the URL's date comes before the printed one")
    }

    func testCommentUpdateAndBodyDatesAreNotThePublicationDate() throws {
        let html = """
            <html><head><title>Story</title></head><body><article><h1>Story</h1>
            <p class="last-updated">Aktualisiert am 6. März 2024</p>\(body)
            <p>The festival took place on 5 May 2022 in the old town, with thousands of visitors from abroad.</p>
            <div class="comments"><div class="comment-date">7. März 2024</div><p>Great article, thank you!</p></div>
            </article></body></html>
            """
        XCTAssertNil(try extract(html).publishedAt)
    }

    func testMetadataDatesStillComeFirstAndFutureOnesAreIgnored() throws {
        let html = """
            <html><head><title>Story</title><meta property="article:published_time" content="2999-01-01T00:00:00Z">
            <meta name="date" content="2024-02-01T10:00:00+01:00"></head><body><article><h1>Story</h1>
            <div class="date">5. März 2024</div>\(body)</article></body></html>
            """
        XCTAssertEqual(try extract(html).publishedAt?.text, "2024-02-01T09:00:00Z")
    }

    // MARK: Bylines

    func testBylineTextGivesTheNamesOnly() {
        XCTAssertEqual(Byline.names(from: "By Jane Doe"), ["Jane Doe"])
        XCTAssertEqual(
            Byline.names(from: "Von Max Mustermann und Erika Musterfrau | 5. März 2024"),
            ["Max Mustermann", "Erika Musterfrau"])
        XCTAssertEqual(Byline.names(from: "作者：李雨梦"), ["李雨梦"])
        XCTAssertEqual(Byline.names(from: "Written by: Ann Lee on March 5, 2024"), ["Ann Lee"])
        XCTAssertEqual(Byline.names(from: "Par Jean Dupont, le 5 mars 2024"), ["Jean Dupont"])
        XCTAssertEqual(Byline.names(from: "Poppy Reid Feb 5, 2024"), ["Poppy Reid"])
        for text in [
            "By", "Von", "Author", "By the way, this is a whole sentence about the weather today.", "Posted by admin",
            "Donnerstag", "Share this article", "jane@example.com", "3 Kommentare", "",
        ] {
            XCTAssertEqual(Byline.names(from: text), [], text)
        }
        XCTAssertEqual(Byline.names(from: "Jane Doe", requirePrefix: true), [], "beside the headline: a label first")
    }

    func testVisibleBylinesOnThePage() throws {
        let relAuthor = """
            <html><head><title>Story</title></head><body><article><h1>Story</h1>
            <p class="meta">Posted on 5 March 2024 by <a rel="author" href="/u/jane">Jane Doe</a></p>\(body)
            </article></body></html>
            """
        XCTAssertEqual(try extract(relAuthor).authors, ["Jane Doe"])

        let named = """
            <html><head><title>Story</title></head><body><article><h1>Story</h1>
            <div class="article-byline"><span>Veröffentlicht von</span><a href="/u/ck">Chris Jung</a></div>\(body)
            </article></body></html>
            """
        XCTAssertEqual(try extract(named).authors, ["Chris Jung"], "a space at every element boundary")

        let besideHeadline = """
            <html><head><title>Story</title></head><body><div><h1>Story</h1><p>By Ann Lee and Bo Chen</p>
            <div class="text">\(body)</div></div></body></html>
            """
        XCTAssertEqual(try extract(besideHeadline).authors, ["Ann Lee", "Bo Chen"])
    }

    func testBylineLabelsAnywhereAndJSONLDAuthorReferences() throws {
        let postedBy = """
            <html><head><title>Story</title></head><body><article><h1>Story</h1>\(body)
            <p>Posted by Konstantin @ 12:00 am</p></article></body></html>
            """
        XCTAssertEqual(try extract(postedBy).authors, ["Konstantin"])

        let yoast = """
            <html><head><title>Story</title><script type="application/ld+json">{"@context":"https://schema.org",
            "@graph":[{"@type":"Article","headline":"Story","author":{"@id":"https://ex.com/#/schema/person/1"}},
            {"@type":"Person","@id":"https://ex.com/#/schema/person/1","name":"Tatyana Turner"}]}</script></head>
            <body><article><h1>Story</h1>\(body)</article></body></html>
            """
        XCTAssertEqual(try extract(yoast).authors, ["Tatyana Turner"])

        let sentence = """
            <html><head><title>Story</title></head><body><article><h1>Story</h1>\(body)
            <p>Written by hand, the letters were kept in a box for forty years before anyone read them.</p>
            </article></body></html>
            """
        XCTAssertEqual(try extract(sentence).authors, [])
    }

    func testNoAuthorIsInventedFromCommentsSentencesOrRelatedPosts() throws {
        let html = """
            <html><head><title>Story</title></head><body><article><h1>Story</h1>
            <p>By the end of the year, the council had approved the plan for the new bridge.</p>\(body)
            <div class="related-posts"><div class="author">Other Writer</div></div>
            <ol class="comment-list"><li><div class="comment-author vcard"><cite class="fn">Troll</cite></div>
            <p>First!</p></li></ol></article></body></html>
            """
        XCTAssertEqual(try extract(html).authors, [])
    }

    // MARK: Microdata

    func testMicrodataGivesHeadlineDatesAuthorAndImage() throws {
        let html = """
            <html><head><title>Site</title></head><body><div itemscope itemtype="https://schema.org/BlogPosting">
            <h2 itemprop="headline">The microdata headline</h2>
            <time itemprop="datePublished" datetime="2024-03-05T08:00:00+01:00">5 March</time>
            <time itemprop="dateModified" datetime="2024-03-06T08:00:00Z">6 March</time>
            <span itemprop="author" itemscope itemtype="https://schema.org/Person">By
            <span itemprop="name">Ann Lee</span></span><img itemprop="image" src="https://img.example.com/a.jpg">
            <div itemprop="articleBody">\(body)</div>
            <div itemprop="comment" itemscope itemtype="https://schema.org/Comment">
            <span itemprop="author">Troll</span><p>First!</p></div></div></body></html>
            """
        let article = try extract(html)
        XCTAssertEqual(article.title, "The microdata headline")
        XCTAssertEqual(article.publishedAt?.text, "2024-03-05T07:00:00Z")
        XCTAssertEqual(article.modifiedAt?.text, "2024-03-06T08:00:00Z")
        XCTAssertEqual(article.authors, ["Ann Lee"], "not the commenter")
        XCTAssertEqual(article.imageURL, "https://img.example.com/a.jpg")
    }

    // MARK: Title

    func testTitleLosesTheSiteNameTheHostOrADate() {
        func clean(_ title: String, site: String? = nil, host: String? = nil, h1: String? = nil) -> String {
            TitleCleaner.removeSiteName(TitleCleaner.decodeEntities(title), siteName: site, host: host) { h1 }
        }
        XCTAssertEqual(
            clean("Lockdown: Gottesdienste möglich › evang.at", host: "evang.at"), "Lockdown: Gottesdienste möglich")
        XCTAssertEqual(
            clean("Gregory Szorc's Digital Home | Mercurial's Journey to Python 3", host: "gregoryszorc.com"),
            "Mercurial's Journey to Python 3")
        XCTAssertEqual(
            clean("Get in the Spirit - My Daily Magazine - Art, Design, DIY", host: "mydailymagazine.com"),
            "Get in the Spirit")
        XCTAssertEqual(
            clean("So viel Regen gab es lange nicht : 31.10.2023, 10.19 Uhr"), "So viel Regen gab es lange nicht")
        XCTAssertEqual(clean("Headline | The Site", site: "The Site"), "Headline")
        XCTAssertEqual(
            clean("Rene Benko-Firma Signa in Sorge &#8211; Finanzdaten"),
            "Rene Benko-Firma Signa in Sorge – Finanzdaten")
        XCTAssertEqual(clean("Olive &#038; Herb Focaccia &lt;3"), "Olive & Herb Focaccia <3")
        // A dash of the headline's own stays.
        XCTAssertEqual(
            clean("Die Haubenfahrzeuge - Teil 49 – Büssing-NAG", host: "bos-fahrzeuge.info"),
            "Die Haubenfahrzeuge - Teil 49 – Büssing-NAG")
        XCTAssertEqual(clean("Paris - Berlin: a rail story", host: "news.example.com"), "Paris - Berlin: a rail story")
        XCTAssertEqual(
            clean("Signa in Sorge – Finanzdaten und Berater-Auftrag", host: "finanzmarktwelt.de"),
            "Signa in Sorge – Finanzdaten und Berater-Auftrag", "a word that only starts like the host's name stays")
    }

    // MARK: Lead image caption

    func testLeadImageCaptionWithoutItsCredit() throws {
        let html = """
            <html><head><title>Story</title></head><body><article><h1>Story</h1>
            <figure><img src="/a.jpg"><figcaption>Flood waters in the old town on Monday.
            <span class="credit">Photo: AP</span></figcaption></figure>\(body)</article></body></html>
            """
        XCTAssertEqual(try extract(html).imageCaption, "Flood waters in the old town on Monday.")

        let wordpress = """
            <html><head><title>Story</title></head><body><article><h1>Story</h1>
            <div class="wp-caption"><img src="/a.jpg"><p class="wp-caption-text">The new bridge.</p></div>\(body)
            </article></body></html>
            """
        XCTAssertEqual(try extract(wordpress).imageCaption, "The new bridge.")
    }

    func testNoLeadImageCaptionFromLateFiguresRelatedPostsOrImagesWithoutOne() throws {
        let late = """
            <html><head><title>Story</title></head><body><article><h1>Story</h1>\(body)\(body)
            <figure><img src="/b.jpg"><figcaption>A chart far down the story.</figcaption></figure></article>
            </body></html>
            """
        XCTAssertNil(try extract(late).imageCaption)
        let related = """
            <html><head><title>Story</title></head><body><article><h1>Story</h1>
            <div class="related"><figure><img src="/c.jpg"><figcaption>Another story</figcaption></figure></div>
            <figure><img src="/a.jpg"></figure>\(body)</article></body></html>
            """
        XCTAssertNil(try extract(related).imageCaption)
    }

    func testJSONLDImageCaption() throws {
        let html = """
            <html><head><title>Story</title><script type="application/ld+json">{"@type":"NewsArticle",
            "headline":"Story","image":{"@type":"ImageObject","url":"https://img.example.com/a.jpg",
            "caption":"The harbour at dawn."}}</script></head><body><article><h1>Story</h1>\(body)</article></body></html>
            """
        XCTAssertEqual(try extract(html).imageCaption, "The harbour at dawn.")
    }
}
