import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// `Run.SingleIndexTraits` lists what a one-index request reads of an index-level action besides
/// its grants, so that `secperm diff` decides such a request once for every action with the same
/// traits and grant sets. Held here against the evaluator itself: every catalog index action,
/// granted alike (`*` as the allowed action), on the names its special rules single out — the
/// security index, a system index, a protected index, the Dashboards index (multitenancy on, the
/// global tenant read-only) —
/// and on ordinary names, with DNFOF on, in and out of system-index permission mode, for a user
/// with and without a protected-index role. Semantics §2.7 (security, system and protected
/// indices), §3 (DNFOF), and the Dashboards-index step (legacy `PrivilegesInterceptor`).
@Suite("Evaluator: single-index traits")
struct SingleIndexTraitsTests {
    static let names = [".opendistro_security", ".sys-1", "prot-1", ".kibana", "logs-1", "other-1"]

    static func evaluator(permissionMode: Bool) throws -> Evaluator {
        let roles = """
            everything:
              index_permissions:
              - index_patterns: [".opendistro_security", ".sys-*", "prot-*", ".kibana", "logs-*"]
                allowed_actions: ["*"]
              tenant_permissions:
              - tenant_patterns: [global_tenant]
                allowed_actions: [kibana_all_read]
            guardian:
              cluster_permissions: []
            """
        let mapping = "everything:\n  users: [plain, guarded]\nguardian:\n  users: [guarded]\n"
        let loader = ConfigLoader()
        var config = try loader.load(text: "_meta: {type: roles, config_version: 2}\n" + roles, name: "roles.yml").config
        config.roleMappings = try loader.load(text: "_meta: {type: rolesmapping, config_version: 2}\n" + mapping, name: "roles_mapping.yml")
            .config.roleMappings
        config.dynamic.multitenancyEnabled = true
        config.dynamic.doNotFailOnForbidden = true
        config.dynamic.doNotFailOnForbiddenEmpty = true
        var settings = NodeSettings()
        settings.systemIndicesEnabled = true
        settings.systemIndexPermissionEnabled = permissionMode
        settings.systemIndices = [".sys-*"]
        settings.protectedIndicesEnabled = true
        settings.protectedIndices = ["prot-*"]
        settings.protectedIndicesRoles = ["guardian"]
        return Evaluator(config: config, catalog: Catalog(profile: .default), settings: settings)
    }

    @Test("index actions with equal traits, granted alike, are decided alike on every name")
    func equalTraitsDecideAlike() throws {
        var distinctRows = Set<[Decision.Outcome]>()
        var largestGroup = 0
        for permissionMode in [false, true] {
            let evaluator = try Self.evaluator(permissionMode: permissionMode)
            let profile = evaluator.profile
            var groups: [Run.SingleIndexTraits: [String]] = [:]
            for action in evaluator.catalog.actions.map(\.name) {
                if let traits = Run.SingleIndexTraits(evaluator.plans.plan(for: action), profile: profile) { groups[traits, default: []].append(action) }
            }
            for user in ["plain", "guarded"] {
                let prepared = evaluator.prepare(ResolvedSubject(subject: Subject(name: user), subjectNotes: [], canAuthenticate: true))
                for (traits, actions) in groups {
                    largestGroup = max(largestGroup, actions.count)
                    let rows = actions.map { action in Self.names.map { evaluator.outcome(prepared, action: action, indices: [$0]) } }
                    for (action, row) in zip(actions, rows) {
                        #expect(row == rows[0], "\(user), permission mode \(permissionMode), \(traits): \(action) \(row) vs \(actions[0]) \(rows[0])")
                    }
                    distinctRows.formUnion(rows)
                }
            }
        }
        // Not vacuous: groups hold many actions, and the traits do change outcomes.
        #expect(largestGroup > 10)
        #expect(distinctRows.count >= 4)
    }

    @Test("an action checked at cluster level has no single-index traits")
    func clusterActionsHaveNone() throws {
        let evaluator = try Self.evaluator(permissionMode: false)
        #expect(Run.SingleIndexTraits(evaluator.plans.plan(for: "cluster:monitor/health"), profile: evaluator.profile) == nil)
        #expect(Run.SingleIndexTraits(evaluator.plans.plan(for: "indices:data/read/search"), profile: evaluator.profile) != nil)
    }
}
