import CLibXML2
import CZlib

/// libxml2's pull reader (`xmlTextReader`) over bytes in memory, plain or gzip'd: one node at a time, no tree, so a
/// 50 MB sitemap is walked with the memory of one entry. A gzip'd document is inflated chunk by chunk as the reader
/// asks for more (`herald_gunzip_read`), never whole.
///
/// Not `Sendable`, and only lent to the closure of `reading`: the bytes it reads are borrowed for that call.
final class XMLStream {
    enum Event {
        case start(name: String, namespace: String?, isEmpty: Bool)
        case end(name: String)
        case text(String)
    }

    private let reader: xmlTextReaderPtr
    private let gunzip: UnsafeMutablePointer<herald_gunzip>?

    /// Runs `body` over a reader of `bytes`, read in place (never copied: a 50 MB sitemap costs its own bytes only).
    /// - Parameters:
    ///   - gzipped: inflate first (gzip or zlib framing).
    ///   - inflateLimit: most bytes a gzip'd document may inflate to; past it the stream ends with `failed`.
    /// - Returns: nil when libxml2 cannot start a reader (empty input).
    static func reading<T>(
        _ bytes: [UInt8], gzipped: Bool, inflateLimit: Int,
        _ body: (XMLStream) throws(ParseError) -> T
    ) throws(ParseError) -> T? {
        LibXML.prepareThread()
        guard !bytes.isEmpty else { return nil }
        let result: Result<T, ParseError>? = bytes.withUnsafeBufferPointer { buffer in
            guard let stream = XMLStream(buffer, gzipped: gzipped, inflateLimit: inflateLimit) else { return nil }
            do throws(ParseError) { return .success(try body(stream)) } catch { return .failure(error) }
        }
        return try result?.get()
    }

    private init?(_ buffer: UnsafeBufferPointer<UInt8>, gzipped: Bool, inflateLimit: Int) {
        // No network, no DTD, no entity expansion: a sitemap cannot make libxml2 fetch or expand anything.
        let options = Int32(
            XML_PARSE_RECOVER.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                | XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        if gzipped {
            let state = UnsafeMutablePointer<herald_gunzip>.allocate(capacity: 1)
            guard herald_gunzip_begin(state, buffer.baseAddress, buffer.count, UInt64(inflateLimit)) == 0,
                let made = xmlReaderForIO(herald_gunzip_read, nil, state, nil, nil, options)
            else {
                state.deallocate()
                return nil
            }
            gunzip = state
            reader = made
        } else {
            let made = buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlReaderForMemory(chars.baseAddress, Int32(clamping: chars.count), nil, nil, options)
            }
            guard let made else { return nil }
            gunzip = nil
            reader = made
        }
    }

    deinit {
        xmlFreeTextReader(reader)
        if let gunzip {
            herald_gunzip_end(gunzip)
            gunzip.deallocate()
        }
    }

    /// The inflater met corrupt or cut-off input, or passed its limit.
    var failed: Bool { gunzip.map { herald_gunzip_failed($0) != 0 } ?? false }

    /// The next element start, element end or text; nil at the end of the document (or at a fatal error).
    func next() -> Event? {
        while xmlTextReaderRead(reader) == 1 {
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                let namespace = xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) }
                return .start(name: localName, namespace: namespace, isEmpty: xmlTextReaderIsEmptyElement(reader) == 1)
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                return .end(name: localName)
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue):
                return .text(xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? "")
            default:
                continue
            }
        }
        return nil
    }

    private var localName: String {
        xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
    }
}
