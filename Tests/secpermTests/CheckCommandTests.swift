import Foundation
import Testing

@Suite("secperm check, end to end")
struct CheckCommandTests {
    let sample = ["--config", "data/samples/acme"]

    /// seeds/004 ("Test permissions"): the exact 403 reason for a user without roles.
    @Test("a user with no roles gets the seed's forbidden message, character for character")
    func seedMessage() throws {
        let result = try CLI.run(["check"] + sample + ["--user", "test-user", "--action", "indices:monitor/stats", "--format", "json"])
        #expect(result.status == 1)
        let root = try CLI.json(result.stdout)
        #expect(root["forbiddenMessage"] as? String
                == "no permissions for [indices:monitor/stats] and User [name=test-user, backend_roles=[], requestedTenant=null]")
        #expect(root["decision"] as? String == "deny")
        #expect(root["missingPrivileges"] as? [String] == ["indices:monitor/stats"])
    }

    @Test("single-check JSON has the documented fields; forbiddenMessage is null when allowed")
    func jsonShape() throws {
        let result = try CLI.run(["check"] + sample + ["--user", "alice", "--action", "indices:data/read/search", "--index", "sales-2024", "--format", "json"])
        #expect(result.status == 0)
        let root = try CLI.json(result.stdout)
        #expect(root["schemaVersion"] as? Int == 1)
        #expect(root["decision"] as? String == "allow")
        #expect(root["forbiddenMessage"] is NSNull)
        let user = try #require(root["user"] as? [String: Any])
        #expect(user["name"] as? String == "alice")
        #expect(user["backendRoles"] as? [String] == ["analysts"])
        #expect(user["roles"] as? [String] == ["analyst"])
        #expect(root["indices"] as? [String] == ["sales-2024"])
        #expect(root["allowedIndices"] as? [String] == ["sales-2024"])
        let grants = try #require(root["grants"] as? [[String: Any]])
        #expect(grants.count == 1)
        #expect(grants[0]["role"] as? String == "analyst")
        #expect(grants[0]["permission"] as? String == "read")
        #expect(grants[0]["via"] as? [String] == ["indices:data/read*"])
        #expect(grants[0]["indexPattern"] as? String == "${attr.internal.department}-*")
        #expect((root["fix"] as? [Any])?.isEmpty == true)
    }

    @Test("allowed, denied and partial text outputs on the sample are pinned (they are in the README)")
    func textGoldens() throws {
        let allowed = try CLI.run(["check"] + sample + ["--user", "alice", "--action", "indices:data/read/search", "--index", "sales-2024"])
        #expect(allowed.status == 0)
        try Golden.check(allowed.stdout, "check-allowed.txt")
        let denied = try CLI.run(["check"] + sample + ["--user", "bob", "--action", "indices:monitor/stats", "--index", "logs-1"])
        #expect(denied.status == 1)
        try Golden.check(denied.stdout, "check-denied.txt")
        let partial = try CLI.run(["check"] + sample + ["--user", "alice", "--action", "indices:data/read/search", "--index", "logs-2024,hr-payroll"])
        #expect(partial.status == 0)
        try Golden.check(partial.stdout, "check-partial.txt")
    }

    @Test("batch: the sample's assertion file passes; a wrong expectation fails with exit 1 and its reason")
    func batch() throws {
        let good = try CLI.run(["check"] + sample + ["--batch", "data/samples/acme/who-may-do-what.jsonl"])
        #expect(good.status == 0)
        #expect(good.stdout == "16 cases: 16 as expected, 0 disagree\n")

        let file = CLI.scratch.appendingPathComponent("cases-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
            {"id": "ok", "user": "alice", "action": "indices:data/read/search", "indices": ["sales-1"], "expected": "allow"}
            {"id": "wrong", "user": "alice", "action": "indices:data/write/index", "indices": ["sales-1"], "expected": "allow"}
            """.write(to: file, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["check"] + sample + ["--batch", file.path])
        #expect(bad.status == 1)
        #expect(bad.stdout.hasPrefix("\(file.path):2: case wrong: expected allow, got deny\n"))
        #expect(bad.stdout.hasSuffix("2 cases: 1 as expected, 1 disagree\n"))

        let lines = try CLI.run(["check"] + sample + ["--batch", file.path, "--format", "json"])
        var decoded = try lines.stdout.split(separator: "\n").map { try CLI.json(String($0)) }
        let summary = try #require(decoded.popLast()?["summary"] as? [String: Any])
        #expect(decoded.map { $0["id"] as? String } == ["ok", "wrong"])
        #expect(decoded.map { $0["decision"] as? String } == ["allow", "deny"])
        #expect(decoded[1]["disagreement"] as? String == "expected allow, got deny")
        #expect(summary["cases"] as? Int == 2 && summary["asExpected"] as? Int == 1 && summary["unexpected"] as? Int == 1)
    }

    @Test("batch text: a row per case, columns as wide as their widest cell in characters (an emoji id is not cut), the same for any --jobs")
    func batchTextTable() throws {
        let file = CLI.scratch.appendingPathComponent("cases-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
            {"id": "😀😀", "user": "alice", "action": "indices:data/read/search", "indices": ["logs-1"]}
            {"id": "é", "user": "alice", "action": "indices:data/write/index", "indices": ["logs-1", "sales-1"]}
            {"id": "plain", "user": "bob", "action": "indices:data/read/search", "indices": ["logs-1"]}
            """.write(to: file, atomically: true, encoding: .utf8)
        let expected = """
            😀😀     ALLOW  alice  indices:data/read/search  logs-1
            é      DENY   alice  indices:data/write/index  logs-1,sales-1
            plain  DENY   bob    indices:data/read/search  logs-1
            3 cases: 1 allowed, 2 denied

            """
        for jobs in ["1", "2", "3"] {
            let result = try CLI.run(["check"] + sample + ["--batch", file.path, "--jobs", jobs])
            #expect(result.status == 1)
            #expect(result.stdout == expected)
        }
    }

    @Test("batch: --explain explains every line; --jobs changes nothing in the output; both need --batch")
    func batchExplainAndJobs() throws {
        let cases = ["--batch", "data/samples/acme/who-may-do-what.jsonl", "--format", "json"]
        let short = try CLI.run(["check"] + sample + cases + ["--jobs", "1"])
        let lines = short.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 17)
        #expect(lines.dropLast().allSatisfy { !$0.contains("\"grants\"") && $0.contains("\"schemaVersion\":2") })
        for jobs in ["2", "5"] {
            #expect(try CLI.run(["check"] + sample + cases + ["--jobs", jobs]).stdout == short.stdout)
        }
        let explained = try CLI.run(["check"] + sample + cases + ["--explain"])
        let decoded = try explained.stdout.split(separator: "\n").dropLast().map { try CLI.json(String($0)) }
        #expect(decoded.count == 16 && decoded.allSatisfy { $0["grants"] != nil && $0["fix"] != nil && $0["schemaVersion"] as? Int == 2 })
        let zero = try CLI.run(["check"] + sample + cases + ["--jobs", "0"])
        #expect(zero.status == 2 && zero.stderr.hasPrefix("Error: --jobs must be between 1 and 256, found 0\n"))
        let single = try CLI.run(["check"] + sample + ["--user", "alice", "--action", "indices:data/read/search", "--explain"])
        #expect(single.status == 2 && single.stderr.hasPrefix("Error: --explain and --jobs go with --batch"))
    }

    @Test("bad cases files and missing flags exit 2 with a located message")
    func inputErrors() throws {
        let file = CLI.scratch.appendingPathComponent("cases-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try "{\"user\": \"a\", \"acton\": \"x\"}\nnot json\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["check"] + sample + ["--batch", file.path])
        #expect(result.status == 2)
        #expect(result.stderr == "\(file.path):1: error: unknown field 'acton'\n  help: did you mean 'action'?\n\(file.path):2: error: not a JSON object\n  help: one case per line: {\"user\": …, \"action\": …, \"indices\": […]}\n")
        let missing = try CLI.run(["check"] + sample + ["--user", "alice"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("give --action (or --batch FILE)"))
    }

    @Test("--claims maps a JWT through the sample's jwt domain")
    func claims() throws {
        let file = CLI.scratch.appendingPathComponent("claims-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try #"{"preferred_username": "jo", "realm_access": {"roles": ["developers"]}}"#.write(to: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["check"] + sample + ["--claims", file.path, "--action", "indices:data/write/index", "--index", "jo-notes", "--format", "json"])
        #expect(result.status == 0)
        let user = try #require(try CLI.json(result.stdout)["user"] as? [String: Any])
        #expect(user["name"] as? String == "jo")
        #expect(user["roles"] as? [String] == ["developer"])
    }

    @Test("cluster metadata and node settings come from files and --setting")
    func context() throws {
        let scenario = CLI.fixtures.appendingPathComponent("conformance/int_readonly_legacy").path
        let result = try CLI.run(["check", "--config", "\(scenario)/config", "--cluster-metadata", "\(scenario)/cluster_metadata.json",
                                  "--opensearch-yml", "\(scenario)/opensearch.yml", "--user", "unlimited_user",
                                  "--action", "indices:data/read/search", "--index", ".system_index_plugin", "--format", "json"])
        #expect(try CLI.json(result.stdout)["decision"] as? String == "empty")
        let off = try CLI.run(["check", "--config", "\(scenario)/config", "--cluster-metadata", "\(scenario)/cluster_metadata.json",
                               "--opensearch-yml", "\(scenario)/opensearch.yml", "--setting", "plugins.security.system_indices.enabled=false",
                               "--user", "unlimited_user", "--action", "indices:data/read/search", "--index", ".system_index_plugin", "--format", "json"])
        #expect(try CLI.json(off.stdout)["decision"] as? String == "allow")
    }

    /// Tests/Fixtures/tenants (README names the rules): --tenant is the securitytenant header.
    @Test("--tenant decides kibana:saved_objects/* against tenant_permissions; the 403 names the tenant; refused beside --batch")
    func tenant() throws {
        let config = ["--config", "Tests/Fixtures/tenants/config"]
        let allowed = try CLI.run(["check"] + config + ["--user", "alice", "--tenant", "team_a", "--action", "kibana:saved_objects/*/write"])
        #expect(allowed.status == 0)
        #expect(allowed.stdout.contains("note   team_a_writer grants saved objects of tenant team_a through tenant_permissions"))
        let denied = try CLI.run(["check"] + config + ["--user", "alice", "--tenant", "team_b", "--action", "kibana:saved_objects/*/write", "--format", "json"])
        #expect(denied.status == 1)
        #expect(try CLI.json(denied.stdout)["forbiddenMessage"] as? String
                == "no permissions for [kibana:saved_objects/*/write] and User [name=alice, backend_roles=[], requestedTenant=team_b]")
        let cases = CLI.scratch.appendingPathComponent("\(UUID().uuidString)-cases.jsonl")
        try "{\"user\": \"alice\", \"action\": \"kibana:saved_objects/*/read\"}\n".write(to: cases, atomically: true, encoding: .utf8)
        let batch = try CLI.run(["check"] + config + ["--batch", cases.path, "--tenant", "team_a"])
        #expect(batch.status == 2)
        #expect(batch.stderr.hasPrefix("Error: --tenant cannot be combined with --batch"))
    }
}
