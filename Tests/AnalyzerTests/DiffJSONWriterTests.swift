import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// The diff report's JSON is written by hand (DiffJSONWriter) for speed; its bytes must stay those
/// JSONOutput (Foundation's JSONEncoder with `.prettyPrinted`, `.sortedKeys`,
/// `.withoutEscapingSlashes`) gives for the report's Encodable model, the CLI contract of issue 12.
@Suite("Diff: hand-written JSON report")
struct DiffJSONWriterTests {
    /// Roles, a mapped user and an index pattern whose names hold quotes, backslashes, control
    /// characters, a slash, DEL, non-ASCII and an emoji, so that every kind of escape (and of
    /// non-escape) reaches the output through subjects, witnesses and reasons.
    static func input(indexPattern: String) throws -> DiffInput {
        let loader = ConfigLoader()
        var config = try loader.load(text: """
            _meta: {type: roles, config_version: 2}
            "r\\"q\\\\b\\u0001\\u001f\\t\\n\\r\\b\\f/é\\u007f😀":
              index_permissions:
              - index_patterns: ['\(indexPattern)']
                allowed_actions: [read]
              cluster_permissions: [cluster_monitor]
            """, name: "roles.yml").config
        config.roleMappings = try loader.load(text: """
            _meta: {type: rolesmapping, config_version: 2}
            "r\\"q\\\\b\\u0001\\u001f\\t\\n\\r\\b\\f/é\\u007f😀":
              users: ["u\\"s\\\\e\\u0002r\\u2028é😀"]
              backend_roles: ["b/ack\\u0010"]
            """, name: "roles_mapping.yml").config.roleMappings
        return DiffInput(config: config, catalog: Catalog(profile: .default))
    }

    static func diff(maxWitnesses: Int = 10) throws -> DiffResult {
        var diff = ConfigDiff(now: DiffCorpusTests.now)
        diff.maxWitnesses = maxWitnesses
        return diff.compare(source: try input(indexPattern: "é😀logs-*"), target: try input(indexPattern: "é😀logs-a*"))
    }

    @Test("escapes, layout and key order equal the encoder's for names with quotes, controls, non-ASCII and emoji")
    func escapes() throws {
        let result = try Self.diff()
        #expect(!result.subjects.isEmpty && result.subjects.allSatisfy { !$0.witnesses.isEmpty })
        let written = DiffReport.json(result)
        #expect(written == JSONOutput.render(DiffReport.jsonModel(result)))
        // What the encoder writes for these, pinned here too (lower-case \u00XX, `/`, DEL, U+2028
        // and non-ASCII left as they are).
        #expect(written.contains(#""user" : "u\"s\\e\u0002r\#u{2028}é😀""#))
        #expect(written.contains(#""r\"q\\b\u0001\u001f\t\n\r\b\f/é\#u{7f}😀""#))
        #expect(written.contains(#""b/ack\u0010""#))
        #expect(DiffReport.jsonBytes(result) == Array(written.utf8))
    }

    @Test("an equivalent diff (empty arrays) and the combinations key as the encoder writes them")
    func emptyAndOptional() throws {
        let same = try Self.input(indexPattern: "logs-*")
        var diff = ConfigDiff(now: DiffCorpusTests.now)
        let equivalent = diff.compare(source: same, target: same)
        #expect(DiffReport.json(equivalent) == JSONOutput.render(DiffReport.jsonModel(equivalent)))
        #expect(DiffReport.json(equivalent).contains("\"subjects\" : [\n\n  ],\n"))
        diff.combinationLimit = 0
        let cut = try DiffCombinationTests.input(pattern: "${user.roles}-logs")
        let bounded = diff.compare(source: cut, target: cut)
        #expect(bounded.combinationsNotCompared > 0)
        #expect(DiffReport.json(bounded) == JSONOutput.render(DiffReport.jsonModel(bounded)))
    }

    @Test("every fixture pair's report equals the encoder's", arguments: DiffCorpusTests.pairs)
    func corpus(_ pair: String) throws {
        let (_, _, _, result) = try DiffCorpusTests.run(pair, maxWitnesses: 0)
        #expect(DiffReport.json(result) == JSONOutput.render(DiffReport.jsonModel(result)))
    }
}
