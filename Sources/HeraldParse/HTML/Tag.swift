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
            if length == 8 {  // only `blockquote` and `figcaption` are longer: compared in full
                self = Self.longName(rawName)
                return
            }
            key |= UInt64(Byte.lowercase(rawName[length])) << UInt64(length * 8)
            length += 1
        }
        self = Self.shortNames.tag(forKey: key)
    }

    /// The names of up to 8 bytes, packed little-endian into a `UInt64` (a name's first byte in the low byte).
    static func packed(_ name: String) -> UInt64 {
        var key: UInt64 = 0
        for (i, byte) in name.utf8.enumerated() { key |= UInt64(byte) << UInt64(i * 8) }
        return key
    }

    private static let shortNames = PackedNameTable(
        allCases.filter { $0 != .none && $0 != .other && $0.rawValue.utf8.count <= 8 })

    private static let longTags = allCases.filter { $0.rawValue.utf8.count > 8 }

    /// A name longer than 8 bytes, compared as it is (not lowercased: `blockquote`, `figcaption`).
    private static func longName(_ rawName: UnsafePointer<xmlChar>) -> Tag {
        for tag in longTags {
            var equal = true
            var i = 0
            for byte in tag.rawValue.utf8 {
                if rawName[i] != byte {
                    equal = false
                    break
                }
                i += 1
            }
            if equal, rawName[i] == 0 { return tag }
        }
        return .other
    }
}

/// The short tag names as an open-addressing hash table keyed on the packed name (speed: `Dictionary<UInt64, Tag>`
/// hashed every element's name with SipHash, about 235 instructions per element; this is a multiply, a shift and a
/// compare or two). 256 slots for about 100 names, so a probe rarely goes past its first slot.
private struct PackedNameTable {
    private var keys = [UInt64](repeating: 0, count: 256)
    private var tags = [Tag](repeating: .other, count: 256)

    init(_ entries: [Tag]) {
        for tag in entries {
            let key = Tag.packed(tag.rawValue)
            var slot = Self.slot(key)
            while keys[slot] != 0 { slot = (slot + 1) & 255 }
            keys[slot] = key
            tags[slot] = tag
        }
    }

    @inline(__always)
    private static func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 56) }

    /// The tag named by `key`, `.other` for none (an empty slot ends the probe; key 0, the empty name, finds one).
    func tag(forKey key: UInt64) -> Tag {
        var slot = Self.slot(key)
        while true {
            let found = keys[slot]
            if found == key { return tags[slot] }
            if found == 0 { return .other }
            slot = (slot + 1) & 255
        }
    }
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
