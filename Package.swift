// swift-tools-version: 6.2
import PackageDescription

// Warnings are defects in this package: every target treats them as errors.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "secperm",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "secperm", targets: ["secperm"]),
        .library(name: "PermissionCatalog", targets: ["PermissionCatalog"]),
        .library(name: "Analyzer", targets: ["Analyzer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // The network edge of the executable only (Sources/secperm/Live): the HTTP client with TLS
        // client certificates, and the `simulate` server. Engine targets never import these.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        // DER walking for the client certificate's subject DN (already in the graph under NIO SSL).
        .package(url: "https://github.com/apple/swift-asn1", from: "1.0.0"),
    ],
    targets: [
        .target(name: "PermissionCatalog", swiftSettings: strict),
        // The system's crypt(3) (libcrypt / libxcrypt) for bcrypt password hashes.
        .systemLibrary(name: "CCrypt", path: "Sources/CCrypt"),
        .target(
            name: "Analyzer",
            dependencies: ["PermissionCatalog", "CCrypt", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        .executableTarget(
            name: "secperm",
            dependencies: [
                "PermissionCatalog", "Analyzer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict),
        // Regenerates Sources/PermissionCatalog/Generated/ from data/. Run: swift run secperm-datagen
        .executableTarget(name: "secperm-datagen", swiftSettings: strict),
        .testTarget(name: "PermissionCatalogTests", dependencies: ["PermissionCatalog"], swiftSettings: strict),
        .testTarget(name: "AnalyzerTests", dependencies: ["Analyzer", "PermissionCatalog"], swiftSettings: strict),
        .testTarget(name: "secpermTests", dependencies: ["secperm"], swiftSettings: strict),
        // Mutation fuzzing of the built binary against the CLI contract; a short fixed-seed round runs
        // in `swift test`, a long one with SECPERM_FUZZ_ITERATIONS (Tests/FuzzTests/FuzzContractTests.swift).
        .testTarget(name: "FuzzTests", dependencies: ["secperm"], swiftSettings: strict),
        // libFuzzer harness for the parsers: replays Tests/LibFuzzer/corpus in a normal build, fuzzes when
        // built with --sanitize=fuzzer -Xswiftc -DSECPERM_LIBFUZZER (Tests/LibFuzzer/ParserFuzzEntry.swift).
        .executableTarget(
            name: "secperm-fuzz-parsers", dependencies: ["Analyzer", "PermissionCatalog"],
            path: "Tests/LibFuzzer", exclude: ["corpus", "regressions", "parsers.dict", "fuzz.sh"], swiftSettings: strict),
    ]
)
