import Foundation
import Testing

/// `secperm diff` end to end (issue 12): the JSON contract, exit codes, golden text/JSON/HTML, and
/// every witness of a pair replayed with `secperm check` on each side.
@Suite("secperm diff")
struct DiffCommandTests {
    static let pairs = "Tests/Fixtures/diff"
    static let now = ["--now", "2026-01-01T00:00:00Z"]

    static func diff(_ pair: String, _ extra: [String] = []) throws -> CLI.Result {
        try CLI.run(["diff", "\(pairs)/\(pair)/src", "\(pairs)/\(pair)/dst"] + now + extra)
    }

    @Test("exit status: 0 equivalent, 1 different, 2 input error")
    func exitCodes() throws {
        #expect(try Self.diff("template-vs-per-user").status == 0)
        #expect(try Self.diff("renamed-split-inlined").status == 0)
        #expect(try Self.diff("logs-to-log-glob").status == 1)
        #expect(try Self.diff("backreference-regex").status == 1)
        let missing = try CLI.run(["diff", "\(Self.pairs)/no-such-pair", "\(Self.pairs)/logs-to-log-glob/dst"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such file or directory"))
        #expect(try CLI.run(["diff", "a", "b", "--now", "yesterday"]).status == 2)
    }

    @Test("--user compares only that user; a name no side knows is said on stderr")
    func onlyUser() throws {
        let bob = try Self.diff("logs-to-log-glob", ["--user", "bob", "--format", "json"])
        #expect(bob.status == 0)
        #expect(bob.stderr == "")
        #expect(try CLI.json(bob.stdout)["equivalentSubjects"] as? Int == 1)
        let typo = try Self.diff("logs-to-log-glob", ["--user", "alcie"])
        #expect(typo.status == 0)
        #expect(typo.stderr == "note: --user alcie is no internal user and no role mapping names it on either side: compared as a user without roles\n")
        let alice = try Self.diff("logs-to-log-glob", ["--user", "alice", "--format", "json"])
        #expect(alice.status == 1)
        #expect((try CLI.json(alice.stdout)["subjects"] as? [[String: Any]])?.map { $0["user"] as? String } == ["alice"])
    }

    @Test("JSON follows the contract")
    func jsonContract() throws {
        let result = try Self.diff("logs-to-log-glob", ["--format", "json", "--users", "internal"])
        let json = try CLI.json(result.stdout)
        #expect(json["schemaVersion"] as? Int == 1)
        #expect(json["verdict"] as? String == "broader")
        let subjects = try #require(json["subjects"] as? [[String: Any]])
        #expect(subjects.count == 1)
        #expect(subjects[0]["user"] as? String == "alice")
        #expect(subjects[0]["backendRoles"] as? [String] == ["ops"])
        #expect(subjects[0]["verdict"] as? String == "broader")
        let witness = try #require((subjects[0]["witnesses"] as? [[String: Any]])?.first)
        #expect(witness["action"] as? String == "indices:data/read/search")
        #expect(witness["index"] as? String == "log")
        #expect(witness["source"] as? String == "deny")
        #expect(witness["target"] as? String == "allow")
        #expect((witness["sourceReason"] as? String)?.hasPrefix("missing indices:data/read/search") == true)
        #expect((witness["targetReason"] as? String)?.hasPrefix("reader: log* → read") == true)
        let entries = try #require(json["entries"] as? [String: Any])
        #expect(entries.keys.sorted() == ["added", "changed", "removed"])
        let changed = try #require(entries["changed"] as? [[String: Any]])
        #expect(changed.first?["name"] as? String == "reader")
        #expect(changed.first?["fields"] as? [String] == ["index_permissions"])
    }

    /// The node-settings file a pair's expected.json gives one side (`--opensearch-yml-from/-to`).
    static func settings(_ pair: String, _ flag: String) throws -> String? {
        let data = try Data(contentsOf: CLI.packageRoot.appendingPathComponent("\(pairs)/\(pair)/expected.json"))
        let args = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["args"] as? [String] ?? []
        guard let position = args.firstIndex(of: flag), position + 1 < args.count else { return nil }
        return "\(pairs)/\(pair)/\(args[position + 1])"
    }

    @Test("a cluster action's witness has a null index (JSON) and no `on` (text)")
    func clusterWitness() throws {
        let json = try CLI.json(try Self.diff("cluster-permission-narrowed", ["--format", "json", "--max-witnesses", "1"]).stdout)
        let witness = try #require(((json["subjects"] as? [[String: Any]])?.first?["witnesses"] as? [[String: Any]])?.first)
        #expect(witness["action"] as? String == "cluster:monitor/_remotestore/stats")
        #expect(witness["index"] is NSNull)
        #expect(witness["source"] as? String == "allow")
        #expect(witness["target"] as? String == "deny")
        let text = try Self.diff("cluster-permission-narrowed", ["--max-witnesses", "1"]).stdout
        #expect(text.contains("\n  cluster:monitor/_remotestore/stats\n    SRC allow: monitor: cluster_permissions cluster:monitor/* grants cluster:monitor/_remotestore/stats"))
    }

    @Test("every witness is what `secperm check` says on each side")
    func witnessesReplayWithCheck() throws {
        // Combinations of backend roles included: their witnesses replay with every role given.
        for pair in ["logs-to-log-glob", "narrowed-and-dropped", "user-attribute-changed", "role-list-template-combination", "protected-role-combination",
                     "cluster-permission-narrowed"] {
            let from = try Self.settings(pair, "--opensearch-yml-from"), to = try Self.settings(pair, "--opensearch-yml-to")
            let node = (from.map { ["--opensearch-yml-from", $0] } ?? []) + (to.map { ["--opensearch-yml-to", $0] } ?? [])
            let json = try CLI.json(try Self.diff(pair, ["--format", "json", "--max-witnesses", "3"] + node).stdout)
            for subject in try #require(json["subjects"] as? [[String: Any]]) {
                let name = try #require(subject["evaluatedAs"] as? String)
                let roles = subject["user"] is String ? [] : (subject["backendRoles"] as? [String] ?? []).flatMap { ["--backend-role", $0] }
                for witness in try #require(subject["witnesses"] as? [[String: Any]]) {
                    let action = try #require(witness["action"] as? String)
                    let index = (witness["index"] as? String).map { ["--index", $0] } ?? []
                    for (side, key, file) in [("src", "source", from), ("dst", "target", to)] {
                        let check = try CLI.run(["check", "--config", "\(Self.pairs)/\(pair)/\(side)", "--user", name, "--action", action,
                                                 "--format", "json"] + roles + index + (file.map { ["--opensearch-yml", $0] } ?? []))
                        let decision = try CLI.json(check.stdout)
                        #expect(decision["decision"] as? String == witness[key] as? String, "\(pair) \(name) \(action) \(index) on \(side)")
                    }
                }
            }
        }
    }

