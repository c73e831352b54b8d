import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

@Suite("Batch runner, batch lines and the bench workload")
struct BatchRunnerTests {
    static let cases = """
        {"id": "a", "user": "alice", "action": "indices:data/read/search", "indices": ["sales-1"], "expected": "allow"}
        {"id": "b", "user": "alice", "action": "indices:data/write/index", "indices": ["sales-1"], "expected": "allow"}
        {"id": "c", "user": "bob", "action": "cluster:monitor/health"}
        {"id": "d\\"q", "user": "alice", "action": "indices:data/read/search", "indices": ["sales-1", "hr-x"]}
        {"id": "e", "user": "alice", "action": "indices:data/read/search", "indices": ["sales-2"]}
        """

    func evaluator() throws -> Evaluator {
        let loader = ConfigLoader(profile: .default)
        var config = try loader.load(text: """
            _meta: {type: roles, config_version: 2}
            sales:
              index_permissions:
              - index_patterns: ["sales-*"]
                allowed_actions: [read]
            """, name: "roles.yml").config
        config.roleMappings = try loader.load(text: "_meta: {type: rolesmapping, config_version: 2}\nsales:\n  users: [alice]\n",
                                              name: "roles_mapping.yml").config.roleMappings
        return Evaluator(config: config, catalog: Catalog())
    }

