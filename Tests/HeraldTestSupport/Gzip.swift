/// A tiny gzip writer for the fixture server (no zlib needed): stored (uncompressed) deflate blocks with a correct
/// CRC-32, a deliberately corrupt variant, and a "bomb" whose small body inflates to many identical bytes.
public enum Gzip {
    /// gzip member holding `data` in stored deflate blocks (RFC 1951 §3.2.4) — valid, just not smaller.
    public static func stored(_ data: [UInt8]) -> [UInt8] {
        var out = header
        var offset = 0
        repeat {
            let length = min(65_535, data.count - offset)
            let final: UInt8 = offset + length == data.count ? 1 : 0
            out.append(final)  // BFINAL, BTYPE=00, rest of the byte is padding
            out.append(contentsOf: le16(length) + le16(~length & 0xFFFF))
            out.append(contentsOf: data[offset..<offset + length])
            offset += length
        } while offset < data.count
        out.append(contentsOf: trailer(crc: crc32(data), size: data.count))
        return out
    }

    /// Like `stored`, but the first block's NLEN is not the complement of LEN: every inflater rejects it
    /// ("invalid stored block lengths"), after the headers have been sent.
    public static func corrupt(_ data: [UInt8]) -> [UInt8] {
        var out = stored(data)
        out[header.count + 3] ^= 0xFF  // first byte of NLEN
        return out
    }

    /// gzip member that inflates to `count` copies of `byte` using fixed-Huffman back-references (258 bytes per
    /// 13 bits): about 1/160 of the decoded size on the wire. For body caps that must count decoded bytes.
    public static func repeated(_ byte: UInt8, count: Int) -> [UInt8] {
        precondition(count >= 1)
        var bits = BitWriter()
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE=01 fixed Huffman (LSB first)
        bits.writeLiteral(byte)
        var remaining = count - 1
        while remaining >= 258 {
            bits.writeCode(0xC5, length: 8)  // length symbol 285 = 258 bytes
            bits.writeCode(0, length: 5)  // distance code 0 = 1 byte back
            remaining -= 258
        }
        for _ in 0..<remaining { bits.writeLiteral(byte) }
        bits.writeCode(0, length: 7)  // end of block (256)
        var crc = CRC32()
        let chunk = [UInt8](repeating: byte, count: 65_536)
        var left = count
        while left > 0 {
            let n = min(left, chunk.count)
            crc.update(chunk[0..<n])
            left -= n
        }
        return header + bits.finished + trailer(crc: crc.value, size: count)
    }

    public static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc = CRC32()
        crc.update(data[...])
        return crc.value
    }

    // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=unix
    private static let header: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]

    private static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }

    private static func trailer(crc: UInt32, size: Int) -> [UInt8] {
        let s = UInt32(truncatingIfNeeded: size)
        return (0..<4).map { UInt8((crc >> (8 * UInt32($0))) & 0xFF) }
            + (0..<4).map { UInt8((s >> (8 * UInt32($0))) & 0xFF) }
    }
}

private struct CRC32 {
    private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    private var crc: UInt32 = 0xFFFF_FFFF
    var value: UInt32 { crc ^ 0xFFFF_FFFF }

    mutating func update(_ bytes: ArraySlice<UInt8>) {
        let table = Self.table
        var c = crc
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        crc = c
    }
}

/// Deflate's bit order: data elements LSB first, Huffman codes MSB first.
private struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var current: UInt8 = 0
    private var used = 0

    mutating func write(_ value: Int, count: Int) {
        for i in 0..<count { push((value >> i) & 1) }
    }

    mutating func writeCode(_ code: Int, length: Int) {
        for i in stride(from: length - 1, through: 0, by: -1) { push((code >> i) & 1) }
    }

    mutating func writeLiteral(_ byte: UInt8) {
        if byte < 144 { writeCode(0x30 + Int(byte), length: 8) } else { writeCode(0x190 + Int(byte) - 144, length: 9) }
    }

    private mutating func push(_ bit: Int) {
        current |= UInt8(bit) << used
        used += 1
        if used == 8 {
            bytes.append(current)
            current = 0
            used = 0
        }
    }

    /// Flushes the partial byte.
    var finished: [UInt8] { used == 0 ? bytes : bytes + [current] }
}
