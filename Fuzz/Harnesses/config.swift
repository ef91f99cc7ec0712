// libFuzzer target: config decoding and validation (the positioned JSON parser, every field rule, durations, regular
// expressions, XPath compilation). Input: the bytes of a config file. Invalid files must come back as a ConfigError
// whose every problem names a location; nothing may crash.
import Foundation

private let folder: String = {
    let path = NSTemporaryDirectory() + "herald-fuzz-config"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let config = try ConfigLoader.load(bytes: bytes, file: folder + "/config.json")
        check(!config.sources.isEmpty, "a valid config without sources")
        for source in config.sources {
            check(source.listing.lowercased().hasPrefix("http"), "non-http listing accepted: \(source.listing)")
            check(source.jitter < source.interval, "jitter not below the interval")
        }
    } catch {
        check(!error.problems.isEmpty, "a ConfigError without problems")
        _ = error.description
    }
    return 0
}
