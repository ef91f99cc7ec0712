import Foundation
import HeraldStore
import HeraldTime

/// The seed's format: one Markdown file per article, as the duty-machine/news archive wrote them (see
/// docs/export.md and `../shared/fixtures/README.md`, "Export").
///
/// ```
/// <!--1698488101000-->                     first fetch, ms since the epoch
/// [title](canonical url)                   title raw; the URL as the page declares it
/// ------
///
/// <div>28/10/2023 - 11:52</div><img src="og:image"><p><strong>lead</strong></p><div>body</div>
/// ```
/// Line 5 omits the date `<div>` when the page gave no publication time, the `<img>` when it had no og:image and the
/// `<p><strong>` when it had no lead. The file ends with one newline.
package enum SeedMarkdown {
    /// The record of the article's latest version.
    package static func record(_ article: ArchivedArticle, timeZone: TimeZone) -> String {
        record(
            title: article.title, url: article.displayURL, firstSeenAt: article.firstSeenAt,
            publishedAt: article.publishedAt, imageURL: article.imageURL, lead: article.lead,
            leadVerbatim: article.leadVerbatim, bodyHTML: article.bodyHTML, timeZone: timeZone)
    }

    /// The record of one stored revision (title, lead and body of that version; the rest from the article).
    package static func record(_ revision: ArticleRevision, of article: ArchivedArticle, timeZone: TimeZone) -> String {
        record(
            title: revision.title, url: article.displayURL, firstSeenAt: article.firstSeenAt,
            publishedAt: article.publishedAt, imageURL: article.imageURL, lead: revision.lead,
            leadVerbatim: revision.leadVerbatim, bodyHTML: revision.bodyHTML, timeZone: timeZone)
    }

    static func record(
        title: String, url: String, firstSeenAt: Instant, publishedAt: Instant?, imageURL: String?,
        lead: String?, leadVerbatim: String?, bodyHTML: String, timeZone: TimeZone
    ) -> String {
        let fetchedMilliseconds = firstSeenAt.secondsSince1970 * 1000
        var line = ""
        if let publishedAt {
            line += "<div>\(localTime(publishedAt.date, in: timeZone))</div>"
        }
        if let imageURL, !imageURL.isEmpty {
            line += "<img src=\"\(escapeAttribute(imageURL))\">"
        }
        // Whether there is a lead is the normalised lead's call; its text is the verbatim one when stored (RFI's
        // chapo keeps its eight trailing spaces), else the normalised one (rows stored before schema v2).
        if let lead, !lead.isEmpty {
            line += "<p><strong>\(escapeText(leadVerbatim ?? lead))</strong></p>"
        }
        line += "<div>\(bodyHTML)</div>"
        return "<!--\(fetchedMilliseconds)-->\n[\(title)](\(url))\n------\n\n\(line)\n"
    }

    /// The per-source index (the archive's `lists/` page): the display name, `------`, a blank line, then one
    /// `M-D [title](path)` entry per article, newest first, separated by blank lines.
    package static func index(
        displayName: String, entries: [(article: ArticleSummary, path: String)],
        timeZone: TimeZone
    ) -> String {
        var out = "\(displayName)\n------\n"
        for (article, path) in entries {
            let day = monthDay((article.publishedAt ?? article.firstSeenAt).date, in: timeZone)
            out += "\n\(day) [\(article.title)](\(path))\n"
        }
        return out
    }

    /// `dd/MM/yyyy - HH:mm` in `timeZone`, as RFI shows it under the headline.
    static func localTime(_ date: Date, in timeZone: TimeZone) -> String {
        let parts = components(date, timeZone)
        return String(
            format: "%02d/%02d/%04d - %02d:%02d", parts.day ?? 0, parts.month ?? 0, parts.year ?? 0,
            parts.hour ?? 0, parts.minute ?? 0)
    }

    /// `M-D` (no zero padding) in `timeZone`, as the archive's index pages have it.
    static func monthDay(_ date: Date, in timeZone: TimeZone) -> String {
        let parts = components(date, timeZone)
        return "\(parts.month ?? 0)-\(parts.day ?? 0)"
    }

    private static func components(_ date: Date, _ timeZone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    /// HTML fragment serialisation of text: `&`, `<`, `>` and U+00A0 (`&nbsp;`); nothing else is touched.
    static func escapeText(_ text: String) -> String {
        escape(text) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\u{A0}": "&nbsp;"
            default: nil
            }
        }
    }

    /// HTML fragment serialisation of an attribute value: `&`, `"` and U+00A0.
    static func escapeAttribute(_ text: String) -> String {
        escape(text) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "\"": "&quot;"
            case "\u{A0}": "&nbsp;"
            default: nil
            }
        }
    }

    private static func escape(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        guard text.unicodeScalars.contains(where: { replacement($0) != nil }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if let replaced = replacement(scalar) { out += replaced } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
