import Foundation
import Testing

@Suite("secperm catalog / expand, end to end")
struct CatalogExpandCommandTests {
    @Test("catalog --format json lists every permission of the Lucenia reference (lucenia target)")
    func catalogJSON() throws {
        let result = try CLI.run(["catalog", "--target", "lucenia", "--format", "json"])
        #expect(result.status == 0)
        let root = try CLI.json(result.stdout)
        #expect(root["schemaVersion"] as? Int == 1)
        #expect(root["target"] as? String == "lucenia-0.9")
        let names = Set(((root["permissions"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String })
        #expect(Self.luceniaBullets.count == 68)
        let bullets = Self.luceniaBullets
        #expect(Set(bullets).subtracting(names).isEmpty, "missing: \(Set(bullets).subtracting(names).sorted())")
        #expect(names.contains("cluster:admin/lucenia/ql/datasources/create"))
        #expect(((root["actionGroups"] as? [[String: Any]]) ?? []).count == 26)
    }

    @Test("catalog --kind filters; bad values exit 2 with a message")
    func catalogKind() throws {
        let result = try CLI.run(["catalog", "--kind", "system"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("system:admin/system_index"))
        #expect(!result.stdout.contains("cluster:monitor/health"))
        let bad = try CLI.run(["catalog", "--target", "elasticsearch-8"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("The value 'elasticsearch-8' is invalid for '--target <profile>'"))
    }

    @Test("expand read --format json has the documented shape and exact action set")
    func expandReadJSON() throws {
        let result = try CLI.run(["expand", "read", "--format", "json"])
        #expect(result.status == 0)
        let root = try CLI.json(result.stdout)
        #expect(root["schemaVersion"] as? Int == 1)
        #expect(root["target"] as? String == "opensearch-3.8")
        #expect(root["inputs"] as? [String] == ["read"])
        let actions = root["actions"] as? [String] ?? []
        let catalog = try CLI.json(try CLI.run(["catalog", "--format", "json"]).stdout)
        let concrete = ((catalog["permissions"] as? [[String: Any]]) ?? [])
            .filter { ($0["pattern"] as? Bool) == false }.compactMap { $0["name"] as? String }
        let expected = concrete.filter {
            $0.hasPrefix("indices:data/read") || $0.hasPrefix("indices:admin/mappings/fields/get") || $0 == "indices:admin/resolve/index"
        }.sorted()
        #expect(actions == expected)
        #expect(root["residualPatterns"] as? [String] == ["indices:admin/mappings/fields/get*", "indices:data/read*"])
        #expect((root["via"] as? [String: [String]])?["indices:data/read/search"] == ["read", "indices:data/read*"])
    }

    @Test("expand with the sample configuration: text output is pinned by a golden file")
    func expandSampleGolden() throws {
        let result = try CLI.run(["expand", "log_writer_ops", "ops_read", "--config", "data/samples/acme"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        try Golden.check(result.stdout, "expand-sample.txt")
        let json = try CLI.run(["expand", "log_writer_ops", "ops_read", "--config", "data/samples/acme", "--format", "json"])
        try Golden.check(json.stdout, "expand-sample.json")
    }

    @Test("input errors exit 2 with file:line and a hint, never a stack trace")
    func inputErrors() throws {
        let directory = CLI.scratch.appendingPathComponent("secperm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "_meta:\n  type: roles\n  config_version: 2\nr1:\n  cluster_permissions: cluster_all\n"
            .write(to: directory.appendingPathComponent("roles.yml"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["expand", "read", "--config", directory.path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            \(directory.path)/roles.yml:5: error: cluster_permissions of role 'r1' must be a list of strings, found a string
              help: write it as a list: ["cluster_all"]

            """)
        let missing = try CLI.run(["expand", "read", "--config", "/nonexistent/dir"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("error: /nonexistent/dir: no such file or directory"))
    }

    @Test("--help teaches with an example")
    func help() throws {
        let result = try CLI.run(["expand", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("secperm expand read"))
    }

    @Test("the binary is self-contained: copied alone to an empty folder, `catalog` still works")
    func selfContained() throws {
        let directory = CLI.scratch.appendingPathComponent("secperm-alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("secperm")
        try FileManager.default.copyItem(at: CLI.binary, to: copy)
        let result = try CLI.run(["catalog", "--kind", "restapi", "--format", "json"], executable: copy, in: directory)
        #expect(result.status == 0)
        let names = ((try CLI.json(result.stdout)["permissions"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
        #expect(names.contains("restapi:admin/roles"))
    }

    /// The permission names that Lucenia's permissions reference (seeds/004) lists as bullets,
    /// verbatim. `.ci/run` re-reads the seed when it is present and fails if this list drifts from it.
    static let luceniaBullets: [String] = [
        "cluster:admin/ingest/pipeline/delete", "cluster:admin/ingest/pipeline/get",
        "cluster:admin/ingest/pipeline/put", "cluster:admin/ingest/pipeline/simulate",
        "cluster:admin/ingest/processor/grok/get", "cluster:admin/lucenia/ql/async_query/create",
        "cluster:admin/lucenia/ql/async_query/delete", "cluster:admin/lucenia/ql/async_query/result",
        "cluster:admin/lucenia/ql/datasources/create", "cluster:admin/lucenia/ql/datasources/delete",
        "cluster:admin/lucenia/ql/datasources/patch", "cluster:admin/lucenia/ql/datasources/read",
        "cluster:admin/lucenia/ql/datasources/update", "cluster:admin/opendistro/asynchronous_search/delete",
        "cluster:admin/opendistro/asynchronous_search/get", "cluster:admin/opendistro/asynchronous_search/stats",
        "cluster:admin/opendistro/asynchronous_search/submit", "cluster:admin/reindex/rethrottle",
        "cluster:admin/repository/delete", "cluster:admin/repository/get", "cluster:admin/repository/put",
        "cluster:admin/repository/verify", "cluster:admin/reroute", "cluster:admin/script/delete",
        "cluster:admin/script/get", "cluster:admin/script/put", "cluster:admin/settings/update",
        "cluster:admin/snapshot/create", "cluster:admin/snapshot/delete", "cluster:admin/snapshot/get",
        "cluster:admin/snapshot/restore", "cluster:admin/snapshot/status", "cluster:admin/snapshot/status*",
        "cluster:admin/tasks/cancel", "cluster:admin/tasks/test", "cluster:admin/tasks/testunblock",
        "cluster:monitor/allocation/explain", "cluster:monitor/health", "cluster:monitor/main",
        "cluster:monitor/nodes/hot_threads", "cluster:monitor/nodes/info", "cluster:monitor/nodes/liveness",
        "cluster:monitor/nodes/stats", "cluster:monitor/nodes/usage", "cluster:monitor/remote/info",
        "cluster:monitor/state", "cluster:monitor/stats", "cluster:monitor/task", "cluster:monitor/task/get",
        "cluster:monitor/tasks/lists", "indices:admin/index_template/delete", "indices:admin/index_template/get",
        "indices:admin/index_template/put", "indices:admin/index_template/simulate",
        "indices:admin/index_template/simulate_index", "indices:data/write/bulk*", "indices:data/write/delete",
        "indices:data/write/index", "indices:data/write/update", "restapi:admin/actiongroups",
        "restapi:admin/allowlist", "restapi:admin/internalusers", "restapi:admin/nodesdn", "restapi:admin/roles",
        "restapi:admin/rolesmapping", "restapi:admin/ssl/certs/info", "restapi:admin/ssl/certs/reload",
        "restapi:admin/tenants"
    ]
}
