import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// Denials carry their reason as a value; the fix planner picks its advice from that value and
/// never from a sentence (issue 9 §2). Each case names the rule of
/// shared/reference/opensearch-security-semantics.md it follows.
@Suite("Typed decision reasons")
struct DecisionReasonTests {
    func evaluator(_ roles: String, mapping: String, settings: NodeSettings = NodeSettings()) throws -> Evaluator {
        let loader = ConfigLoader(profile: .default)
        var config = try loader.load(text: "_meta: {type: roles, config_version: 2}\n" + roles, name: "roles.yml").config
        config.roleMappings = try loader.load(text: "_meta: {type: rolesmapping, config_version: 2}\n" + mapping, name: "roles_mapping.yml").config.roleMappings
        return Evaluator(config: config, catalog: Catalog(), settings: settings)
    }

    static let everything = "all:\n  cluster_permissions: ['*']\n  index_permissions:\n  - index_patterns: ['*']\n    allowed_actions: ['*']\n"
    static let mapped = "all:\n  users: [u]\n"

    func decide(_ e: Evaluator, _ action: String, _ indices: [String]) -> Decision {
        e.evaluate(AccessRequest(subject: Subject(name: "u"), action: action, indices: indices))
    }

    /// §2.7: write-type actions on the security index are refused for every role; nothing to grant.
    @Test("security index write: typed denial, advice from the type")
    func securityIndexWrite() throws {
        let e = try evaluator(Self.everything, mapping: Self.mapped)
        let decision = decide(e, "indices:data/write/index", [".opendistro_security"])
        #expect(decision.denial == .special(.securityIndexWrite(index: ".opendistro_security", action: "indices:data/write/index")))
        #expect(decision.fix.map(\.advice) == [.securityIndexReservedForAdmin(securityIndex: ".opendistro_security")])
        #expect(decision.fix.map(\.section) == [.setting])
        #expect(decision.forbiddenMessage == "no permissions for [] and User [name=u, backend_roles=[], requestedTenant=null]")
    }

