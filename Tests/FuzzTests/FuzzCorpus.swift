import Foundation

/// The inputs the fuzzer starts from: the bundled sample configuration, the conformance scenarios,
/// console request files and cases files, all read from the repository.
enum FuzzCorpus {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// A configuration folder with what a check against it needs.
    struct Scenario {
        let name: String
        /// Files relative to the scenario folder, with their bytes.
        let files: [String: [UInt8]]
        /// Path of the securityadmin directory, relative to the scenario folder.
        let config: String
        let metadata: String?
        let settings: String?
        let cases: String?
        /// A request that exists in this configuration: user, action, indices.
        let probe: (user: String, action: String, indices: [String])
    }

    static let scenarios: [Scenario] = {
        var result = [sample()]
        let folder = fixtures.appendingPathComponent("conformance")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        for name in names {
            if let scenario = conformance(folder.appendingPathComponent(name)) { result.append(scenario) }
        }
        return result
    }()

    static let consoleFiles: [(name: String, bytes: [UInt8])] = files(in: fixtures.appendingPathComponent("fuzz/console"))
    static let claimsFiles: [(name: String, bytes: [UInt8])] = files(in: fixtures.appendingPathComponent("fuzz/claims"))

    /// Values given on the command line, by option.
    static let argumentSeeds: [(option: String, values: [String])] = [
        ("--index", ["sales-2024", "logs-*", "<logs-{now/d}>", "<logs-{now/M{yyyy.MM|+01:00}}>", "hr-payroll,-hr-*", "/logs-.*/", "_all"]),
        ("--request", ["GET _cat/shards?v", "POST logs-2024/_doc", "GET logs-1/_search?q=a&size=1", "DELETE <logs-{now-1d}>",
                       "GET _plugins/_security/api/roles"]),
        ("--setting", ["plugins.security.system_indices.indices=.kibana,.tasks", "plugins.security.system_indices.enabled=true",
                       "plugins.security.roles_mapping_resolution=BOTH", "plugins.security.protected_indices.indices=secret-*"]),
        ("--attribute", ["department=sales", "attr.jwt.tenant=x", "a.b.c=${user.name}"]),
        ("--action", ["indices:data/read/search", "cluster:monitor/health", "indices:data/write/bulk[s]", "restapi:admin/roles"]),
    ]

    private static func files(in folder: URL) -> [(name: String, bytes: [UInt8])] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        return names.compactMap { name in
            (try? Data(contentsOf: folder.appendingPathComponent(name))).map { (name, Array($0)) }
        }
    }

    private static func sample() -> Scenario {
        let folder = packageRoot.appendingPathComponent("data/samples/acme")
        var files: [String: [UInt8]] = [:]
        for (name, bytes) in Self.files(in: folder) { files["config/\(name)"] = bytes }
        return Scenario(name: "acme", files: files, config: "config", metadata: nil, settings: nil,
                        cases: "config/who-may-do-what.jsonl",
                        probe: ("alice", "indices:data/read/search", ["logs-2024", "hr-payroll"]))
    }

    private static func conformance(_ folder: URL) -> Scenario? {
        var files: [String: [UInt8]] = [:]
        for (name, bytes) in Self.files(in: folder) where name != "config" { files[name] = bytes }
        for (name, bytes) in Self.files(in: folder.appendingPathComponent("config")) { files["config/\(name)"] = bytes }
        guard let cases = files["cases.jsonl"],
              let first = cases.split(separator: 0x0A).first,
              let object = try? JSONSerialization.jsonObject(with: Data(first)) as? [String: Any],
              let user = object["user"] as? String, let action = object["action"] as? String else { return nil }
        return Scenario(name: folder.lastPathComponent, files: files, config: "config",
                        metadata: files["cluster_metadata.json"] == nil ? nil : "cluster_metadata.json",
                        settings: files["opensearch.yml"] == nil ? nil : "opensearch.yml",
                        cases: "cases.jsonl", probe: (user, action, object["indices"] as? [String] ?? []))
    }
}
