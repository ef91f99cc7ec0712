import Foundation

/// The article object of a page's JSON-LD (schema.org `NewsArticle` and kin), wherever it sits: top level, in an
/// array, or in an `@graph`.
struct JSONLDArticle {
    private static let articleTypes: Set<String> = [
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
        "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "report", "techarticle",
        "scholarlyarticle", "socialmediaposting",
    ]

    let object: [String: Any]
    /// The script's objects by `@id`, to resolve references (`"author": {"@id": "…#/schema/person/…"}`: Yoast's graphs
    /// name the author in a `Person` object of their own).
    var objectsByID: [String: [String: Any]] = [:]

    /// The first article object in the page's `application/ld+json` scripts.
    static func find(in scripts: [(id: String?, type: String, text: String)]) -> JSONLDArticle? {
        for script in scripts where script.type.lowercased().contains("ld+json") {
            guard mayMention(script.text, articleTypeParts, ignoringCase: true),
                let data = script.text.data(using: .utf8),
                let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            else {
                continue
            }
            if let found = search(json, depth: 0) {
                var article = JSONLDArticle(object: found)
                index(json, into: &article.objectsByID, depth: 0)
                return article
            }
        }
        return nil
    }

    /// Every article type contains one of these (ASCII letters: only they lowercase to them, but for the Kelvin sign).
    private static let articleTypeParts = [Array("article".utf8), Array("posting".utf8), Array("report".utf8)]
    private static let datePublishedKey = [Array("datePublished".utf8)]
    private static let escape = Array("\\u".utf8)

