import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// The fast edges of a batch run: the case-line reader against the full reader, the byte writer
/// against an encoder, and the streamed run against the collected one.
@Suite("Batch I/O: fast case reader, byte writer, streamed runs")
struct BatchIOTests {
    /// Lines of every shape the fast reader takes, and many it leaves to the full reader.
    static let lines: [String] = [
        #"{"id":"c0","user":"user_1","action":"indices:admin/create","indices":["dept-d32-8"]}"#,
        #"{ "user" : "alice" , "action" : "x" , "indices" : [ "a" , "b" ] , "expected" : "deny" }"#,
        "{\"user\":\t\"alice\",\r\"action\":\"x\"}",
        #"{"user": "a", "action": "x", "user": "b", "host": "h", "host": null, "indices": ["i"], "indices": ["j", "k"]}"#,
        #"{"user": "a", "action": "x", "backend_roles": ["r1", "r2"], "roles": [], "attributes": {"dept": "d", "x": "1", "dept": "e"}}"#,
        #"{"user": "a", "action": "x", "attributes": {}, "backend_roles": [], "tenant": "t", "host": "10.0.0.1"}"#,
        #"{"user": "a", "action": "x", "expected": "partial", "allowed_indices": []}"#,
        #"{"user": "a", "action": "x", "expected": "partial", "allowed_indices": ["p", "q"], "tags": ["t"], "note": "n", "source": "s", "resolved_indices": []}"#,
        #"{"user": "a", "action": "x", "id": null, "expected": null, "indices": null, "allowed_indices": null, "tags": null}"#,
        #"{"user": "é", "action": "x", "id": "", "indices": ["日本"]}"#,
        #"{"user": "a", "action": "x", "expected": "empty", "id": "line 1"}"#,
        // Strings read eight bytes at a time: what ends or refuses them at every offset of a word.
        #"{"user": "01234567", "action": "0123456789abcdef", "id": "0123456789abcdefghijklmnopqrstuvwxyzé日本"}"#,
        #"{"user": "0123456789abcdef\u0041", "action": "x"}"#,
        #"{"user": "0123456789abcdefg\"h", "action": "x"}"#,
        "{\"user\": \"0123456789abcdef\u{01}xyz\", \"action\": \"x\"}",
        "{\"user\": \"0123456\u{1F}89abcdef\", \"action\": \"x\"}",
        "{\"user\": \"0123456789abcdefghijklmn\u{7F}\u{80}\", \"action\": \"x\"}",
        // Left to the full reader: escapes, other types, unknown or escaped keys, refused values.
        #"{"user": "a\"b", "action": "x"}"#,
        #"{"user": "a", "action": "x", "indices": ["\u00e9"]}"#,
        #"{"us\u0065r": "a", "action": "x"}"#,
        #"{"user": 5, "user": "a", "action": "x"}"#,
        #"{"user": "a", "action": "x", "tags": [["nested"]]}"#,
        #"{"user": "a", "action": "x", "expected": "alow"}"#,
        #"{"user": "", "action": "x"}"#,
        #"{"user": "a", "action": "x", "zeta": 1}"#,
        #"{"user": "a", "action": "x",}"#,
        #"{"user": "a", "action": "x"} {}"#,
        #"{"user": "a", "action": "x", "indices": ["a",]}"#,
        #"{"user": "a", "action": "x", "host": nul}"#,
        #"{"user": "a", "action": "x", "host": nullx}"#,
        #"{"user": "a", "action": "x", "attributes": {"k": 1}}"#,
        "{\"user\": \"a\u{01}\", \"action\": \"x\"}",
        #"{"action": "x"}"#,
        "{}",
        "[1]",
    ]

