import XCTest

@testable import HeraldParse

/// What is removed before libxml2 parses a page, and what must survive.
final class ContentStripperTests: XCTestCase {
    private func strip(_ html: String, furniture: Set<ContentStripper.Furniture> = []) -> String {
        String(decoding: ContentStripper.strip(Array(html.utf8), furniture: furniture), as: UTF8.self)
    }

    func testScriptsGoWholeAndEscapedEndTagsInStringsDoNotEndThem() {
        XCTAssertEqual(strip("<p>a</p><script>var s = '<\\/div><div>';</SCRIPT ><p>b</p>"), "<p>a</p><p>b</p>")
    }

    func testJSONScriptsStay() {
        let ld = "<script type=\"application/ld+json\">{\"a\":\"</div>\"}</script>"
        let datalayer = "<script id=\"datalayer\" type=\"application/json\">{\"content_id\":\"X\"}</script>"
        XCTAssertEqual(strip(ld + datalayer), ld + datalayer)
    }

    func testTheGenericProfileKeepsOnlyTheHeadTagsItReads() {
        let kept = [
            "<link rel=\"canonical\" href=\"/a\">", "<link rel=\"Next prefetch\" href=\"/2\">",
            "<link itemprop=\"image\" href=\"/i.jpg\">", "<meta property=\"og:title\" content=\"T\">",
            "<meta name=\"Author\" content=\"A\">", "<meta itemprop=\"datePublished\" content=\"2024-03-05\">",
            "<meta name=\"og&#58;title\" content=\"decoded by libxml2\">", "<base href=\"/\">",
        ]
        let dropped = [
            "<link rel=\"stylesheet\" href=\"/s.css\">", "<link rel=\"preload\" href=\"/f.woff2\" as=\"font\">",
            "<meta name=\"viewport\" content=\"width=device-width\">", "<meta charset=\"utf-8\">",
            "<meta name=\"google-site-verification\" content=\"x\">",
        ]
        let page = (kept + dropped).joined()
        let stripped = String(
            decoding: ContentStripper.strip(Array(page.utf8), readAttributesOnly: true), as: UTF8.self)
        XCTAssertEqual(stripped, kept.joined())
        XCTAssertEqual(strip(page), page, "other profiles keep every head tag")
    }

    func testTheGenericProfileKeepsOnlyJSONLDScripts() {
        let ld = "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script>"
        let encoded = "<script type=\"application&#x2F;ld&#x2B;json\">{}</script>"  // libxml2 decodes the type
        let state = "<script id=\"__NEXT_DATA__\" type=\"application/json\">{\"props\":{}}</script>"
        let stripped = String(
            decoding: ContentStripper.strip(Array((ld + encoded + state).utf8), readAttributesOnly: true), as: UTF8.self
        )
        XCTAssertEqual(stripped, ld + encoded)
        XCTAssertEqual(strip(ld + state), ld + state, "other profiles keep every JSON script (RFI's datalayer)")
    }

    func testStylesHoldingSVGMarkupGoWhole() {
        let style = "<style>.a{background:url('data:image/svg+xml,<svg xmlns=\"x\"><path/></svg>')}</style>"
        XCTAssertEqual(strip("<head>\(style)<title>t</title></head>"), "<head><title>t</title></head>")
    }

    func testInlineSVGGoesWholeIncludingNestedSVG() {
        XCTAssertEqual(strip("<a><svg><svg><g/></svg><path/></svg>x</a><svg/>y"), "<a>x</a>y")
    }

    func testCommentsGo() {
        XCTAssertEqual(strip("a<!-- <p>hidden</p> -->b<!-->c<!--->d<!--x--!>e"), "abcde")
    }

    func testMarkupInsideAttributeValuesIsNotATag() {
        let html = "<a title=\"<script>alert(1)</script>\" href=\"/x\">x</a>"
        XCTAssertEqual(strip(html), html)
    }

    func testUnterminatedScriptRunsToTheEndButUnterminatedSVGIsKept() {
        XCTAssertEqual(strip("<p>a</p><script>never ends <p>b</p>"), "<p>a</p>")
        XCTAssertEqual(strip("<p>a</p><svg><p>b</p>"), "<p>a</p><svg><p>b</p>")
    }

    func testWhitespaceBetweenTagsShrinksButPreformattedTextStays() {
        XCTAssertEqual(strip("<div>\n    <p> a  b </p>\n\n</div>"), "<div> <p> a  b </p> </div>")
        XCTAssertEqual(strip("<pre>\n  x\n  <b>y</b>\n</pre>"), "<pre>\n  x\n  <b>y</b>\n</pre>")
    }

    func testResponsiveImageListsGoAndSrcStays() {
        let html =
            "<picture><source srcset=\"a.webp 1x\" type=\"image/webp\"><img src=\"a.jpg\" "
            + "srcset=\"a.jpg 1x, b.jpg 2x\" sizes=\"100vw\" alt=\"A\"></picture>"
        XCTAssertEqual(strip(html), "<picture><img src=\"a.jpg\" alt=\"A\"></picture>")
    }

    func testFurnitureOutsideArticlesGoesOnlyWhenAsked() {
        let html =
            "<header><nav>menu</nav></header><article><nav>toc</nav><p>x</p><footer>by</footer></article>"
            + "<aside>related</aside><footer>site</footer>"
        XCTAssertEqual(strip(html), html)
        XCTAssertEqual(
            strip(html, furniture: Set(ContentStripper.Furniture.allCases)),
            "<article><nav>toc</nav><p>x</p><footer>by</footer></article>")
    }

    func testUnclosedFurnitureIsKept() {
        XCTAssertEqual(strip("<aside><p>cut off", furniture: [.aside]), "<aside><p>cut off")
    }
}

extension ContentStripperTests {
    func testThousandsOfUnclosedElementsStayLinear() {
        let html = String(repeating: "<svg><aside><p>x", count: 20000)
        let stripped = strip(html, furniture: [.aside])
        XCTAssertEqual(stripped, html, "nothing closes, so nothing is removed")
    }
}
