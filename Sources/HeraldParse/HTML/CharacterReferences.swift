import CLibXML2

/// Character references (`&amp;`, `&#8217;`, `&#x4e2d;`) decoded exactly as libxml2 2.9 decodes them in text and
/// attribute values, for the references it reads beyond doubt. The generic profile's stripper uses it to move text
/// and attribute values that hold references out of libxml2's way too (`AttributeTable`): a quarter of what still
/// reached libxml2 on a sample of the corpus was such text and `href`s with `&amp;`, read a character at a time.
///
/// What libxml2 2.9.14 does (HTMLparser.c) and what is read here:
/// - `&#` digits and `&#x` hex digits, then `;` or any other character (`htmlParseCharRef`): the character, in
///   UTF-8 (a `;` is consumed, another character is read next). Read here when there is at least one digit and the
///   character is at least U+0020 and an XML character (libxml2 writes a NUL into an attribute, or nothing into text,
///   for the others);
/// - `&` name `;` (`htmlParseEntityRef`, the name as `htmlParseName` reads it): the entity's character when the name is
///   one of HTML 4's (`htmlEntityLookup`, libxml2's own table, is asked);
/// - every other `&`: as written. An unknown name, or a name without `;` (`&utm_source=` in a link), is written as
///   `&` and the name; a character that cannot start a name (a space, a quote, the end of the run) leaves the `&`
///   alone. A name with characters beyond ASCII cannot be one of HTML 4's, so whatever `htmlParseNameComplex` reads
///   of it is written as it was too.
enum CharacterReferences {
    /// Appends `text` with its references decoded to `out`; false, with `out` as it was, when `text` holds a
    /// reference not read here.
    static func decode(_ text: UnsafeBufferPointer<UInt8>, appendingTo out: inout [UInt8]) -> Bool {
        let had = out.count
        let scanner = MarkupScanner(text)
        var plain = 0
        while let k = scanner.find(UInt8(ascii: "&"), from: plain) {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: text[plain..<k]))
            guard let (scalar, length) = reference(in: text, at: k) else {
                out.removeSubrange(had...)
                return false
            }
            appendUTF8(scalar, to: &out)
            plain = k + length
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: text[plain..<text.count]))
        return true
    }

    /// Can `decode` read every reference of `text`?
    static func canDecode(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var k = 0
        while k < text.count {
            if text[k] == UInt8(ascii: "&") {
                guard let (_, length) = reference(in: text, at: k) else { return false }
                k += length
            } else {
                k += 1
            }
        }
        return true
    }

    /// The character the reference at `start` (an `&`) stands for and the reference's length, or nil when it is not
    /// one read here.
    private static func reference(in text: UnsafeBufferPointer<UInt8>, at start: Int) -> (UInt32, Int)? {
        guard start + 1 < text.count else { return (0x26, 1) }  // `&` at the end: a tag or a quote follows
        let next = text[start + 1]
        if next == UInt8(ascii: "#") { return numeric(in: text, at: start) }
        if Byte.isAlpha(next) || next == UInt8(ascii: "_") || next == UInt8(ascii: ":") {
            return named(in: text, at: start)
        }
        return (0x26, 1)
    }

    /// `&#…;` or `&#x…;`.
    private static func numeric(in text: UnsafeBufferPointer<UInt8>, at start: Int) -> (UInt32, Int)? {
        var k = start + 2
        let hex = k < text.count && (text[k] | 0x20) == UInt8(ascii: "x")
        if hex { k += 1 }
        let digitsStart = k
        var value: UInt32 = 0
        while k < text.count, k - digitsStart < 8 {
            let byte = text[k]
            if Byte.isDigit(byte) {
                value = value * (hex ? 16 : 10) + UInt32(byte - 0x30)
            } else if hex, isHexLetter(byte) {
                value = value * 16 + UInt32((byte | 0x20) - UInt8(ascii: "a") + 10)
            } else {
                break
            }
            k += 1
        }
        guard k > digitsStart, isReadCharacter(value) else { return nil }
        guard k < text.count else { return (value, k - start) }
        if text[k] == UInt8(ascii: ";") { return (value, k + 1 - start) }
        // More digits than read here: libxml2 reads on.
        return Byte.isDigit(text[k]) || (hex && Self.isHexLetter(text[k])) ? nil : (value, k - start)
    }

    private static func isHexLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f")
    }

    /// At least U+0020 and an XML character (libxml2's `IS_CHAR`).
    private static func isReadCharacter(_ value: UInt32) -> Bool {
        (0x20...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
    }

    /// `&name;` with a name HTML 4 defines, or else the `&` as written.
    private static func named(in text: UnsafeBufferPointer<UInt8>, at start: Int) -> (UInt32, Int)? {
        var k = start + 1
        while k < text.count, isNameByte(text[k]) { k += 1 }
        guard k < text.count, text[k] == UInt8(ascii: ";"),
            let value = entity(UnsafeBufferPointer(rebasing: text[(start + 1)..<k]))
        else { return (0x26, 1) }
        return (value, k + 1 - start)
    }

    /// The bytes `htmlParseName` reads as an ASCII name.
    @inline(__always)
    private static func isNameByte(_ byte: UInt8) -> Bool {
        Byte.isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
    }

    /// The character of the HTML 4 entity `name` (case-sensitive), from libxml2's table. The commonest without
    /// asking it each time: its lookup compares the name with each of its 253 entries (`CharacterReferencesTests`
    /// checks the first ones against it).
    static func entity(_ name: UnsafeBufferPointer<UInt8>) -> UInt32? {
        switch name.count {
        case 2:
            if name[0] == UInt8(ascii: "l"), name[1] == UInt8(ascii: "t") { return 0x3C }
            if name[0] == UInt8(ascii: "g"), name[1] == UInt8(ascii: "t") { return 0x3E }
        case 3:
            if name.elementsEqual("amp".utf8) { return 0x26 }
        case 4:
            if name.elementsEqual("nbsp".utf8) { return 0xA0 }
            if name.elementsEqual("quot".utf8) { return 0x22 }
            if name.elementsEqual("apos".utf8) { return 0x27 }
        default:
            break
        }
        guard name.count <= 8 else { return nil }  // HTML 4's longest names have 8 letters
        if let value = common[key(name)] { return value }
        return lookUp(name)
    }

    /// Names seen often on news pages (typographic quotes and dashes, accented letters), looked up in libxml2's table
    /// once.
    private static let common: [UInt64: UInt32] = {
        let names = [
            "rsquo", "lsquo", "rdquo", "ldquo", "bdquo", "sbquo", "ndash", "mdash", "hellip", "laquo", "raquo", "bull",
            "middot", "copy", "reg", "trade", "euro", "pound", "deg", "times", "shy", "zwnj", "zwj", "thinsp", "ensp",
            "emsp", "eacute", "egrave", "ecirc", "aacute", "agrave", "acirc", "iacute", "oacute", "ocirc", "uacute",
            "ccedil", "ntilde", "auml", "ouml", "uuml", "Auml", "Ouml", "Uuml", "szlig", "Eacute", "aring", "oslash",
        ]
        var table: [UInt64: UInt32] = [:]
        for name in names {
            let bytes = Array(name.utf8)
            if let value = bytes.withUnsafeBufferPointer(lookUp) { table[bytes.withUnsafeBufferPointer(key)] = value }
        }
        return table
    }()

    /// A name of up to 8 bytes as one integer.
    private static func key(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var key: UInt64 = 0
        for (i, byte) in name.enumerated() { key |= UInt64(byte) << UInt64(i * 8) }
        return key
    }

    /// libxml2's `htmlEntityLookup`.
    private static func lookUp(_ name: UnsafeBufferPointer<UInt8>) -> UInt32? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: name.count + 1) { copy in
            _ = copy.initialize(from: name)
            copy[name.count] = 0
            return htmlEntityLookup(copy.baseAddress)?.pointee.value
        }
    }

    private static func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
        switch value {
        case ..<0x80:
            out.append(UInt8(value))
        case ..<0x800:
            out.append(UInt8(0xC0 | (value >> 6)))
            out.append(UInt8(0x80 | (value & 0x3F)))
        case ..<0x10000:
            out.append(UInt8(0xE0 | (value >> 12)))
            out.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (value & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (value >> 18)))
            out.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (value & 0x3F)))
        }
    }
}
