import Foundation
import Testing

/// `check --batch` with the "tenant" field (Tests/Fixtures/tenants), and the Dashboards index
/// (Tests/Fixtures/scenarios/dashboards_index_tenants) at the command line.
@Suite("secperm check: tenants in batch files and on the Dashboards index")
struct TenantBatchCommandTests {
    static let tenants = CLI.fixtures.appendingPathComponent("tenants")

    @Test("a cases file with \"tenant\" passes; a tenant of the wrong type is an input error with file:line")
    func batchTenant() throws {
        let config = ["--config", Self.tenants.appendingPathComponent("config").path]
        let cases = Self.tenants.appendingPathComponent("tenant_cases.jsonl").path
        let run = try CLI.run(["check"] + config + ["--batch", cases, "--format", "json"])
        #expect(run.status == 0)
        let summary = try CLI.json(String(try #require(run.stdout.split(separator: "\n").last)))["summary"] as? [String: Any]
        #expect(summary?["asExpected"] as? Int == 15 && summary?["unexpected"] as? Int == 0)
        #expect(summary?["allow"] as? Int == 9 && summary?["deny"] as? Int == 6)
        let bad = CLI.scratch.appendingPathComponent("secperm-bad-tenant-\(UUID().uuidString).jsonl")
        try #"{"user": "alice", "tenant": ["team_a"], "action": "kibana:saved_objects/*/read"}"#.write(to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        let refused = try CLI.run(["check"] + config + ["--batch", bad.path])
        #expect(refused.status == 2)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr == "\(bad.path):1: error: field \"tenant\" must be a string, found a list\n")
    }

    @Test("--tenant on the Dashboards index: served from the tenant's index, or refused naming the tenant")
    func dashboardsIndex() throws {
        let folder = CLI.fixtures.appendingPathComponent("scenarios/dashboards_index_tenants")
        let base = ["check", "--config", folder.appendingPathComponent("config").path,
                    "--cluster-metadata", folder.appendingPathComponent("cluster_metadata.json").path, "--user", "alice", "--index", ".kibana"]
        let served = try CLI.run(base + ["--tenant", "team_a", "--action", "indices:data/write/index"])
        #expect(served.status == 0)
        #expect(served.stdout.contains("note      .kibana is the Dashboards index: the request is served from tenant team_a's index .kibana_-877712641_teama"))
        let refused = try CLI.run(base + ["--tenant", "team_b", "--action", "indices:data/write/index", "--format", "json"])
        #expect(refused.status == 1)
        let json = try CLI.json(refused.stdout)
        #expect(json["forbiddenMessage"] as? String
                == "no permissions for [indices:data/write/index] and User [name=alice, backend_roles=[], requestedTenant=team_b]")
        let old = try CLI.run(base + ["--tenant", "team_b", "--action", "indices:data/write/index", "--target", "opensearch-2.11", "--format", "json"])
        #expect(try CLI.json(old.stdout)["forbiddenMessage"] as? String
                == "no permissions for [] and User [name=alice, backend_roles=[], requestedTenant=team_b]")
    }
}