    @Test("golden text, JSON and HTML")
    func golden() throws {
        try Golden.check(try Self.diff("narrowed-and-dropped", ["--max-witnesses", "2"]).stdout, "diff-narrowed.txt")
        try Golden.check(try Self.diff("logs-to-log-glob", ["--format", "json", "--max-witnesses", "2"]).stdout, "diff-logs.json")
        try Golden.check(try Self.diff("narrowed-and-dropped", ["--format", "html", "--max-witnesses", "2"]).stdout, "diff-narrowed.html")
        try Golden.check(try Self.diff("template-vs-per-user").stdout, "diff-equivalent.txt")
    }

    @Test("--out writes the report to a file; the HTML is self-contained")
    func outFile() throws {
        let path = CLI.scratch.appendingPathComponent("secperm-diff-\(UUID().uuidString).html").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Self.diff("user-attribute-changed", ["--format", "html", "--out", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let page = try String(contentsOfFile: path, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("<script"))
        #expect(page.contains("<details><summary>incomparable"))
    }

    @Test("text and HTML write a witness's control and non-ASCII characters escaped; JSON keeps the exact name")
    func witnessCharactersEscaped() throws {
        let text = try Self.diff("non-ascii-witness", ["--users", "internal"])
        #expect(text.status == 1)
        #expect(text.stdout == """
            NARROWER  DST allows less than SRC for 1 of 1 subject (opensearch-3.8 → opensearch-3.8)

            alice (backend roles: ops): narrower, 1 action differs
              indices:data/read/search on app-2024-\\u0000
                SRC allow: app_reader: app-2024-* → indices:data/read/search grants indices:data/read/search on app-2024-\\u0000 (Tests/Fixtures/diff/non-ascii-witness/src/roles.yml:7)
                DST deny: missing indices:data/read/search (roles app_reader)

            0 subjects equivalent
            entries:
              changed  role app_reader: index_permissions

            """)
        let html = try Self.diff("non-ascii-witness", ["--users", "internal", "--format", "html"]).stdout
        #expect(html.contains("<div><code>indices:data/read/search</code> on <code>app-2024-\\u0000</code><span class=\"src\">allow: app_reader: app-2024-* → "
            + "indices:data/read/search grants indices:data/read/search on app-2024-\\u0000 (Tests/Fixtures/diff/non-ascii-witness/src/roles.yml:7)</span>"))
        #expect(!html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        let json = try CLI.json(try Self.diff("non-ascii-witness", ["--users", "internal", "--format", "json"]).stdout)
        let witness = try #require(((json["subjects"] as? [[String: Any]])?.first?["witnesses"] as? [[String: Any]])?.first)
        #expect(witness["index"] as? String == "app-2024-\u{0}")
    }

    @Test("backend-role combinations: a pair of roles decided differently when each role alone is not")
    func combinations() throws {
        let result = try Self.diff("role-list-template-combination", ["--format", "json", "--users", "mapped"])
        #expect(result.status == 1)
        let json = try CLI.json(result.stdout)
        #expect(json["equivalentSubjects"] as? Int == 2)
        let subjects = try #require(json["subjects"] as? [[String: Any]])
        #expect(subjects.map { $0["backendRoles"] as? [String] ?? [] } == [["ops", "sre"], ["ops", "other-backend-role"]])
        let witness = try #require((subjects.first?["witnesses"] as? [[String: Any]])?.first)
        #expect(witness["index"] as? String == "\"ops\"-logs")
        #expect(witness["source"] as? String == "deny")
        #expect(witness["target"] as? String == "allow")
        #expect(json["combinationsNotCompared"] == nil)
    }
}