    @Test("only a disagreeing case is explained unless every case is asked for; the short line is exact")
    func explainOnlyDisagreements() throws {
        let cases = try BatchCase.parse(Self.cases, file: "cases.jsonl")
        let result = try BatchRunner(evaluator: try evaluator()).run(cases, file: "cases.jsonl")
        #expect(result.entries.map(\.explained) == [false, true, false, false, false])
        #expect(result.entries.map(\.decision.outcome) == [.allow, .deny, .deny, .deny, .allow])
        #expect(result.entries[1].decision.forbiddenMessage != nil)
        #expect(result.entries[1].disagreement == "expected allow, got deny")
        #expect(BatchReport.line(result.entries[0], in: result) == """
            {"action":"indices:data/read/search","allowedIndices":["sales-1"],"checkedAction":"indices:data/read/search","decision":"allow",\
            "expected":"allow","id":"a","indices":["sales-1"],"line":1,"schemaVersion":2,"user":{"name":"alice"}}

            """)
        #expect(BatchReport.line(result.entries[3], in: result).hasPrefix(#"{"action":"indices:data/read/search","allowedIndices":["sales-1"],"#))
        #expect(BatchReport.line(result.entries[3], in: result).contains(#""id":"d\"q","#))
        let explained = try BatchRunner(evaluator: try evaluator(), explain: true).run(cases, file: "cases.jsonl")
        #expect(explained.entries.allSatisfy { $0.explained })
        #expect(explained.entries.map(\.decision.outcome) == result.entries.map(\.decision.outcome))
        // Explained lines carry the single-check object; every line is JSON with the new schema.
        for line in BatchReport.jsonLines(result).split(separator: "\n").dropLast() {
            let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8))
            let object = try #require(parsed as? [String: Any])
            #expect(object["schemaVersion"] as? Int == 2)
            #expect((object["grants"] != nil) == (object["id"] as? String == "b"))
        }
    }

    @Test("--jobs: any number of threads gives the same entries in the cases' order")
    func jobsKeepOrder() throws {
        let lines = (0..<200).map { number in
            let user = number % 3 == 0 ? "alice" : "u\(number % 7)"
            return "{\"id\": \"n\(number)\", \"user\": \"\(user)\", \"action\": \"indices:data/read/search\", \"indices\": [\"sales-\(number)\"]}"
        }
        let cases = try BatchCase.parse(lines.joined(separator: "\n"), file: "many.jsonl")
        let evaluator = try evaluator()
        let one = BatchReport.jsonLines(try BatchRunner(evaluator: evaluator, jobs: 1).run(cases, file: "many.jsonl"))
        for jobs in [2, 3, 7, 500] {
            #expect(BatchReport.jsonLines(try BatchRunner(evaluator: evaluator, jobs: jobs).run(cases, file: "many.jsonl")) == one)
        }
        #expect(BatchRunner.slices(count: 10, jobs: 3) == [0..<4, 4..<7, 7..<10])
        #expect(BatchRunner.slices(count: 2, jobs: 8) == [0..<1, 1..<2])
        #expect(BatchRunner.slices(count: 0, jobs: 2) == [])
    }

    @Test("cases naming the same subject share one prepared subject; the common flags are added")
    func subjectsShared() throws {
        let cases = try BatchCase.parse(Self.cases, file: "cases.jsonl")
        var common = SubjectRequest()
        common.backendRoles = ["extra"]
        let prepared = try BatchRunner(evaluator: try evaluator(), common: common).preparedSubjects(cases)
        let subjects = cases.records.map { prepared[Int($0.subject)] }
        #expect(cases.subjects.count == 2 && prepared.count == 2)
        #expect(subjects[0] === subjects[1] && subjects[0] === subjects[3] && subjects[0] === subjects[4])
        #expect(subjects[0] !== subjects[2])
        #expect(subjects[2].resolved.subject.backendRoles == ["extra"])
    }

    /// RFC 8259: the parser must read what JSONSerialization reads, and refuse what it refuses.
    @Test("the case-line parser agrees with JSONSerialization, and refuses what is not JSON")
    func parserAgrees() throws {
        let accepted = [#"{"a": [1, -2.5e3, 0, true, false, null], "b": {"c": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}}"#,
                        #"  {"user":"é","n":[]}  "#, "[]", #""text""#, "-0.5", #"{"dup": 1, "dup": 2}"#]
        for text in accepted {
            let ours = try #require(JSONLineParser.value(of: text), "\(text)")
            let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
            #expect(Self.plain(ours) == Self.plain(theirs), "\(text)")
        }
        #expect(JSONLineParser.value(of: "[true, 1, false, 0]") == .list([.bool(true), .number(1), .bool(false), .number(0)]))
        // Foundation on Linux reads trailing commas; RFC 8259's grammar (§4, §5) has none.
        #expect(JSONLineParser.value(of: "[1,]") == nil && JSONLineParser.value(of: #"{"a":1,}"#) == nil)
        let refused = ["", "{", #"{"a" 1}"#, "{'a': 1}", "01", "1.", ".5", "+1", "tru", "nul", #""\x""#,
                       "\"a\u{01}\"", #""\ud83d""#, #""\ud83d\u0041""#, #""\ude00x""#, "{} {}", "[1] x", #"{"a":1"#, "NaN"]
        for text in refused {
            #expect(JSONLineParser.value(of: text) == nil, "\(text)")
            #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)) == nil, "\(text)")
        }
    }

    /// Values of both parsers in one comparable spelling.
    static func plain(_ value: Any) -> String {
        switch value {
        case let config as ConfigValue:
            switch config {
            case .null: return "null"
            // JSONSerialization gives booleans as numbers on Linux: compare them as 1 and 0 here.
            case .bool(let flag): return flag ? "n1.0" : "n0.0"
            case .number(let number): return "n\(number)"
            case .string(let text): return "s" + text.unicodeScalars.map { String($0.value) }.joined(separator: ".")
            case .list(let items): return "[" + items.map(plain).joined(separator: ",") + "]"
            case .map(let entries): return "{" + entries.sorted { $0.key < $1.key }.map { "\($0.key):\(plain($0.value))" }.joined(separator: ",") + "}"
            }
        case is NSNull: return "null"
        case let number as NSNumber: return "n\(number.doubleValue)"
        case let text as String: return "s" + text.unicodeScalars.map { String($0.value) }.joined(separator: ".")
        case let items as [Any]: return "[" + items.map(plain).joined(separator: ",") + "]"
        case let entries as [String: Any]: return "{" + entries.sorted { $0.key < $1.key }.map { "\($0.key):\(plain($0.value))" }.joined(separator: ",") + "}"
        default: return "?"
        }
    }

    @Test("case lines: blanks, CRLF, Unicode spaces around a line, and comments")
    func lineBlanks() throws {
        let text = "  {\"user\": \"a\", \"action\": \"x\"}\r\n\r\n\t# comment\n // also\n\u{00A0}{\"user\": \"b\", \"action\": \"y\"}\u{2003}\n"
        let cases = try BatchCase.parse(text, file: "blanks.jsonl")
        #expect(cases.map(\.line) == [1, 5])
        #expect(cases.map(\.subject.user) == ["a", "b"])
        #expect(BatchCase.trimmingBlanks(Array(" \té \u{00A0}".utf8)[...]) == Array("é".utf8)[...])
    }

    /// Lines are read as slices of the file's bytes and their members compared by name: the
    /// outcome must be what a decoded object gives (the last of a repeated key wins; a trailing
    /// null makes the field absent) and the unknown key reported is the first in sorted order.
    @Test("case members: a repeated key's last value counts, the first unknown key in order is named")
    func caseMembers() throws {
        let text = #"{"user": "a", "action": "x", "user": "b", "host": "h", "host": null, "indices": ["i"], "indices": ["j", "k"]}"#
        let cases = try BatchCase.parse(text, file: "c.jsonl")
        #expect(cases.map(\.subject.user) == ["b"] && cases[0].subject.host == nil && cases[0].indices == ["j", "k"])
        #expect(JSONLineParser.members(of: Array(#" {"a": 1, "a": [true]} "#.utf8)[...])?.map(\.key) == ["a", "a"])
        #expect(JSONLineParser.members(of: Array("[1]".utf8)[...]) == nil && JSONLineParser.members(of: Array("{} 1".utf8)[...]) == nil)
        let unknown = #"{"zeta": 1, "user": "a", "action": "x", "beta": 2, "ida": 3}"#
        #expect(messages(try BatchCase.parse(unknown, file: "c.jsonl")) == ["c.jsonl:1: error: unknown field 'beta'\n  help: known fields: id, user, backend_roles, attributes, roles, host, tenant, action, indices, expected, allowed_indices, resolved_indices, tags, note, source"])
        #expect(messages(try BatchCase.parse("\n# c\n[1]\n{\"user\": \"a\", \"action\": \"x\"}", file: "c.jsonl"))
                == ["c.jsonl:3: error: not a JSON object\n  help: one case per line: {\"user\": …, \"action\": …, \"indices\": […]}"])
        let last = try BatchCase.parse("\n\n{\"user\": \"a\", \"action\": \"x\"}", file: "c.jsonl")
        #expect(last.map(\.line) == [3] && last.map(\.id) == ["line 3"])
    }

    func messages(_ body: @autoclosure () throws -> BatchCases) -> [String] {
        do {
            _ = try body()
            return []
        } catch let error as InputError {
            return error.diagnostics.map(\.description)
        } catch {
            return ["unexpected error \(error)"]
        }
    }

    @Test("JSONText.quoted writes what JSONEncoder writes")
    func quoting() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for text in ["plain", "a\"b", "back\\slash", "/path/", "tab\tnew\nline\r", "\u{01}\u{1F}\u{08}\u{0C}", "é😀", ""] {
            let expected = String(decoding: try encoder.encode(text), as: UTF8.self)
            #expect(JSONText.quoted(text) == expected, "\(text)")
        }
    }

    @Test("the bench workload is a securityadmin directory secperm loads, and a cases file it reads")
    func workload() throws {
        var size = SyntheticConfig.Size()
        size.roles = 20
        size.patterns = 100
        size.users = 30
        size.actionGroups = 5
        let workload = BatchWorkload(synthetic: SyntheticConfig(size: size), checks: 50)
        let directory = Paths.scratch.appendingPathComponent("workload-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let paths = try workload.write(to: directory)
        #expect(paths.map { ($0 as NSString).lastPathComponent }.last == "cases.jsonl")
        let loaded = try ConfigLoader(profile: .default).load(from: directory).config
        #expect(loaded.roles.count == 20 && loaded.internalUsers.count == 30 && loaded.actionGroups.count == 5)
        let cases = try BatchCase.read(path: (directory as NSString).appendingPathComponent(BatchWorkload.casesFileName))
        let requests = workload.synthetic.requests(50)
        #expect(cases.count == 50)
        #expect(cases.map(\.action) == requests.map(\.action))
        #expect(cases.map(\.indices) == requests.map(\.indices))
        #expect(cases.map(\.subject.user) == requests.map(\.user))
    }
}
