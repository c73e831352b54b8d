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
    ],
    targets: [
        .target(name: "PermissionCatalog", swiftSettings: strict),
        .target(
            name: "Analyzer",
            dependencies: ["PermissionCatalog", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        .executableTarget(
            name: "secperm",
            dependencies: [
                "PermissionCatalog", "Analyzer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