    /// Can the script's JSON hold one of `parts` (as bytes, or behind a `\u` escape)? A script that cannot is not
    /// parsed: speed, `JSONSerialization` is slow on Linux and most pages carry `BreadcrumbList`, `Organization` or
    /// `WebSite` scripts beside the article's (measured: JSON parsing N -> M instructions).
    private static func mayMention(_ text: String, _ parts: [[UInt8]], ignoringCase: Bool) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            if contains(bytes, escape, ignoringCase: false) { return true }
            return parts.contains { contains(bytes, $0, ignoringCase: ignoringCase) }
        }
    }

    /// A naive search of `part` (lowercase ASCII when `ignoringCase`) in `bytes`.
    private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ part: [UInt8], ignoringCase: Bool) -> Bool {
        guard let first = part.first, bytes.count >= part.count else { return false }
        var i = 0
        let last = bytes.count - part.count
        while i <= last {
            let byte = ignoringCase ? Byte.lowercase(bytes[i]) : bytes[i]
            if byte == first {
                var k = 1
                while k < part.count, (ignoringCase ? Byte.lowercase(bytes[i + k]) : bytes[i + k]) == part[k] { k += 1 }
                if k == part.count { return true }
            }
            i += 1
        }
        return false
    }

    private static func index(_ value: Any, into ids: inout [String: [String: Any]], depth: Int) {
        guard depth < 8 else { return }
        if let array = value as? [Any] {
            for item in array { index(item, into: &ids, depth: depth + 1) }
        } else if let object = value as? [String: Any] {
            if let id = object["@id"] as? String, object.count > 1, ids[id] == nil { ids[id] = object }
            if let graph = object["@graph"] { index(graph, into: &ids, depth: depth + 1) }
        }
    }

    private static func search(_ value: Any, depth: Int) -> [String: Any]? {
        guard depth < 8 else { return nil }
        if let array = value as? [Any] {
            for item in array {
                if let found = search(item, depth: depth + 1) { return found }
            }
        } else if let object = value as? [String: Any] {
            if isArticle(object["@type"]) { return object }
            if let graph = object["@graph"], let found = search(graph, depth: depth + 1) { return found }
            if let main = object["mainEntity"], let found = search(main, depth: depth + 1) { return found }
        }
        return nil
    }

    private static func isArticle(_ type: Any?) -> Bool {
        if let name = type as? String { return articleTypes.contains(name.lowercased()) }
        if let names = type as? [Any] { return names.contains { isArticle($0) } }
        return false
    }

    var headline: String? { string(object["headline"]) ?? string(object["name"]) }
    var datePublished: String? { string(object["datePublished"]) }
    var dateModified: String? { string(object["dateModified"]) }
    var description: String? { string(object["description"]) }
    /// The whole text as the publisher gives it to search engines (often complete where the HTML shows a third).
    var articleBody: String? { string(object["articleBody"]) ?? string(object["text"]) }
    var section: String? { strings(object["articleSection"]).first }

    var authors: [String] {
        Self.flatten(object["author"]).compactMap { item in
            if let name = item as? String { return name }
            if let person = item as? [String: Any] {
                if let name = string(person["name"]) { return name }
                if let id = person["@id"] as? String, let referenced = objectsByID[id] {
                    return string(referenced["name"])
                }
            }
            return nil
        }
    }

    var image: String? {
        for item in Self.flatten(object["image"]) {
            if let url = item as? String { return url }
            if let image = item as? [String: Any], let url = string(image["url"]) ?? string(image["contentUrl"]) {
                return url
            }
        }
        return nil
    }

    /// The caption of the article's `image` (an `ImageObject`'s `caption`, or its `description`).
    var imageCaption: String? {
        for item in Self.flatten(object["image"]) {
            if let image = item as? [String: Any],
                let caption = string(image["caption"]) ?? string(image["description"])
            {
                return Normalize.whitespace(caption)
            }
        }
        return nil
    }

    /// The `datePublished` of any object of the page's JSON-LD (a `WebPage`, a `Blog` post given as `WebPage`), for
    /// pages whose JSON-LD has no article object.
    static func anyDatePublished(in scripts: [(id: String?, type: String, text: String)]) -> String? {
        for script in scripts where script.type.lowercased().contains("ld+json") {
            guard mayMention(script.text, datePublishedKey, ignoringCase: false),
                let data = script.text.data(using: .utf8),
                let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
                let date = searchDate(json, depth: 0)
            else { continue }
            return date
        }
        return nil
    }

    private static func searchDate(_ value: Any, depth: Int) -> String? {
        guard depth < 8 else { return nil }
        if let array = value as? [Any] {
            for item in array {
                if let found = searchDate(item, depth: depth + 1) { return found }
            }
        } else if let object = value as? [String: Any] {
            if let date = object["datePublished"] as? String, !date.isEmpty { return date }
            for key in ["@graph", "mainEntity", "mainEntityOfPage"] {
                if let child = object[key], let found = searchDate(child, depth: depth + 1) { return found }
            }
        }
        return nil
    }

    /// `keywords` as an array, or a comma-separated string.
    var keywords: [String] {
        if let text = object["keywords"] as? String {
            return text.split(separator: ",").map { Normalize.whitespace(String($0)) }.filter { !$0.isEmpty }
        }
        return strings(object["keywords"])
    }

    private static func flatten(_ value: Any?) -> [Any] {
        if let array = value as? [Any] { return array }
        return value.map { [$0] } ?? []
    }

    private func string(_ value: Any?) -> String? {
        if let text = value as? String, !Normalize.whitespace(text).isEmpty { return text }
        if let array = value as? [Any] { return array.lazy.compactMap { string($0) }.first }
        return nil
    }

    private func strings(_ value: Any?) -> [String] {
        Self.flatten(value).compactMap { $0 as? String }.map(Normalize.whitespace).filter { !$0.isEmpty }
    }
}

/// RFI's `<script id="datalayer" type="application/json">`: the publisher's `content_id`.
enum DataLayer {
    static func contentID(in scripts: [(id: String?, type: String, text: String)]) -> String? {
        guard let script = scripts.first(where: { $0.id == "datalayer" }), let data = script.text.data(using: .utf8),
            let json = try? JSONSerialization.jsonObject(with: data)
        else { return nil }
        return find("content_id", in: json, depth: 0)
    }

    private static func find(_ key: String, in value: Any, depth: Int) -> String? {
        guard depth < 6 else { return nil }
        if let object = value as? [String: Any] {
            if let id = object[key] as? String, !id.isEmpty { return id }
            for child in object.values {
                if let found = find(key, in: child, depth: depth + 1) { return found }
            }
        } else if let array = value as? [Any] {
            for child in array {
                if let found = find(key, in: child, depth: depth + 1) { return found }
            }
        }
        return nil
    }
}
