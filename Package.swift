// swift-tools-version:6.0
//
// Herald's targets keep the layering the design promises, enforced by the compiler:
//   C shims (CCurl, CLibXML2, CSQLite, CZlib)  — the only code that sees C headers
//   HeraldTime, HeraldURL, HeraldArticle — the value types every layer shares: an instant, a URL, an article
//   HeraldParse  — bytes in, articles and links out; knows nothing of HTTP or SQLite
//   HeraldFetch  — HTTP over libcurl, politeness, robots.txt; knows nothing of HTML or SQLite
//   HeraldStore  — SQLite schema, migrations and queries; knows nothing of HTML or HTTP
//   HeraldStatus — the status socket's HTTP server and client, its JSON documents, the JSON writer; no Herald deps
//   HeraldConfiguration — the config file: reading (comments, line:column errors), checks, lookup, editing
//   HeraldCore   — crawl pass, scheduler, export, daemon: wires the others
//   herald       — the command line; the only target that parses argv
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Herald",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "herald", targets: ["herald"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Tests only: HeraldSourceChecks reads Herald's sources as syntax trees.
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CIDN2", path: "Sources/CIDN2", pkgConfig: "libidn2", providers: [.apt(["libidn2-dev"])]),

        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        .target(name: "HeraldURL", dependencies: ["CIDN2"], swiftSettings: strict),
        .target(name: "HeraldTime", swiftSettings: strict),
        .target(name: "HeraldArticle", dependencies: ["HeraldTime"], swiftSettings: strict),

        .target(name: "CHTMLTree", dependencies: ["CLibXML2"]),
        .target(
            name: "HeraldParse",
            dependencies: ["CLibXML2", "CHTMLTree", "CZlib", "HeraldURL", "HeraldTime", "HeraldArticle"],
            swiftSettings: strict),
        .target(
            name: "HeraldFetch", dependencies: ["CCurl", "HeraldURL", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(name: "HeraldStore", dependencies: ["CSQLite", "HeraldTime", "HeraldArticle"], swiftSettings: strict),
        .target(
            name: "HeraldStatus", dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "HeraldConfiguration", dependencies: ["HeraldURL", "HeraldParse", "HeraldStatus"],
            swiftSettings: strict),
        .target(
            name: "HeraldCore",
            dependencies: [
                "HeraldURL", "HeraldTime", "HeraldArticle", "HeraldParse", "HeraldFetch", "HeraldStore", "HeraldStatus",
                "HeraldConfiguration",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "herald",
            dependencies: [
                "HeraldCore", "HeraldConfiguration", "HeraldStatus", "HeraldStore", "HeraldParse",
                "HeraldURL", "HeraldTime", "HeraldArticle",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // Benchmarks/run's in-process harness (the seen check on a big database, extraction without start-up).
        // Not a product: it is built with the package but never installed.
        .executableTarget(
            name: "herald-bench",
            dependencies: [
                "HeraldCore", "HeraldConfiguration", "HeraldParse",
                "HeraldStore", "HeraldURL", "HeraldTime", "HeraldArticle",
            ],
            path: "Benchmarks/Sources/herald-bench", swiftSettings: strict),

        // Shared by the test targets: the fixture site generator, a loopback HTTP server, waiting helpers.
        .target(
            name: "HeraldTestSupport", dependencies: ["HeraldTime", "HeraldArticle"], path: "Tests/HeraldTestSupport",
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "HeraldParseTests",
            dependencies: ["HeraldParse", "CLibXML2", "HeraldURL", "HeraldTime", "HeraldArticle", "HeraldTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "HeraldFetchTests",
            dependencies: [
                "HeraldFetch", "HeraldURL", "HeraldTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "HeraldStoreTests",
            dependencies: ["HeraldStore", "HeraldTime", "HeraldArticle", "HeraldTestSupport"],
            swiftSettings: strict),
        // Checks over Herald's own sources for code that compiles cleanly and fails in production.
        .testTarget(
            name: "HeraldSourceChecks",
            dependencies: [
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
            ],
            swiftSettings: strict),
        .testTarget(name: "HeraldURLTests", dependencies: ["HeraldURL"], swiftSettings: strict),
        .testTarget(name: "HeraldTimeTests", dependencies: ["HeraldTime"], swiftSettings: strict),
        .testTarget(name: "HeraldStatusTests", dependencies: ["HeraldStatus"], swiftSettings: strict),
        .testTarget(
            name: "HeraldCoreTests",
            dependencies: [
                "HeraldCore", "HeraldConfiguration", "HeraldParse",
                "HeraldFetch", "HeraldStore", "HeraldStatus", "HeraldURL",
                "HeraldTime", "HeraldArticle", "HeraldTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
    ]
)
