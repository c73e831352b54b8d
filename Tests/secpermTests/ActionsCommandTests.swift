import Foundation
import Testing

@Suite("secperm actions, end to end")
struct ActionsCommandTests {
    static let bulk = """
        POST _bulk
        { "delete": { "_index": "test-index", "_id": "tt2229499" } }
        { "index": { "_index": "test-index", "_id": "tt1979320" } }
        { "title": "Rush", "year": 2013 }
        { "create": { "_index": "test-index", "_id": "tt1392214" } }
        { "title": "Prisoners", "year": 2013 }
        { "update": { "_index": "test-index", "_id": "tt0816711" } }
        { "doc" : { "title": "World War Z" } }

        GET _cat/shards?v
        """

    func temporary(_ name: String, _ text: String) throws -> URL {
        let url = CLI.scratch.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("JSON output has the documented shape")
    func json() throws {
        let file = try temporary("requests.txt", Self.bulk)
        let result = try CLI.run(["actions", file.path, "--format", "json"])
        #expect(result.status == 0)
        let root = try CLI.json(result.stdout)
        #expect(root["schemaVersion"] as? Int == 1)
        let requests = try #require(root["requests"] as? [[String: Any]])
        #expect(requests.map { $0["line"] as? Int } == [1, 10])
        #expect(requests[0]["route"] as? String == "POST /_bulk")
        let requirements = try #require(requests[0]["requirements"] as? [[String: Any]])
        #expect(requirements[0]["action"] as? String == "indices:data/write/bulk")
        #expect(requirements[0]["level"] as? String == "cluster")
        #expect(requirements[0]["conditional"] is NSNull)
        #expect(requirements[0]["decision"] is NSNull)
        #expect(requirements[1]["indices"] as? [String] == ["test-index"])
        #expect((requirements[1]["grantedBy"] as? [String])?.first == "index")
    }

    @Test("the suggested role passes `secperm check --batch` for every requirement")
    func suggestedRolePasses() throws {
        let requests = try temporary("requests.txt", Self.bulk)
        let suggestion = try CLI.run(["actions", requests.path, "--suggest-role", "app_writer"])
        #expect(suggestion.status == 0)
        #expect(suggestion.stdout.contains("app_writer:\n"))
        let directory = CLI.scratch.appendingPathComponent("suggested-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try ("_meta:\n  type: \"roles\"\n  config_version: 2\n" + suggestion.stdout).write(to: directory.appendingPathComponent("roles.yml"), atomically: true, encoding: .utf8)
        try "_meta:\n  type: \"rolesmapping\"\n  config_version: 2\napp_writer:\n  users: [\"app\"]\n".write(to: directory.appendingPathComponent("roles_mapping.yml"), atomically: true, encoding: .utf8)

        let json = try CLI.json(try CLI.run(["actions", requests.path, "--format", "json"]).stdout)
        var cases: [String] = []
        for request in (json["requests"] as? [[String: Any]]) ?? [] {
            for requirement in (request["requirements"] as? [[String: Any]]) ?? [] where requirement["conditional"] is NSNull {
                let action = requirement["action"] as! String
                let indices = requirement["indices"] as! [String]
                let data = try JSONSerialization.data(withJSONObject: ["id": action, "user": "app", "action": action, "indices": indices, "expected": "allow"])
                cases.append(String(decoding: data, as: UTF8.self))
            }
        }
        #expect(cases.count == 8)
        let casesFile = try temporary("cases.jsonl", cases.joined(separator: "\n"))
        let check = try CLI.run(["check", "--config", directory.path, "--batch", casesFile.path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout == "8 cases: 8 as expected, 0 disagree\n")
    }

    @Test("dry run against the sample: allowed and denied, with the 403 for the first denial")
    func dryRun() throws {
        let file = try temporary("requests.txt", "PUT logs-app/_doc/1\n{\"a\": 1}\n\nPUT customers/_doc/1\n{\"a\": 1}")
        let result = try CLI.run(["actions", file.path, "--config", "data/samples/acme", "--user", "logstash_writer", "--format", "json"])
        #expect(result.status == 1)
        let requests = try #require(try CLI.json(result.stdout)["requests"] as? [[String: Any]])
        #expect(requests[0]["forbiddenMessage"] is NSNull)
        let decisions = ((requests[0]["requirements"] as? [[String: Any]]) ?? []).filter { $0["conditional"] is NSNull }.compactMap { $0["decision"] as? String }
        #expect(decisions == ["allow", "allow", "allow", "allow"])
        #expect(requests[1]["forbiddenMessage"] as? String
                == "no permissions for [indices:data/write/index] and User [name=logstash_writer, backend_roles=[logstash], requestedTenant=null]")
    }

    @Test("dry run of a restore checks the restored indices, as the plugin's restore evaluator does (§2.7)")
    func restoreDryRun() throws {
        let file = try temporary("restore.txt", "POST _snapshot/backups/nightly/_restore\n{\"indices\": \"logs-1\"}")
        let result = try CLI.run(["actions", file.path, "--config", "data/samples/acme", "--user", "carol", "--format", "json"])
        #expect(result.status == 0, "\(result.stdout)")
        let request = try #require((try CLI.json(result.stdout)["requests"] as? [[String: Any]])?.first)
        #expect(((request["requirements"] as? [[String: Any]]) ?? []).compactMap { $0["decision"] as? String } == ["allow", "allow", "allow"])
    }

    /// Tests/Fixtures/scenarios/suggest_role_default_cluster: the suggestion on a default cluster
    /// includes the restore's write check, and auto-create / dynamic mapping unless --assume-existing.
    @Test("--suggest-role on a default cluster; --assume-existing leaves out what a new index needs")
    func suggestOnDefaultCluster() throws {
        let requests = "Tests/Fixtures/scenarios/suggest_role_default_cluster/requests.txt"
        let head = """
            app:
              description: Least privilege for the analysed requests (generated by secperm)
              cluster_permissions:
              - cluster:admin/snapshot/restore
              - indices:data/write/bulk
              index_permissions:
              - index_patterns:
                - customers
                allowed_actions:
                - indices:admin/create
                - indices:data/write/index
              - index_patterns:
                - logs-2026.11.26
                allowed_actions:

            """
        let full = try CLI.run(["actions", requests, "--suggest-role", "app"])
        #expect(full.status == 0)
        #expect(full.stdout == head + "    - create_index\n    - indices:data/write/bulk[s]\n    - indices:data/write/index\n")
        let existing = try CLI.run(["actions", requests, "--suggest-role", "app", "--assume-existing"])
        #expect(existing.status == 0)
        #expect(existing.stdout == head + "    - indices:data/write/bulk[s]\n    - indices:data/write/index\n")
        let alone = try CLI.run(["actions", requests, "--assume-existing"])
        #expect(alone.status == 2)
        #expect(alone.stderr.contains("--assume-existing only changes --suggest-role"))

        let json = try CLI.json(try CLI.run(["actions", requests, "--format", "json"]).stdout)
        let rows = ((json["requests"] as? [[String: Any]]) ?? []).flatMap { ($0["requirements"] as? [[String: Any]]) ?? [] }
        #expect(rows.map { "\($0["action"] ?? "") \($0["dependsOnState"] ?? "") \($0["liftedBy"] ?? "")" } == [
            "cluster:admin/snapshot/restore 0 <null>",
            "indices:admin/create 0 plugins.security.check_snapshot_restore_write_privileges: false",
            "indices:data/write/index 0 plugins.security.check_snapshot_restore_write_privileges: false",
            "indices:data/write/bulk 0 <null>", "indices:data/write/bulk[s] 0 <null>", "indices:data/write/index 0 <null>",
            "indices:admin/create 1 <null>", "indices:admin/mapping/put 1 <null>",
        ])
    }

    @Test("text output for the README example is pinned")
    func textGolden() throws {
        let result = try CLI.run(["actions", "--request", "GET _cat/shards", "--request", "DELETE logs-old"])
        #expect(result.status == 0)
        try Golden.check(result.stdout, "actions-cat-shards.txt")
    }

    @Test("unknown routes are explicit and exit 1; malformed input exits 2 with its line")
    func errors() throws {
        let unknown = try CLI.run(["actions", "--request", "GET _cat/shardz", "--format", "json"])
        #expect(unknown.status == 1)
        let request = try #require((try CLI.json(unknown.stdout)["requests"] as? [[String: Any]])?.first)
        #expect(request["unknownRoute"] as? Bool == true)
        #expect(request["closestRoute"] as? String == "GET /_cat/shards")
        let file = try temporary("bad.txt", "POST _bulk\n{\"index\": {\n")
        let bad = try CLI.run(["actions", file.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("\(file.path):2: error: malformed JSON body"))
    }
}
