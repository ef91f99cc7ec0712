import Foundation
import HeraldURL

/// The feeds of an OPML subscription list (OPML 1.0/2.0, what every feed reader exports): each `<outline>` with an
/// `xmlUrl`, at any depth (readers nest them in folders), in document order, duplicates dropped.
package enum OPMLReader {
    package struct Feed: Sendable, Equatable {
        /// Canonical feed URL.
        package var url: String
        /// `title`, else `text`.
        package var title: String?
        package var siteURL: String?
    }

    /// - Throws: `.unreadable` when the bytes are not an OPML document.
    package static func feeds(in bytes: [UInt8], file: String) throws(ParseError) -> [Feed] {
        let prepared = XMLBytes.prepare(bytes)
        guard let document = MarkupDocument.xml(prepared.bytes, encoding: prepared.encoding), let root = document.root,
            root.name.lowercased() == "opml"
        else {
            throw .unreadable(url: file, reason: "not an OPML document (no <opml> root element)")
        }
        var feeds: [Feed] = []
        var seen: Set<String> = []
        for outline in root.all(where: { $0.name == "outline" }) {
            guard let raw = outline.attribute("xmlUrl") ?? outline.attribute("xmlurl"),
                let url = CanonicalURL.canonicalize(raw.trimmingCharacters(in: .whitespaces)), url.hasPrefix("http"),
                seen.insert(url).inserted
            else { continue }
            let title = (outline.attribute("title") ?? outline.attribute("text")).map(Normalize.whitespace)
            feeds.append(
                Feed(
                    url: url, title: title?.isEmpty == true ? nil : title,
                    siteURL: outline.attribute("htmlUrl").flatMap(CanonicalURL.canonicalize)))
        }
        return feeds
    }
}
