import CLibXML2
import HeraldURL

/// The HTML elements extraction distinguishes. Looked up from libxml2's name bytes without building a `String`
/// (this runs for every element of every page, several times).
enum Tag: String, CaseIterable {
    case none, other
    case a, article, aside, audio, b, base, blockquote, body, br, button, canvas, caption, code, col, colgroup, dd
    case del, details, dialog, div, dl, dt, em, embed, fieldset, figcaption, figure, footer, form, frame, frameset
    case h1, h2, h3, h4, h5, h6, head, header, hr, html, i, iframe, img, input, ins, label, legend, li, link, main
    case mark, math, menu, meta, nav, noscript, object, ol, optgroup, option, p, picture, pre, q, rp, rt, s, script
    case section
    case select, small, source, span, strong, style, sub, summary, sup, svg, table, tbody, td, template, textarea
    case tfoot, th, thead, time, title, tr, u, ul, video, wbr

    init(rawName: UnsafePointer<xmlChar>?) {
        guard let rawName else {
            self = .none
            return
        }
        var key: UInt64 = 0
        var length = 0
        while rawName[length] != 0 {
            if length == 8 {  // only `blockquote`, `figcaption`, `textarea`… are long; compare them in full
                self = Self.longNames[String(cString: rawName)] ?? .other
                return
            }
            key |= UInt64(Byte.lowercase(rawName[length])) << UInt64(length * 8)
            length += 1
        }
        self = Self.shortNames[key] ?? .other
    }

    private static let shortNames: [UInt64: Tag] = {
        var table: [UInt64: Tag] = [:]
        for tag in allCases where tag != .none && tag != .other && tag.rawValue.utf8.count <= 8 {
            var key: UInt64 = 0
            for (i, byte) in tag.rawValue.utf8.enumerated() { key |= UInt64(byte) << UInt64(i * 8) }
            table[key] = tag
        }
        return table
    }()

    private static let longNames: [String: Tag] = Dictionary(
        uniqueKeysWithValues: allCases.filter { $0.rawValue.utf8.count > 8 }.map { ($0.rawValue, $0) })
}

extension Tag {
    /// The case's position in the declaration (0..<128): a bit of `TagSet`, and the cache key in libxml2's node.
    @inline(__always)
    var index: Int { Int(unsafeBitCast(self, to: UInt8.self)) }

    @inline(__always)
    init(index: Int) {
        assert(index >= 0 && index < Tag.allCases.count)
        self = unsafeBitCast(UInt8(truncatingIfNeeded: index), to: Tag.self)
    }
}

/// A set of tags as a 128-bit mask: `contains` is two shifts, where `Set<Tag>` hashed the tag's string with SipHash
/// (the generic extractor asks several sets about every element it visits).
struct TagSet: ExpressibleByArrayLiteral, Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    init(arrayLiteral elements: Tag...) {
        for tag in elements { insert(tag) }
    }

    @inline(__always)
    func contains(_ tag: Tag) -> Bool {
        let i = tag.index
        return i < 64 ? (low >> UInt64(i)) & 1 != 0 : (high >> UInt64(i - 64)) & 1 != 0
    }

    mutating func insert(_ tag: Tag) {
        let i = tag.index
        if i < 64 { low |= 1 << UInt64(i) } else { high |= 1 << UInt64(i - 64) }
    }

    func subtracting(_ other: TagSet) -> TagSet {
        var result = self
        result.low &= ~other.low
        result.high &= ~other.high
        return result
    }
}
