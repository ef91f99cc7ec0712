/// One HTML response, ready for extraction: decoded to UTF-8 (`Charset`), stripped of script/style/svg/comment bytes
/// (`ContentStripper`), parsed by libxml2.
struct HTMLPage {
    let document: MarkupDocument
    /// WHATWG name of the encoding the body was decoded from.
    let encoding: String
    /// The bytes look cut off (`Truncation`).
    let looksTruncated: Bool

    /// nil when libxml2 builds no tree (empty or binary input). `furniture`: elements outside `<article>` the caller
    /// never reads (see `ContentStripper`).
    static func load(
        body: [UInt8], contentType: String?,
        furniture: Set<ContentStripper.Furniture> = [], readAttributesOnly: Bool = false
    ) -> HTMLPage? {
        let decoded = Charset.decode(body, contentType: contentType)
        let truncated = Truncation.looksTruncated(decoded.utf8, closingTags: ["html", "body"])
        let stripped: [UInt8]
        var table: AttributeTable?
        if readAttributesOnly {
            (stripped, table) = ContentStripper.stripMovingValues(decoded.utf8, furniture: furniture)
        } else {
            stripped = ContentStripper.strip(decoded.utf8, furniture: furniture)
        }
        var document = MarkupDocument.html(utf8: stripped, attributes: table, readAttributesOnly: readAttributesOnly)
        if document == nil, table != nil {
            // libxml2 reported another number of attribute markers than the stripper wrote (see
            // `herald_html_read`): the page is read again with its values where they were.
            document = MarkupDocument.html(
                utf8: ContentStripper.strip(decoded.utf8, furniture: furniture, readAttributesOnly: true),
                readAttributesOnly: true)
        }
        guard let document, document.root != nil else { return nil }
        return HTMLPage(document: document, encoding: decoded.encoding, looksTruncated: truncated)
    }
}
