import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// Which backend-role combinations `secperm diff` adds (DiffCombinations; the fixture pairs
/// role-list-template-combination and protected-role-combination show why), and the bound.
@Suite("Diff: backend-role combinations")
struct DiffCombinationTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    /// Roles and mappings in YAML; `team_logs` uses `pattern` as its index pattern and is mapped
    /// from `ops`, `metrics` from `r1` … `r5`.
    static func input(pattern: String) throws -> DiffInput {
        let loader = ConfigLoader()
        var config = try loader.load(text: """
            _meta: {type: roles, config_version: 2}
            team_logs:
              index_permissions:
              - index_patterns: ['\(pattern)']
                allowed_actions: [read]
            metrics:
              index_permissions:
              - index_patterns: [metrics-*]
                allowed_actions: [read]
            """, name: "roles.yml").config
        config.roleMappings = try loader.load(text: """
            _meta: {type: rolesmapping, config_version: 2}
            team_logs:
              backend_roles: [ops]
            metrics:
              backend_roles: [r1, r2, r3, r4, r5]
            """, name: "roles_mapping.yml").config.roleMappings
        return DiffInput(config: config, catalog: Catalog(profile: .default))
    }

    static func subjects(_ input: DiffInput) -> [[String]] {
        let evaluator = Evaluator(config: input.config, catalog: input.catalog, settings: input.settings, now: now)
        let atoms = DiffSubjects.enumerate([input.config], selection: .all, users: [])
        return DiffCombinations.combinations(of: atoms, evaluators: [evaluator, evaluator], placeholder: "external-user").subjects.map(\.backendRoles)
    }

    // UserAttributes.replaceProperties (main): user.roles, user.securityRoles and their
    // underscore spellings render role lists; a ${name:-default} is the same variable.
    @Test("role-list variables trigger combinations, other variables do not",
          arguments: [("${user.roles}-logs", true), ("${user_roles}-logs", true), ("/.*${user.securityRoles}.*/", true),
                      ("${user_securityRoles}", true), ("${user.roles:-none}-x", true), ("${user.name}-logs", false),
                      ("${attr.internal.dept}-logs", false), ("logs-*", false)])
    func triggers(_ pattern: String, _ triggers: Bool) throws {
        let found = Self.subjects(try Self.input(pattern: pattern))
        if triggers {
            // ops with each other atom, and ops with one backend role no mapping names.
            #expect(found == [["ops", "r1"], ["ops", "r2"], ["ops", "r3"], ["ops", "r4"], ["ops", "r5"], ["ops", "other-backend-role"]])
        } else {
            #expect(found.isEmpty)
        }
    }

    @Test("beyond the bound, combinations are counted and the verdict is never equivalent")
    func bound() throws {
        let input = try Self.input(pattern: "${user.roles}-logs")
        var diff = ConfigDiff(now: Self.now)
        #expect(diff.compare(source: input, target: input).verdict == .equivalent)
        diff.combinationLimit = 2
        let result = diff.compare(source: input, target: input)
        #expect(result.combinationsNotCompared == 4)
        #expect(result.verdict == .undecided)
        #expect(DiffReport.text(result).hasPrefix("""
            UNDECIDED  no decision differs where it could be checked, but not every comparison could be decided exactly (0 of 8 subjects; opensearch-3.8 → opensearch-3.8)
              not compared: 4 backend-role combinations beyond the bound (protected-index roles or role-list templates make combinations differ); not proved either way

            """))
        #expect(DiffReport.json(result).contains("\"combinationsNotCompared\" : 4,"))
    }

    /// An undecided overall verdict with proved differences says so: the headline must not claim
    /// that no decision differs when witnesses follow (fixture role-list-template-combination).
    @Test("an undecided verdict with witnesses says decisions differ")
    func undecidedWithWitnesses() throws {
        let pair = Paths.fixtures.appendingPathComponent("diff/role-list-template-combination")
        let source = try ConfigLoader().load(from: pair.appendingPathComponent("src").path).config
        let target = try ConfigLoader().load(from: pair.appendingPathComponent("dst").path).config
        let result = ConfigDiff(now: Self.now).compare(source: DiffInput(config: source, catalog: Catalog(profile: .default)),
                                                       target: DiffInput(config: target, catalog: Catalog(profile: .default)))
        #expect(result.verdict == .undecided)
        #expect(DiffReport.headline(result)
            == "UNDECIDED  decisions differ for 2 subjects (witnesses below), and not every comparison could be decided exactly (2 of 4 subjects; opensearch-3.8 → opensearch-3.8)")
    }
}
