import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// The grant an explanation names for an allowed index cell is the first held index_permissions
/// entry, in role order and then written order, whose allowed_actions give the action
/// (`CompiledRole.grants(for:)`): GrantChains finds it through the grant's catalog action bits for
/// a catalog action, by matching the entries for any other. The plugin's decision does not depend
/// on which grant is named; this pins secperm's explanation (STYLE.md §4).
@Suite("Grant chains of index decisions")
struct GrantChainTests {
    static func evaluator() throws -> Evaluator {
        let loader = ConfigLoader()
        var config = try loader.load(text: """
            _meta: {type: roles, config_version: 2}
            r:
              index_permissions:
              - index_patterns: ['logs-*']
                allowed_actions: ['indices:data/write*']
              - index_patterns: ['logs-a*', 'logs-*']
                allowed_actions: [crud]
              - index_patterns: ['logs-*']
                allowed_actions: ['indices:data/read*']
            """, name: "roles.yml").config
        config.roleMappings = try loader.load(text: """
            _meta: {type: rolesmapping, config_version: 2}
            r:
              users: [u]
            """, name: "roles_mapping.yml").config.roleMappings
        return Evaluator(config: config, catalog: Catalog(profile: .default), settings: NodeSettings())
    }

    static func grants(_ action: String, _ indices: [String]) throws -> [[String]] {
        let decision = try evaluator().evaluate(AccessRequest(subject: Subject(name: "u"), action: action, indices: indices))
        return decision.grants.map { [$0.action, $0.permission] + $0.via + [$0.indexPattern ?? "-"] + $0.indices }
    }

    @Test("a catalog action: the first entry granting it, through its group, with the pattern matching each index")
    func catalogAction() throws {
        let read = try Self.grants("indices:data/read/search", ["logs-b", "logs-a1"])
        #expect(read
            == [["indices:data/read/search", "crud", "read", "indices:data/read*", "logs-*", "logs-b"],
                ["indices:data/read/search", "crud", "read", "indices:data/read*", "logs-a*", "logs-a1"]])
        let write = try Self.grants("indices:data/write/index", ["logs-1"])
        #expect(write
            == [["indices:data/write/index", "indices:data/write*", "indices:data/write*", "logs-*", "logs-1"]])
    }

    @Test("an action the catalog does not list is matched entry by entry")
    func uncataloguedAction() throws {
        let custom = try Self.grants("indices:data/read/custom_thing", ["logs-x"])
        #expect(custom
            == [["indices:data/read/custom_thing", "crud", "read", "indices:data/read*", "logs-*", "logs-x"]])
    }

    @Test("one index on its own gets the chain it gets among several")
    func oneIndexAlone() throws {
        // A request on one index takes a shorter way to its chain (no grouping by entry).
        let together = try Self.grants("indices:data/read/search", ["logs-b", "logs-a1"])
        #expect(try Self.grants("indices:data/read/search", ["logs-a1"]) == [together[1]])
        #expect(try Self.grants("indices:data/read/search", ["logs-b"]) == [together[0]])
        #expect(try Self.grants("indices:data/read/search", ["other"]) == [])
    }

    @Test("a decision explained for its reasons only: the same outcome, chains, notes and missing privileges, no fix plan or 403 text")
    func reasonsOnly() throws {
        let evaluator = try Self.evaluator()
        let prepared = evaluator.prepare(ResolvedSubject(subject: Subject(name: "u"), subjectNotes: [], canAuthenticate: true))
        for (action, index) in [("indices:data/read/search", "logs-a1"), ("indices:admin/create", "logs-1"), ("indices:data/read/search", "other")] {
            let full = evaluator.evaluate(prepared, action: action, indices: [index])
            let reasons = evaluator.evaluate(prepared, action: action, indices: [index], reasonsOnly: true)
            #expect(reasons.outcome == full.outcome && reasons.grants == full.grants && reasons.decisionNotes == full.decisionNotes
                && reasons.missingPrivileges == full.missingPrivileges && reasons.denial == full.denial)
            #expect(reasons.fix.isEmpty && reasons.forbiddenMessage == nil)
            if full.outcome == .deny { #expect(!full.fix.isEmpty && full.forbiddenMessage != nil) }
        }
    }
}

/// A list's path to an action is kept per action (`ActionSet.path`), for the plain and the
/// explicit rule apart: a bare `*` grants every action but names none explicitly (semantics §2.5).
@Suite("Action paths kept per action")
struct ActionPathMemoTests {
    @Test("the plain and the explicit answer are kept apart, in either order")
    func plainAndExplicitApart() {
        let groups = FlattenedActionGroups(["monitor": ["cluster:monitor/*"]])
        for explicitFirst in [false, true] {
            let set = ActionSet(written: ["*", "monitor"], groups: groups)
            var answers: [ActionPath?] = []
            for explicit in explicitFirst ? [true, false, true, false] : [false, true, false, true] {
                answers.append(set.path(to: "indices:data/read/search", groups: groups, explicitOnly: explicit))
                answers.append(set.path(to: "cluster:monitor/health", groups: groups, explicitOnly: explicit))
            }
            // The plain rule: `*` is the shortest path to both (tied with `monitor` for health, first written).
            let plain = [ActionPath(entry: "*", via: ["*"]), ActionPath(entry: "*", via: ["*"])]
            let explicit: [ActionPath?] = [nil, ActionPath(entry: "monitor", via: ["cluster:monitor/*"])]
            #expect(answers == (explicitFirst ? explicit + plain + explicit + plain : plain + explicit + plain + explicit))
        }
    }
}
