import Foundation
import Testing

/// `secperm probe` offline (--config): the built binary, as a user runs it.
@Suite("secperm probe")
struct ProbeCommandTests {
    static let config = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/simulate").path
    static let metadata = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/probe/indices.json").path
    static func set(_ name: String) -> String { CLI.packageRoot.appendingPathComponent("Tests/Fixtures/probe/sets/\(name).txt").path }

    // Seed 004's bulk example: cluster bulk + bulk[s], delete, index, update on test-index, one replay.
    @Test func bulkExampleJSON() throws {
        let result = try CLI.run(["probe", ProbeCommandTests.set("bulk-example"), "--config", ProbeCommandTests.config, "--target", "opensearch-2.11",
                                  "--cluster-metadata", ProbeCommandTests.metadata, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try CLI.json(result.stdout)
        #expect(json["schemaVersion"] as? Int == 1)
        #expect(json["converged"] as? Bool == true)
        #expect(json["replays"] as? Int == 1)
        #expect(json["requestsSent"] as? Int == 1)
        let role = try #require(json["role"] as? [String: Any])
        #expect(role["name"] as? String == "probed_role")
        #expect(role["cluster_permissions"] as? [String] == ["indices:data/write/bulk"])
        let index = try #require(role["index_permissions"] as? [[String: Any]])
        #expect(index.count == 1)
        #expect(index.first?["index_patterns"] as? [String] == ["test-index"])
        #expect(index.first?["allowed_actions"] as? [String] == ["indices:data/write/bulk[s]", "indices:data/write/delete", "indices:data/write/index", "indices:data/write/update"])
        let requests = try #require(json["requests"] as? [[String: Any]])
        #expect(requests.map { $0["status"] as? String } == ["passed"])
        #expect(requests.first?["expect"] as? String == "allow")
        #expect((json["mustDenyViolations"] as? [Any])?.isEmpty == true)
    }

    // Connection options without a cluster are refused, not ignored: any option that changes a
    // connection setting (a timeout too), on probe and on both sides of diff.
    @Test func connectionOptionsWithoutAClusterAreRefused() throws {
        let probe = try CLI.run(["probe", ProbeCommandTests.set("bulk-example"), "--config", ProbeCommandTests.config, "--connect-timeout", "5"])
        #expect(probe.status == 2)
        #expect(probe.stderr.hasPrefix("Error: the connection options (--user, --cert, --cacert …) need --cluster\n"))
        let from = try CLI.run(["diff", CLI.sample, CLI.sample, "--from-insecure"])
        #expect(from.status == 2)
        #expect(from.stderr.hasPrefix("Error: --from-… connection options need a cluster URL as SRC\n"))
        let to = try CLI.run(["diff", CLI.sample, CLI.sample, "--to-user", "admin"])
        #expect(to.status == 2)
        #expect(to.stderr.hasPrefix("Error: --to-… connection options need a cluster URL as DST\n"))
    }

    // Issue 11 "Must-deny": a tagged request the role allows → reported, exit 1.
    @Test func mustDenyViolationExitsOne() throws {
        let directory = CLI.scratch.appendingPathComponent("probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let requests = directory.appendingPathComponent("requests.txt")
        try "GET products/_doc/1\n\n# expect: deny\nGET products/_doc/2\n".write(to: requests, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("role.yml")
        let result = try CLI.run(["probe", requests.path, "--config", ProbeCommandTests.config, "--target", "opensearch-2.19",
                                  "--cluster-metadata", ProbeCommandTests.metadata, "--format", "json", "--out", out.path, "--role-name", "reader"])
        #expect(result.status == 1)
        let json = try CLI.json(result.stdout)
        #expect(json["converged"] as? Bool == false)
        let violations = try #require(json["mustDenyViolations"] as? [[String: Any]])
        #expect(violations.map { $0["line"] as? Int } == [4])
        let written = try String(contentsOf: out, encoding: .utf8)
        #expect(written == """
            _meta:
              type: roles
              config_version: 2

            reader:
              description: Least privilege proven by secperm probe
              index_permissions:
              - index_patterns:
                - products
                allowed_actions:
                - indices:data/read/get

            """)
    }

    // The must-deny DELETE is a write without a dry run on 1.13: decided by the evaluator, not sent.
    // No secret in the output: the scratch password is never printed (text form, every request set).
    @Test func textOutputNamesTheScratchUserButNoPassword() throws {
        let result = try CLI.run(["probe", ProbeCommandTests.set("log-shipper"), "--config", ProbeCommandTests.config, "--target", "opendistro-1.13",
                                  "--cluster-metadata", ProbeCommandTests.metadata])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("probe converged on opendistro-1.13: 1 replay, 3 requests sent as the scratch user for 4 in the set\n"))
        #expect(result.stdout.contains("as the body of PUT /_opendistro/_security/api/roles/probed_role:"))
        #expect(!result.stdout.lowercased().contains("password"))
        #expect(result.stderr.isEmpty)
    }

    // security-layer-responses.md "Authentication failures": a configuration the release refuses
    // to load (custom role named like a static one before 3.4) would answer 503 to everything.
    @Test func configurationTheTargetRefusesIsAnInputError() throws {
        let result = try CLI.run(["probe", ProbeCommandTests.set("bulk-example"), "--config", CLI.sample, "--target", "opensearch-2.19"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("custom role 'kibana_user' has the name of a built-in role; opensearch-2.19 refuses to load this configuration"))
        #expect(result.stdout.isEmpty)
    }

    @Test func badRequestFileIsAnInputError() throws {
        let result = try CLI.run(["probe", "/nonexistent/requests.txt", "--config", ProbeCommandTests.config])
        #expect(result.status == 2)
    }
}
