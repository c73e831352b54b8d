import Foundation
import Testing
import PermissionCatalog
@testable import Analyzer

/// Reads that pass authorization but are served empty, and what is left out of them (issue 9 §5).
/// Each test loads one scenario folder of Tests/Fixtures/scenarios, whose README names the rule.
@Suite("Special-index reads: empty results and what is left out (§2.7)")
struct SpecialIndexReadTests {
    static func evaluator(_ scenario: String) throws -> Evaluator {
        let folder = Paths.fixtures.appendingPathComponent("scenarios/\(scenario)")
        let config = try ConfigLoader().load(from: folder.appendingPathComponent("config").path).config
        let settings = try InputFiles.nodeSettings(path: folder.appendingPathComponent("opensearch.yml").path, overrides: [], profile: .default)
        let metadata = try InputFiles.clusterMetadata(path: folder.appendingPathComponent("cluster_metadata.json").path)
        return Evaluator(config: config, catalog: Catalog(), settings: settings, metadata: metadata)
    }

    static func decide(_ e: Evaluator, _ user: String, _ action: String, _ indices: [String]) -> Decision {
        e.evaluate(AccessRequest(subject: Subject(name: user), action: action, indices: indices))
    }

    /// Legacy ProtectedIndexAccessEvaluator lets a read through; SystemIndexSearcherWrapper serves
    /// it from an empty reader (protected_indices/README.md).
    @Test("a protected index read without a protected role is empty, with its note and no 403")
    func protectedReadEmpty() throws {
        let e = try Self.evaluator("protected_indices")
        let decision = Self.decide(e, "admin_like", "indices:data/read/search", ["all-secrets"])
        #expect(decision.outcome == .empty)
        #expect(decision.denial == nil)
        #expect(decision.forbiddenMessage == nil)
        #expect(decision.allowedIndices == ["secrets-1", "secrets-2"])
        #expect(decision.decisionNotes.contains(.protectedReadsBlanked(indices: ["secrets-1", "secrets-2"], all: true,
                                                                       setting: "plugins.security.protected_indices.roles")))
        #expect(decision.notes.contains(
            "secrets-1, secrets-2 are protected indices and the user holds none of the roles in plugins.security.protected_indices.roles: the read passes authorization but returns no documents"))
    }

    @Test("an alias over regular and protected indices is allowed; the protected one is left out")
    func protectedLeftOut() throws {
        let e = try Self.evaluator("protected_indices")
        let decision = Self.decide(e, "admin_like", "indices:data/read/search", ["mixed"])
        #expect(decision.outcome == .allow)
        #expect(decision.decisionNotes.contains(.protectedReadsBlanked(indices: ["secrets-1"], all: false,
                                                                       setting: "plugins.security.protected_indices.roles")))
        let keeper = Self.decide(e, "keeper", "indices:data/read/search", ["mixed"])
        #expect(keeper.outcome == .allow)
        #expect(!keeper.decisionNotes.contains { if case .protectedReadsBlanked = $0 { true } else { false } })
    }

    /// The rule's denied list, with the action named in the typed denial and `no permissions for []`.
    @Test("writes, mapping, settings and alias changes on a protected index are refused", arguments: [
        "indices:data/write/index", "indices:data/write/delete", "indices:admin/mapping/put", "indices:admin/settings/update",
        "indices:admin/aliases", "indices:admin/close", "indices:admin/delete",
    ])
    func protectedWriteRefused(action: String) throws {
        let e = try Self.evaluator("protected_indices")
        let decision = Self.decide(e, "admin_like", action, ["secrets-*"])
        #expect(decision.denial == .special(.protectedIndex(index: "secrets-1", action: action)))
        #expect(decision.forbiddenMessage == "no permissions for [] and User [name=admin_like, backend_roles=[], requestedTenant=null]")
    }

    /// The restore action itself is on the protected rule's list and runs before any privilege.
    @Test("a restore onto a protected index is refused with the restore action named")
    func protectedRestore() throws {
        let e = try Self.evaluator("protected_indices")
        let decision = Self.decide(e, "admin_like", "cluster:admin/snapshot/restore", ["secrets-1"])
        #expect(decision.denial == .special(.protectedIndex(index: "secrets-1", action: "cluster:admin/snapshot/restore")))
    }

    /// IndexResolverReplacer resolves `_all` to `*` alone: SystemIndexAccessEvaluator sees no system
    /// index; the searcher wrapper blanks them (search_all_system_indices_permission_*/README.md).
    @Test("search on all indices by a user allowed on '*': allowed, system and security indices left out", arguments: [
        ("search_all_system_indices_permission_on", [String]()), ("search_all_system_indices_permission_on", ["_all"]),
        ("search_all_system_indices_permission_on", ["*"]), ("search_all_system_indices_permission_off", [String]()),
        ("search_all_system_indices_permission_off", ["_all"]), ("search_all_system_indices_permission_off", ["*"]),
    ])
    func searchAll(scenario: String, indices: [String]) throws {
        let e = try Self.evaluator(scenario)
        let decision = Self.decide(e, "star", "indices:data/read/search", indices)
        #expect(decision.outcome == .allow)
        #expect(decision.decisionNotes.contains(.readsBlanked(indices: [".opendistro_security", ".plugin-config", ".plugin-state"], all: false)))
    }

    @Test("permission mode: a request naming a system index needs the explicit privilege on every index")
    func explicitOnEveryIndex() throws {
        let e = try Self.evaluator("search_all_system_indices_permission_on")
        let decision = Self.decide(e, "operator", "indices:data/read/search", ["orders-1", ".plugin-config"])
        #expect(decision.denial == .special(.regularIndexBesideSystemIndex(index: "orders-1", systemIndex: ".plugin-config")))
        #expect(decision.fix.map(\.advice) == [.grantSystemIndexPermission])
        #expect(Self.decide(e, "operator", "indices:data/read/search", [".plugin-config"]).outcome == .allow)
    }
}
