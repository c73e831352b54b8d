import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// A role set's name tables made per backend-role group (`Evaluator.RoleSetTables.perBackendRole`,
/// as `secperm diff` makes them) decide every request as one merged table does: the plugin's
/// tables answer "does some held role grant this action on this name" (semantics §6), and a role
/// grants it whichever group holds it.
@Suite("Evaluator: role-set tables per backend-role group")
struct RoleSetTablesTests {
    static let roles = """
        by_dev:
          index_permissions:
          - index_patterns: ['dev-exact']
            allowed_actions: ['indices:data/read/search']
        by_ops:
          index_permissions:
          - index_patterns: ['ops-*']
            allowed_actions: ['indices:data/read/search']
        by_both:
          index_permissions:
          - index_patterns: ['shared-?x']
            allowed_actions: ['indices:data/write/index']
        by_user:
          index_permissions:
          - index_patterns: ['/own-[0-9]+/']
            allowed_actions: ['indices:data/read/get']
        """
    static let mapping = """
        by_dev:
          backend_roles: [dev]
        by_ops:
          backend_roles: ['op*']
        by_both:
          backend_roles: [dev, ops]
        by_user:
          users: [alice]
          backend_roles: [ops]
        """

    @Test("groups: per backend role the roles mapped through it, then those held for another reason")
    func groups() throws {
        let input = try DiffSharingTests.input(roles: Self.roles, mapping: Self.mapping, users: ["alice"])
        let evaluator = Evaluator(config: input.config, catalog: input.catalog)
        let held = evaluator.mapper.map(Subject(name: "alice", backendRoles: ["ops", "dev"])).filter(\.exists)
        #expect(Evaluator.backendRoleGroups(held) == [["by_both", "by_dev"], ["by_both", "by_ops", "by_user"], ["by_user"]])
        let bob = evaluator.mapper.map(Subject(name: "bob", backendRoles: ["dev"])).filter(\.exists)
        #expect(Evaluator.backendRoleGroups(bob) == [["by_both", "by_dev"]])
    }

    @Test("decisions per group equal the merged table's, for names only a later group grants")
    func sameDecisions() throws {
        let input = try DiffSharingTests.input(roles: Self.roles, mapping: Self.mapping, users: ["alice"])
        let evaluators = [Evaluator.RoleSetTables.merged, .perBackendRole].map {
            Evaluator(config: input.config, catalog: input.catalog, roleSetTables: $0)
        }
        let subject = Subject(name: "alice", backendRoles: ["dev", "ops"])
        let requests: [(String, String, Decision.Outcome)] = [
            ("indices:data/read/search", "dev-exact", .allow), ("indices:data/read/search", "ops-1", .allow),
            ("indices:data/write/index", "shared-ax", .allow), ("indices:data/read/get", "own-42", .allow),
            ("indices:data/read/search", "own-42", .deny), ("indices:data/read/get", "ops-1", .deny),
            ("indices:data/write/index", "shared-x", .deny), ("indices:data/read/search", "other", .deny),
        ]
        for (action, index, expected) in requests {
            let outcomes = evaluators.map { $0.evaluate(AccessRequest(subject: subject, action: action, indices: [index])).outcome }
            #expect(outcomes == [expected, expected], "\(action) on \(index)")
        }
    }
}
