import Foundation
import Testing

@Suite("secperm audit, end to end")
struct AuditCommandTests {
    @Test("the bundled sample: text, JSON and SARIF output are pinned by golden files")
    func goldens() throws {
        let text = try CLI.run(["audit"])
        #expect(text.status == 1)
        try Golden.check(text.stdout, "audit-sample.txt")
        let json = try CLI.run(["audit", "--format", "json"])
        try Golden.check(json.stdout, "audit-sample.json")
        let sarif = try CLI.run(["audit", "--format", "sarif"])
        try Golden.check(sarif.stdout, "audit-sample.sarif")
        let root = try CLI.json(sarif.stdout)
        #expect(root["version"] as? String == "2.1.0")
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        #expect(rules.count == 17)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(!results.isEmpty)
        #expect(results.allSatisfy { ($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] != nil })
    }

    @Test("the sample triggers most rules")
    func coverage() throws {
        let json = try CLI.json(try CLI.run(["audit", "--format", "json"]).stdout)
        let rules = Set(((json["findings"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? String })
        #expect(rules.count >= 14, "rules seen: \(rules.sorted())")
    }

    @Test("a path argument and --config give the same audit as the bundled copy")
    func pathArgument() throws {
        let bundled = try CLI.run(["audit", "--format", "json"]).stdout
        let direct = try CLI.run(["audit", "data/samples/acme", "--format", "json"]).stdout
        #expect(bundled == direct)
    }

    @Test("--fail-on, --rule and --disable decide the exit status")
    func exitStatus() throws {
        #expect(try CLI.run(["audit", "--rule", "SP013"]).status == 0)
        #expect(try CLI.run(["audit", "--rule", "SP013", "--fail-on", "note"]).status == 1)
        let filtered = try CLI.run(["audit", "--rule", "unknown-permission"])
        #expect(filtered.stdout.hasSuffix("1 finding: 1 error, 0 warnings, 0 note\n"))
        let bad = try CLI.run(["audit", "--rule", "SP999"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("error: unknown rule 'SP999'"))
    }

    @Test("a written baseline accepts today's findings; only new ones fail")
    func baseline() throws {
        let directory = CLI.scratch.appendingPathComponent("audit-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("data/samples/acme"), to: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        let baseline = directory.appendingPathComponent("baseline.json").path
        let write = try CLI.run(["audit", directory.path, "--write-baseline", baseline])
        #expect(write.status == 0)
        let quiet = try CLI.run(["audit", directory.path, "--baseline", baseline])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.hasPrefix("0 findings: 0 errors, 0 warnings, 0 note ("))

        // Shift every line and add one new mistake: only the new one is reported.
        let roles = directory.appendingPathComponent("roles.yml")
        var text = try String(contentsOf: roles, encoding: .utf8)
        text = text.replacingOccurrences(of: "config_version: 2\n", with: "config_version: 2\n\nnewcomer:\n  cluster_permissions: [\"cluster:monitor/helth\"]\n")
        try text.write(to: roles, atomically: true, encoding: .utf8)
        let after = try CLI.run(["audit", directory.path, "--baseline", baseline])
        #expect(after.status == 1)
        #expect(after.stdout.contains("[SP001] unknown permission 'cluster:monitor/helth' in role 'newcomer'"))
        #expect(after.stdout.contains("[SP007] role 'newcomer' is mapped to nobody"))
        #expect(after.stdout.contains("\n2 findings: 1 error, 0 warnings, 1 note ("))
    }

    @Test("--list-rules lists all seventeen rules")
    func listRules() throws {
        let result = try CLI.run(["audit", "--list-rules"])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count == 17)
        #expect(result.stdout.hasPrefix("SP001  unknown-permission"))
    }
}
