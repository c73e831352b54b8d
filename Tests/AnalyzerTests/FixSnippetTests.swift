import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// Issue 9 §3: the fix a denial proposes is written by the package's one writer
/// (ConfigWriter.rolesSnippet), so what it prints is valid roles.yml whatever the names hold.
@Suite("Fix snippets through ConfigWriter")
struct FixSnippetTests {
    static func denial(index: String) throws -> Decision {
        let loader = ConfigLoader(profile: .default)
        var config = try loader.load(text: """
            _meta: {type: roles, config_version: 2}
            team:
              index_permissions:
              - index_patterns: ["other"]
                allowed_actions: ["indices:data/read/get"]
            """, name: "roles.yml").config
        config.roleMappings = try loader.load(text: "_meta: {type: rolesmapping, config_version: 2}\nteam:\n  users: [ann]\n",
                                              name: "roles_mapping.yml").config.roleMappings
        let e = Evaluator(config: config, catalog: Catalog())
        return e.evaluate(try SubjectResolver.resolve(SubjectRequest(user: "ann"), config: e.config), action: "indices:monitor/stats", indices: [index])
    }

    @Test("the printed fix is the writer's roles.yml entry, and loads back with the same names")
    func snippetLoadsBack() throws {
        let odd = #"we"ird\name-\d{4}"#
        let decision = try Self.denial(index: odd)
        let step = try #require(decision.fix.first)
        let snippet = try #require(DecisionReport.yaml(step))
        #expect(snippet == (try ConfigWriter.rolesSnippet([try #require(DecisionReport.fixRole(step))])))
        let loaded = try ConfigLoader(profile: .default).load(text: "_meta: {type: roles, config_version: 2}\n" + snippet, name: "roles.yml").config
        let role = try #require(loaded.roles["team"])
        #expect(role.indexPermissions.map { $0.indexPatterns.map(\.value) } == [[odd]])
        #expect(role.indexPermissions.map { $0.allowedActions.map(\.value) } == [["indices:monitor/stats"]])
        #expect(DecisionReport.text(decision).contains("  team:\n"))
    }

    @Test("a cluster fix is a cluster_permissions entry; a step that changes no role has no snippet")
    func clusterAndNone() throws {
        let cluster = FixStep(role: "ops", section: .clusterPermissions, allowedActions: ["cluster:monitor/health"], advice: .grant(user: "u", explicit: false))
        #expect(DecisionReport.yaml(cluster) == "ops:\n  cluster_permissions:\n  - cluster:monitor/health\n")
        #expect(DecisionReport.yaml(FixStep(section: .none, advice: .enableUser)) == nil)
    }
}
