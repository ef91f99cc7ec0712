import Foundation

/// Titles and author names as pages write them, made into the fields a reader expects.
enum TitleCleaner {
    private static let separators = [" | ", " - ", " – ", " — ", " :: ", " · ", " » ", "｜", " _ "]

    /// "Headline | Site" → "Headline" when the last part is the site's name (`og:site_name`), or when the page's
    /// `h1` is the part before the separator. Anything else is kept: a title may contain a dash of its own.
    static func removeSiteName(_ title: String, siteName: String?, heading: () -> String?) -> String {
        guard let separator = separators.first(where: { title.contains($0) }),
            let range = title.range(of: separator, options: .backwards)
        else { return title }
        let head = Normalize.whitespace(String(title[..<range.lowerBound]))
        let tail = Normalize.whitespace(String(title[range.upperBound...]))
        guard !head.isEmpty, !tail.isEmpty else { return title }
        if let siteName = siteName.map(Normalize.whitespace), !siteName.isEmpty,
            tail.lowercased() == siteName.lowercased() || tail.lowercased().hasPrefix(siteName.lowercased())
        {
            return head
        }
        if let heading = heading(), heading == head { return head }
        return title
    }

    private static let authorPrefixes = [
        "by ", "von ", "par ", "por ", "di ", "door ", "作者：", "作者:", "文／", "文/", "记者 ",
    ]

    /// "By Jane Doe" → "Jane Doe"; whitespace normalised.
    static func author(_ raw: String) -> String {
        var name = Normalize.whitespace(raw)
        for prefix in authorPrefixes where name.lowercased().hasPrefix(prefix) {
            name = Normalize.whitespace(String(name.dropFirst(prefix.count)))
            break
        }
        return name
    }
}
