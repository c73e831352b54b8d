import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// The plugin tells names, patterns and users apart by code units (Java `String.equals`): a
/// precomposed "é" (U+00E9) and "e" followed by U+0301 are different. Swift's `String` equality
/// and hashing make them one, so every cache keyed by a text or a subject must compare code units,
/// or one spelling's pattern or roles would serve the other (a wrong allow). Semantics §2.1
/// (`WildcardMatcher` compares characters as Java does).
@Suite("Code-unit identity of cached texts and subjects")
struct CodeUnitIdentityTests {
    static let precomposed = "\u{E9}", decomposed = "e\u{301}"

    static func evaluator(_ roles: String, mapping: String) throws -> Evaluator {
        let loader = ConfigLoader()
        var config = try loader.load(text: "_meta: {type: roles, config_version: 2}\n" + roles, name: "roles.yml").config
        config.roleMappings = try loader.load(text: "_meta: {type: rolesmapping, config_version: 2}\n" + mapping, name: "roles_mapping.yml")
            .config.roleMappings
        return Evaluator(config: config, catalog: Catalog(profile: .default))
    }

    static func outcome(_ evaluator: Evaluator, _ subject: Subject, _ index: String) -> Decision.Outcome {
        evaluator.evaluate(AccessRequest(subject: subject, action: "indices:data/read/search", indices: [index]), explain: false).outcome
    }

    @Test("a template rendered for one spelling is not reused for the other")
    func renderedTemplates() throws {
        let evaluator = try Self.evaluator("""
            dept:
              index_permissions:
              - index_patterns: ['${attr.internal.dept}-*']
                allowed_actions: ['indices:data/read/search']
            """, mapping: "dept:\n  users: ['*']\n")
        let first = Subject(name: "u1", attributes: ["attr.internal.dept": Self.precomposed])
        let second = Subject(name: "u2", attributes: ["attr.internal.dept": Self.decomposed])
        // u1 first, so that its rendering `é-*` is cached before u2 renders `e\u{301}-*`.
        #expect(Self.outcome(evaluator, first, Self.precomposed + "-1") == .allow)
        #expect(Self.outcome(evaluator, second, Self.precomposed + "-1") == .deny)
        #expect(Self.outcome(evaluator, second, Self.decomposed + "-1") == .allow)
        #expect(Self.outcome(evaluator, first, Self.decomposed + "-1") == .deny)
    }

    @Test("two users whose names differ only in code units keep their own roles")
    func subjectsApart() throws {
        let evaluator = try Self.evaluator("""
            one:
              index_permissions:
              - index_patterns: ['one-*']
                allowed_actions: ['indices:data/read/search']
            two:
              index_permissions:
              - index_patterns: ['two-*']
                allowed_actions: ['indices:data/read/search']
            """, mapping: "one:\n  users: ['\(Self.precomposed)']\ntwo:\n  users: ['\(Self.decomposed)']\n")
        let first = Subject(name: Self.precomposed), second = Subject(name: Self.decomposed)
        #expect(first != second)
        #expect(Self.outcome(evaluator, first, "one-1") == .allow)
        #expect(Self.outcome(evaluator, second, "one-1") == .deny)
        #expect(Self.outcome(evaluator, second, "two-1") == .allow)
    }

    @Test("a diff's pattern texts: one id per spelling")
    func patternTexts() throws {
        let texts = PatternTexts()
        #expect(texts.id("/\(Self.precomposed).*/") != texts.id("/\(Self.decomposed).*/"))
        #expect(texts.id(Self.precomposed + "*") == texts.id(Self.precomposed + "*"))
        // SRC grants names starting with e + U+0301 through its regex; DST's regex spells é precomposed.
        let result = try DiffWitnessSearchTests.compare([Self.precomposed + "*", "/\(Self.decomposed).*/"], ["/\(Self.precomposed).*/"])
        #expect(result == ["alice": "narrower | \(Self.decomposed) allow/deny"])
    }
}