    /// §2.7: system indices with and without permission mode.
    @Test("system index: the permission mode is part of the reason and decides the advice", arguments: [false, true])
    func systemIndex(permissionMode: Bool) throws {
        var settings = NodeSettings()
        settings.systemIndicesEnabled = true
        settings.systemIndexPermissionEnabled = permissionMode
        settings.systemIndices = [".plugin-state"]
        let e = try evaluator(Self.everything, mapping: Self.mapped, settings: settings)
        let decision = decide(e, "indices:data/write/index", [".plugin-state"])
        #expect(decision.denial == .special(.systemIndex(index: ".plugin-state", action: "indices:data/write/index", permissionMode: permissionMode)))
        #expect(decision.fix.map(\.advice) == [permissionMode
            ? .grantSystemIndexPermission
            : .enableSystemIndexPermission(setting: "plugins.security.system_indices.permission.enabled")])
    }

    /// §2.7 protected indices: only protected_indices.roles may write to them (legacy
    /// ProtectedIndexAccessEvaluator's denied-action list; reads pass, see ProtectedIndexTests).
    @Test("protected index: typed denial of a write, advice names the setting")
    func protectedIndex() throws {
        var settings = NodeSettings()
        settings.protectedIndicesEnabled = true
        settings.protectedIndices = ["secret-*"]
        settings.protectedIndicesRoles = ["guardian"]
        let e = try evaluator(Self.everything, mapping: Self.mapped, settings: settings)
        let decision = decide(e, "indices:data/write/index", ["secret-1"])
        #expect(decision.denial == .special(.protectedIndex(index: "secret-1", action: "indices:data/write/index")))
        #expect(decision.fix.map(\.advice) == [.mapToProtectedRole(setting: "plugins.security.protected_indices.roles")])
    }

    /// §2.7 SnapshotRestoreEvaluator: restore of the security index or all indices is refused.
    @Test("restore rules are typed")
    func restore() throws {
        let e = try evaluator(Self.everything, mapping: Self.mapped)
        #expect(decide(e, "cluster:admin/snapshot/restore", []).denial == .special(.restoreOfAllOrSecurityIndex))
        var settings = NodeSettings()
        settings.snapshotRestorePrivilegeEnabled = false
        let disabled = try evaluator(Self.everything, mapping: Self.mapped, settings: settings)
        let decision = decide(disabled, "cluster:admin/snapshot/restore", ["a"])
        #expect(decision.denial == .special(.snapshotRestoreDisabled))
        #expect(decision.fix.map(\.advice) == [.nothingToGrant(.snapshotRestoreDisabled)])
    }

    /// §2.4 + §6 CheckTable: bulk[s] with the item action, per index the actions missing there.
    @Test("missing index privileges per (index, action)")
    func missingPerIndex() throws {
        let roles = """
            w:
              index_permissions:
              - index_patterns: ['a-*']
                allowed_actions: ['indices:data/write/bulk[s]', 'indices:data/write/index']
              - index_patterns: ['b-*']
                allowed_actions: ['indices:data/write/bulk[s]']
            """
        let e = try evaluator(roles, mapping: "w:\n  users: [u]\n")
        let prepared = e.prepare(ResolvedSubject(subject: Subject(name: "u"), subjectNotes: [], canAuthenticate: true))
        let decision = e.evaluate(prepared, indexActions: ["indices:data/write/bulk[s]", "indices:data/write/index"], indices: ["a-1", "b-1", "c-1"])
        #expect(decision.denial == .missingIndexPrivileges([
            MissingIndexPrivilege(index: "b-1", actions: ["indices:data/write/index"]),
            MissingIndexPrivilege(index: "c-1", actions: ["indices:data/write/bulk[s]", "indices:data/write/index"]),
        ]))
        #expect(decision.missingPrivileges == ["indices:data/write/bulk[s]", "indices:data/write/index"])
        #expect(decision.fix.first?.indexPatterns == ["b-1", "c-1"])
        // Kept without explanations too: simulate and diff ask for outcomes with reasons.
        let lean = e.evaluate(prepared, indexActions: ["indices:data/write/bulk[s]", "indices:data/write/index"], indices: ["b-1"], explain: false)
        #expect(lean.denial == .missingIndexPrivileges([MissingIndexPrivilege(index: "b-1", actions: ["indices:data/write/index"])]))
        #expect(lean.fix.isEmpty)
        #expect(lean.forbiddenMessage == nil)
        // §5: the 403 text from the values, on 3.x only the missing action.
        #expect(DecisionSentences.forbiddenMessage(for: lean, profile: .default)
                == "no permissions for [indices:data/write/index] and User [name=u, backend_roles=[], requestedTenant=null]")
    }

    /// §2.5: the bare '*' does not give restapi:admin/*; the roles that have only that are named.
    @Test("explicit cluster privilege missing names the wildcard-only roles")
    func explicitCluster() throws {
        let e = try evaluator(Self.everything, mapping: Self.mapped)
        let decision = decide(e, "restapi:admin/roles", [])
        #expect(decision.denial == .missingExplicitClusterPrivilege(action: "restapi:admin/roles", wildcardOnlyRoles: ["all"]))
        #expect(decision.fix.first?.advice == .grant(user: "u", explicit: true))
    }

    /// A disabled internal user fails authentication before authorization (401, not 403).
    @Test("a user who cannot authenticate is a typed denial")
    func cannotAuthenticate() throws {
        let e = try evaluator(Self.everything, mapping: Self.mapped)
        let prepared = e.prepare(ResolvedSubject(subject: Subject(name: "u"), subjectNotes: [.disabledUser(name: "u")], canAuthenticate: false))
        let decision = e.evaluate(prepared, action: "cluster:monitor/health", indices: [])
        #expect(decision.denial == .cannotAuthenticate)
        #expect(decision.forbiddenMessage == nil)
        #expect(DecisionSentences.forbiddenMessage(for: decision, profile: .default) == nil)
        #expect(decision.fix.map(\.advice) == [.enableUser])
        #expect(decision.decisionNotes.first == .subject(.disabledUser(name: "u")))
        #expect(decision.notes.first == "u is disabled (enabled: false): authentication fails with 401 before any permission is checked")
    }

    /// The words live in Reporting/: the notes a decision shows are its typed notes, worded.
    @Test("notes are the typed notes, worded by DecisionSentences")
    func notesAreWorded() throws {
        let e = try evaluator(Self.everything, mapping: Self.mapped)
        let decision = decide(e, "indices:admin/auto_create", ["logs"])
        #expect(decision.decisionNotes.first == .renamed(from: "indices:admin/auto_create", to: "indices:admin/create"))
        #expect(decision.notes == decision.decisionNotes.map(DecisionSentences.note))
        #expect(decision.notes.first == "the plugin checks indices:admin/auto_create as indices:admin/create")
    }
}
