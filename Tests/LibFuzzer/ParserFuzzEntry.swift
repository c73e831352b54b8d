import Analyzer
import Foundation
import PermissionCatalog

/// Coverage-guided fuzzing of secperm's input parsers with libFuzzer. The first byte of an input
/// chooses the parser, the rest is its text:
///
///   0 securityadmin YAML (config.yml, roles.yml, … chosen by the second byte)
///   1 Dev Tools console requests, then the plan of each   2 cases file (JSON Lines)
///   3 date math index name              4 node setting override (`key=value`)
///   5 cluster metadata JSON
///
/// Fuzzing, with libFuzzer (`Tests/LibFuzzer/fuzz.sh [seconds]` builds and runs it):
///
///     swift build -c release --product secperm-fuzz-parsers --sanitize=fuzzer \
///         -Xswiftc -DSECPERM_LIBFUZZER --build-path .build-fuzz
///
/// Without `-DSECPERM_LIBFUZZER` the same target is a replay tool: `swift run secperm-fuzz-parsers
/// Tests/LibFuzzer/corpus` feeds every file to the same entry point, so the corpus doubles as a
/// regression suite.
enum ParserFuzzEntry {
    static let configNames = ["config.yml", "roles.yml", "roles_mapping.yml", "action_groups.yml", "internal_users.yml",
                              "tenants.yml", "nodes_dn.yml", "allowlist.yml", "audit.yml", "bundle.json"]
    static let now = Date(timeIntervalSince1970: 1_767_225_600)
    static let planner = RequestPlanner(catalog: Catalog(profile: .default))
    static let metadataFile = FileManager.default.temporaryDirectory
        .appendingPathComponent("secperm-fuzz-metadata-\(ProcessInfo.processInfo.processIdentifier).json").path

    static func run(_ bytes: UnsafeRawBufferPointer) {
        guard let selector = bytes.first else { return }
        let payload = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
        let text = String(decoding: payload, as: UTF8.self)
        switch selector % 6 {
        case 0:
            let name = configNames[Int(payload.first ?? 0) % configNames.count]
            _ = try? ConfigLoader().load(text: String(decoding: payload.dropFirst(), as: UTF8.self), name: name)
        case 1:
            for request in (try? ConsoleParser.parse(text, file: "requests.txt")) ?? [] { _ = planner.plan(request) }
        case 2:
            _ = try? BatchCase.parse(text, file: "cases.jsonl")
        case 3:
            _ = DateMath.resolve(text, now: now)
        case 4:
            _ = try? InputFiles.nodeSettings(path: nil, overrides: [text], profile: .default)
        default:
            guard FileManager.default.createFile(atPath: metadataFile, contents: Data(payload)) else { return }
            _ = try? InputFiles.clusterMetadata(path: metadataFile)
        }
    }
}

#if SECPERM_LIBFUZZER
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ParserFuzzEntry.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}
#else
/// Replays files (or every file of the folders given) through the parsers, one at a time, and
/// names each before running it, so a crash points at its input.
@main
enum ParserFuzzReplay {
    static func main() {
        var files: [String] = []
        for argument in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("\(argument): no such file or directory\n".utf8))
                exit(2)
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
                files += names.sorted().map { (argument as NSString).appendingPathComponent($0) }
            } else {
                files.append(argument)
            }
        }
        for file in files {
            FileHandle.standardError.write(Data("\(file)\n".utf8))
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            data.withUnsafeBytes { ParserFuzzEntry.run($0) }
        }
        print("replayed \(files.count) inputs")
    }
}
#endif
