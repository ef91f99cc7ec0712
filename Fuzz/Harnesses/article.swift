// libFuzzer target: article extraction (charset sniffing and decoding, the content stripper, libxml2, the rfi and
// generic profiles, the body cleaner, timestamps). Input: one selector byte, then the page bytes. The selector picks
// the profile and the Content-Type header, so the fuzzer explores every decoding path the crawl can take.
import HeraldParse

private let extractors: [ArticleExtractor] = [
    try! ArticleExtractor(profile: .rfi),
    try! ArticleExtractor(profile: .generic),
]
private let contentTypes: [String?] = [
    nil, "text/html", "text/html; charset=utf-8", "text/html; charset=gbk",
    "text/html; charset=big5", "text/html; charset=iso-8859-1",
    "text/html; charset=\"gb18030\"", "text/html;charset=x-no-such-charset",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArticle(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 1 else { return 0 }
    let selector = Int(data[0])
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let extractor = extractors[selector & 1]
    let contentType = contentTypes[(selector >> 1) % contentTypes.count]
    guard
        let article = try? extractor.extract(
            body: body, contentType: contentType,
            url: "https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/20231028-x")
    else {
        return 0
    }
    // What the store hashes and saves must be well-formed text.
    check(!article.title.isEmpty, "an extracted article has an empty title")
    _ = article.bodyHTML.utf8.count + article.bodyText.utf8.count
    return 0
}
