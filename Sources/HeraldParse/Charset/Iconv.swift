import Glibc

/// glibc iconv, for the multi-byte legacy encodings (GB18030, Big5-HKSCS, Shift_JIS…).
///
/// Each call opens its own converter: iconv descriptors carry shift state and are not safe to share between threads.
enum Iconv {
    static func isSupported(_ name: String) -> Bool {
        let descriptor = iconv_open("UTF-8", name)
        guard descriptor != invalid else { return false }
        iconv_close(descriptor)
        return true
    }

    /// Decodes to UTF-8. An invalid byte becomes U+FFFD and decoding resumes at the next byte (WHATWG's decoders do
    /// the same for a lead byte whose trail is not valid); a sequence cut off at the end becomes one U+FFFD.
    /// `nil` when the converter cannot be opened.
    static func decode(_ input: UnsafeBufferPointer<UInt8>, from name: String) -> [UInt8]? {
        let descriptor = iconv_open("UTF-8", name)
        guard descriptor != invalid else { return nil }
        defer { iconv_close(descriptor) }
        guard let base = input.baseAddress, !input.isEmpty else { return [] }

        var output = [UInt8](repeating: 0, count: input.count * 2 + 64)
        var written = 0
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base)
            .assumingMemoryBound(to: CChar.self)
        var inLeft = input.count
        while inLeft > 0 {
            let result: Int = output.withUnsafeMutableBytes { raw in
                var outPointer: UnsafeMutablePointer<CChar>? = raw.baseAddress!.advanced(by: written)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = raw.count - written
                let before = outLeft
                let status = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                written += before - outLeft
                return status == -1 ? Int(errno) : 0
            }
            switch result {
            case 0:
                continue
            case Int(E2BIG):
                output.append(contentsOf: repeatElement(0, count: output.count))
            case Int(EILSEQ):
                ensureRoom(&output, written: written)
                appendReplacement(&output, &written)
                inPointer = inPointer.map { $0 + 1 }
                inLeft -= 1
            default:  // EINVAL: an incomplete sequence at the end of the input
                ensureRoom(&output, written: written)
                appendReplacement(&output, &written)
                inLeft = 0
            }
        }
        output.removeLast(output.count - written)
        return output
    }

    private static var invalid: iconv_t? { iconv_t(bitPattern: -1) }

    private static func ensureRoom(_ output: inout [UInt8], written: Int) {
        if output.count - written < 3 { output.append(contentsOf: repeatElement(0, count: 64)) }
    }

    private static func appendReplacement(_ output: inout [UInt8], _ written: inout Int) {
        output[written] = 0xEF
        output[written + 1] = 0xBF
        output[written + 2] = 0xBD
        written += 3
    }
}