    /// Every line the fast reader takes, it must read as the full reader does (the full reader is
    /// what the tests of the field rules pin); and a line it leaves is still read (or refused) by
    /// the full reader.
    @Test("the fast case-line reader gives the full reader's case for every line it takes, also on mutated lines")
    func fastReaderAgrees() throws {
        var taken = 0
        var random = SyntheticConfig.Random(state: 7)
        var lines = Self.lines
        let alphabet = Array(#"{}[]:," \nulae1"#.utf8)
        for _ in 0..<3000 {
            var bytes = Array(random.pick(lines).utf8)
            guard !bytes.isEmpty else { continue }
            let position = random.below(bytes.count)
            switch random.below(3) {
            case 0: bytes.remove(at: position)
            case 1: bytes.insert(random.pick(alphabet), at: position)
            default: bytes[position] = random.pick(alphabet)
            }
            if let text = String(validating: bytes, as: UTF8.self), !text.contains("\n") { lines.append(text) }
        }
        for text in lines {
            var cases = BatchCases()
            var reader = CaseLineReader()
            var bytes = Array(text.utf8)
            let fast = bytes.withUnsafeMutableBufferPointer { reader.read(UnsafeBufferPointer($0), number: 1, into: &cases) }
            let full = Result { () throws(InputError) in try BatchCase.fullRead(bytes[...], number: 1, file: "c.jsonl") }
            guard fast else { continue }
            taken += 1
            let expected = try #require(try? full.get(), "the fast reader took a line the full reader refuses: \(text)")
            #expect(Self.fields(cases[0]) == Self.fields(expected), "\(text)")
        }
        #expect(taken >= 13)
        // The usual line is taken: if it were not, every case would cost the full reader.
        var cases = BatchCases()
        var reader = CaseLineReader()
        #expect(Array(Self.lines[0].utf8).withUnsafeBufferPointer { reader.read($0, number: 4, into: &cases) })
        #expect(Self.fields(cases[0]) == #"4|c0|user_1|[]|[:]|[]|nil|nil|indices:admin/create|["dept-d32-8"]|nil|nil"#)
    }

    /// A case as one comparable text (the attributes sorted).
    static func fields(_ item: BatchCase) -> String {
        let subject = item.subject
        let attributes = subject.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return [String(item.line), item.id, subject.user ?? "nil", "\(subject.backendRoles)", attributes.isEmpty ? "[:]" : "\(attributes)", "\(subject.roles)",
                subject.host ?? "nil", subject.requestedTenant ?? "nil", item.action, "\(item.indices)", item.expected?.rawValue ?? "nil",
                item.expectedAllowedIndices.map { "\($0)" } ?? "nil"].joined(separator: "|")
    }

    @Test("a file's cases share their texts, lists and subjects; ids are kept as given")
    func tablesShare() throws {
        let cases = try BatchCase.parse("""
            {"id": "a", "user": "alice", "action": "read", "indices": ["logs"]}
            {"user": "alice", "action": "read", "indices": ["logs"]}
            {"user": "alice", "action": "read", "indices": ["logs"], "backend_roles": []}
            {"user": "alice", "action": "read", "indices": ["logs"], "backend_roles": ["x"]}
            {"user": "bob", "action": "re\\u0061d", "indices": ["logs"], "attributes": {"b": "1", "a": "2"}}
            {"user": "bob", "action": "read", "indices": ["logs"], "attributes": {"a": "2", "b": "1"}}
            """, file: "c.jsonl")
        #expect(cases.count == 6)
        #expect(cases.records.map(\.subject) == [0, 0, 0, 1, 2, 2])
        #expect(Set(cases.records.map(\.action)).count == 1 && Set(cases.records.map(\.indices)).count == 1)
        #expect(cases.map(\.id) == ["a", "line 2", "line 3", "line 4", "line 5", "line 6"])
        #expect(cases[4].subject.attributes == ["a": "2", "b": "1"] && cases[3].subject.backendRoles == ["x"])
    }

    func evaluator() throws -> Evaluator {
        let loader = ConfigLoader(profile: .default)
        var config = try loader.load(text: """
            _meta: {type: roles, config_version: 2}
            sales:
              index_permissions:
              - index_patterns: ["sales-*", "/qu\\"ote.*/"]
                allowed_actions: [read, "indices:admin/create"]
            """, name: "roles.yml").config
        config.roleMappings = try loader.load(text: "_meta: {type: rolesmapping, config_version: 2}\nsales:\n  users: [alice, \"é\"]\n",
                                              name: "roles_mapping.yml").config.roleMappings
        return Evaluator(config: config, catalog: Catalog())
    }

    static let mixed = """
        {"id": "a", "user": "alice", "action": "indices:data/read/search", "indices": ["sales-1"], "expected": "allow"}
        {"id": "q\\"\\u0001\\\\", "user": "alice", "action": "indices:admin/auto_create", "indices": ["sales-2"]}
        {"user": "é", "action": "indices:data/read/search", "indices": ["sales-1", "hr-x", "qu\\"ote-1"]}
        {"user": "bob", "action": "cluster:monitor/health", "expected": "deny"}
        {"user": "alice", "action": "indices:data/read/search", "indices": ["sales-*"]}
        {"user": "alice", "action": "indices:data/read/search", "indices": ["sales-3"], "expected": "partial", "allowed_indices": ["sales-3"]}
        """

    /// The short line is the encoder's line of the same fields: the bytes the encoder-based
    /// writer wrote before (sorted keys, unescaped slashes).
    @Test("every short line is byte for byte what an encoder writes for its fields")
    func shortLinesAsEncoded() throws {
        let cases = try BatchCase.parse(Self.mixed, file: "m.jsonl")
        let result = try BatchRunner(evaluator: try evaluator()).run(cases, file: "m.jsonl")
        #expect(result.entries.map(\.explained) == [false, false, false, false, false, true])
        #expect(result.entries[1].decision.checkedAction != result.entries[1].decision.action)
        for entry in result.entries where !entry.explained {
            let decision = entry.decision
            let oracle = ShortLine(action: decision.action, allowedIndices: decision.allowedIndices, checkedAction: decision.checkedAction,
                                   decision: decision.outcome.rawValue, disagreement: entry.disagreement, expected: entry.testCase.expected?.rawValue,
                                   id: entry.testCase.id, indices: decision.requestedIndices, line: entry.testCase.line, schemaVersion: 2,
                                   user: .init(name: decision.subject.name))
            #expect(BatchReport.line(entry, in: result) == JSONOutput.line(oracle))
        }
        #expect(BatchReport.line(result.entries[1], in: result).contains(#""id":"q\"\u0001\\","#))
    }

    struct ShortLine: Encodable {
        struct User: Encodable { let name: String }
        let action: String, allowedIndices: [String], checkedAction: String, decision: String
        let disagreement: String?, expected: String?
        let id: String, indices: [String], line: Int, schemaVersion: Int, user: User
    }

    @Test("streamed in chunks on any number of threads, the lines and counts are the collected run's")
    func streamedAsCollected() throws {
        let evaluator = try evaluator()
        let text = (0..<40).map { number in
            Self.mixed.split(separator: "\n")[number % 6].replacingOccurrences(of: "\"user\": \"alice\"", with: "\"user\": \"\(number % 4 == 0 ? "alice" : "u\(number % 5)")\"")
        }.joined(separator: "\n")
        let cases = try BatchCase.parse(text, file: "s.jsonl")
        let collected = try BatchRunner(evaluator: evaluator).run(cases, file: "s.jsonl")
        let expected = BatchReport.jsonLines(collected)
        for (jobs, chunk) in [(1, 8192), (1, 1), (2, 3), (3, 7), (8, 5)] {
            let writer = BatchLineWriter(cases: cases)
            var bytes: [UInt8] = []
            var counts = BatchCounts()
            try BatchRunner(evaluator: evaluator, jobs: jobs).run(cases, chunkSize: chunk, render: { writer.lines($0) }) { part in
                bytes += part.bytes
                counts += part.counts
            }
            #expect(String(decoding: bytes, as: UTF8.self) + writer.summary(counts, file: "s.jsonl") == expected, "jobs \(jobs), chunks of \(chunk)")
            #expect(counts.cases == 40 && counts.failed(hasExpectations: true) == collected.failed)
        }
        // Allowed: alice's search, create and wildcard search (7 of 40); disagreeing: the other users'
        // expected allows (3) and every expected partial (6: alice is allowed all, the others nothing).
        let summary = try #require(expected.split(separator: "\n").last)
        #expect(summary == #"{"summary":{"allow":7,"asExpected":31,"cases":40,"deny":33,"empty":0,"file":"s.jsonl","partial":0,"schemaVersion":2,"unexpected":9}}"#)
    }

    @Test("decimal numbers are written as String(n) writes them")
    func decimals() {
        for number in [0, 7, 10, 99, 100, 12_345, Int.max, -1, -40, Int.min] {
            var bytes = ByteBuffer(capacity: 1)
            bytes.append(decimal: number)
            #expect(String(decoding: bytes.bytes, as: UTF8.self) == String(number))
        }
    }

    @Test("interned sequences are found again by their elements, across growth")
    func internTable() {
        var table = InternTable<UInt8>(capacity: 1)
        let words = (0..<5000).map { Array("w\($0 % 2500)".utf8) }
        let numbers = words.map { word in word.withUnsafeBufferPointer { table.number(of: $0) } }
        #expect(table.count == 2500)
        #expect(numbers[0] == 0 && numbers[2500] == 0 && numbers[4999] == 2499)
        #expect(Array(table[2499]) == Array("w2499".utf8))
        #expect(Array([UInt8]().withUnsafeBufferPointer { table.number(of: $0) } == 2500 ? [1] : [0]) == [1])
    }
}
