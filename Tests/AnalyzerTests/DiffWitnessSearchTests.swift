import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// The witness search's first name is found without listing every uncovered member (`DiffRun.analyze`):
/// the least own name (shortest, then by UTF-8 bytes) of a member no single pattern of the other set
/// includes. When that name is matched by a plain pattern of the other set, or is decided alike, the
/// search goes on through the full list exactly as before. Semantics §2.1 (`WildcardMatcher`: a
/// glob's literal characters must appear in every name it matches; a regex matches the whole name).
@Suite("Diff: witness search")
struct DiffWitnessSearchTests {
    static func compare(_ source: [String], _ target: [String]) throws -> [String: String] {
        try DiffSharingTests.compare(source, target, users: ["alice"])
    }

    @Test("the least name of the least uncovered member is the witness, whatever the members' order")
    func leastUncoveredName() throws {
        // SRC over DST: `b-1` comes before `app-1` (3 bytes < 5); `x` is covered by `x*`. Ids follow
        // the order the patterns are met, so both orders are tried. DST over SRC: `x*`'s least name
        // `x` is SRC's exact `x` (skipped), so its next name is the witness.
        let expected = ["alice": "incomparable | b-1 allow/deny | xa deny/allow"]
        #expect(try Self.compare(["app-1", "b-1", "x"], ["x*"]) == expected)
        #expect(try Self.compare(["x", "b-1", "app-1"], ["x*"]) == expected)
    }

    @Test("a least name that a plain pattern of the other set matches is skipped")
    func leastNameMatchedByPlainPattern() throws {
        // `/ab|cd|ef/` has three own names; DST's exact `ab` matches the least and covers none of
        // the member, so the search starts at `cd` (not past it).
        #expect(try Self.compare(["/ab|cd|ef/"], ["ab"]) == ["alice": "narrower | cd allow/deny"])
        #expect(try Self.compare(["logs-*"], ["logs-"]) == ["alice": "narrower | logs-a allow/deny"])
    }

    @Test("a least name decided alike (a regex matches it) leaves the search to the next names")
    func leastNameDecidedAlike() throws {
        // A regex is not a plain pattern, so `logs-` is tried first, and DST's `/logs-/` grants it.
        #expect(try Self.compare(["logs-*"], ["/logs-/"]) == ["alice": "narrower | logs-a allow/deny"])
    }

    @Test("a glob covers a name holding its literal characters, not one missing any")
    func globLiteralBytes() throws {
        // `é-?`: é is two UTF-8 bytes, both in `é-1`, which it covers; `*-2?` needs `2`, absent from
        // `ab-1x`, the only SRC witness. DST's own names are SRC's witnesses the other way.
        #expect(try Self.compare(["é-1", "ab-1x"], ["é-?", "*-2?"]) == ["alice": "incomparable | ab-1x allow/deny | a-2- deny/allow"])
        // `q-*` (a prefix) is covered by `q*` but not by `*z*` (no `z` in `q-`).
        #expect(try Self.compare(["q-*"], ["q*"]) == ["alice": "broader | q deny/allow"])
        #expect(try Self.compare(["q-*"], ["*z*"]) == ["alice": "incomparable | q- allow/deny | z deny/allow"])
    }
}

extension DiffWitnessSearchTests {
    /// A subject with more than 64 grant records (one per index permission): the records covering
    /// a position are kept in several words, and each word's records count.
    @Test("grant sets built from more than 64 records")
    func manyRecords() throws {
        func input(_ grants: [[String]]) throws -> DiffInput {
            let permissions = grants.map { "  - index_patterns: [\($0.map { "'\($0)'" }.joined(separator: ", "))]\n"
                + "    allowed_actions: ['indices:data/read/search']\n" }.joined()
            return try DiffSharingTests.input(roles: "own:\n  index_permissions:\n" + permissions, mapping: "own:\n  users: [alice]\n",
                                              users: ["alice"])
        }
        let names = (0..<70).map { "idx-\($0)" }
        func compare(_ source: [[String]], _ target: [[String]]) throws -> [String] {
            let result = ConfigDiff(now: DiffSharingTests.now).compare(source: try input(source), target: try input(target))
            return result.subjects.flatMap(\.witnesses).filter { $0.action == "indices:data/read/search" }
                .map { "\($0.index ?? "-") \($0.source.outcome.rawValue)/\($0.target.outcome.rawValue)" }
        }
        // 70 records against one: alike. Without the 66th (second word) or the 1st: that name differs.
        #expect(try compare(names.map { [$0] }, [names]) == [])
        #expect(try compare(names.map { [$0] }, [names.filter { $0 != "idx-65" }]) == ["idx-65 allow/deny"])
        #expect(try compare(names.map { [$0] }, [Array(names.dropFirst())]) == ["idx-0 allow/deny"])
    }
}

/// Where both sides check an action alike, the least own name of all members is tried before any
/// coverage is worked out (`DiffRun.direction`): a member the other set covers is granted its names
/// on both sides, so only an uncovered member's name can be decided differently there. Where the
/// sides check it differently (other node settings), a covered name may differ for other reasons,
/// and the search keeps to the uncovered members. Semantics §2.7 (a protected index is served
/// empty to a reader without a protected role).
extension DiffWitnessSearchTests {
    /// One role granting `actions` on `patterns` to alice (no role when `patterns` is empty), with `settings`.
    static func input(_ patterns: [String], actions: [String] = ["indices:data/read/search"], settings: NodeSettings = NodeSettings()) throws -> DiffInput {
        let quoted = { (items: [String]) in items.map { "'\($0)'" }.joined(separator: ", ") }
        let roles = patterns.isEmpty ? "own:\n  cluster_permissions: []\n"
            : "own:\n  index_permissions:\n  - index_patterns: [\(quoted(patterns))]\n    allowed_actions: [\(quoted(actions))]\n"
        let made = try DiffSharingTests.input(roles: roles, mapping: "own:\n  users: [alice]\n", users: ["alice"])
        return DiffInput(config: made.config, catalog: made.catalog, settings: settings)
    }

    static func searchWitnesses(_ result: DiffResult) -> [String] {
        result.subjects.flatMap(\.witnesses).filter { $0.action == "indices:data/read/search" }.map(DiffSharingTests.line)
    }

    @Test("the least name of all members, when a regex of the other side covers its member, is not the witness")
    func leastOfAllCovered() throws {
        // `a` is SRC's least name, but DST's `/a/` grants it: alike. `bb-1` is the difference.
        let result = ConfigDiff(now: DiffSharingTests.now).compare(source: try Self.input(["a", "bb-1"]), target: try Self.input(["/a/"]))
        #expect(Self.searchWitnesses(result) == ["indices:data/read/search bb-1 allow/deny"])
    }

    @Test("with other node settings on one side, the witness is still an uncovered member's name")
    func leastOfAllNotTriedWhenCheckedDifferently() throws {
        // DST protects `a`: a search there is served empty, so `a` is decided differently too. The
        // sides do not check alike, so the search keeps to SRC's uncovered member, `bb-1`.
        var protected = NodeSettings()
        protected.protectedIndicesEnabled = true
        protected.protectedIndices = ["a"]
        protected.protectedIndicesRoles = ["nobody"]
        let result = ConfigDiff(now: DiffSharingTests.now).compare(source: try Self.input(["a", "bb-1"]),
                                                                   target: try Self.input(["/a/"], settings: protected))
        #expect(Self.searchWitnesses(result) == ["indices:data/read/search bb-1 allow/deny"])
    }

    @Test("a request decided once serves only the actions with the same single-index traits")
    func decidedOncePerTraits() throws {
        // SRC grants search and index on the system index `.sys`, DST nothing: one pair of grant
        // sets for both actions. A search there is served empty (narrower); an index request is
        // refused on both sides (a write on a system index), so index does not differ at all.
        var settings = NodeSettings()
        settings.systemIndicesEnabled = true
        settings.systemIndices = [".sys"]
        let source = try Self.input([".sys"], actions: ["indices:data/read/search", "indices:data/write/index"], settings: settings)
        let result = ConfigDiff(now: DiffSharingTests.now).compare(source: source, target: try Self.input([], settings: settings))
        #expect(result.subjects.map(\.actionVerdicts) == [["indices:data/read/search": .narrower]])
        #expect(Self.searchWitnesses(result) == ["indices:data/read/search .sys empty/deny"])
    }
}

/// Two findings of the review of the shortcuts above: a pair of grant sets can meet in both
/// directions (SRC's set over DST's for one action, DST's over SRC's for another), and a name that a
/// special rule singles out reads grants beyond the action's own (semantics §2.7: explicit
/// `system:admin/system_index` in permission mode).
extension DiffWitnessSearchTests {
    @Test("a pair of grant sets met in both directions keeps each direction's decisions apart")
    func bothDirections() throws {
        // Search: SRC {a*, b*} over DST {a*}; get: DST {a*, b*} over SRC {a*}. The same pair of sets,
        // the same traits: `b` is allow/deny for search and deny/allow for get.
        let source = try DiffSharingTests.input(roles: """
            own:
              index_permissions:
              - index_patterns: ['a*', 'b*']
                allowed_actions: ['indices:data/read/search']
              - index_patterns: ['a*']
                allowed_actions: ['indices:data/read/get']
            """, mapping: "own:\n  users: [alice]\n", users: ["alice"])
        let target = try DiffSharingTests.input(roles: """
            own:
              index_permissions:
              - index_patterns: ['a*']
                allowed_actions: ['indices:data/read/search']
              - index_patterns: ['a*', 'b*']
                allowed_actions: ['indices:data/read/get']
            """, mapping: "own:\n  users: [alice]\n", users: ["alice"])
        let result = ConfigDiff(now: DiffSharingTests.now).compare(source: source, target: target)
        #expect(result.subjects.map(\.verdict) == [.incomparable])
        #expect(result.subjects.map(\.actionVerdicts) == [["indices:data/read/search": .narrower, "indices:data/read/get": .broader]])
    }

    @Test("a name a special rule singles out is not tried ahead of the coverage analysis")
    func specialNameLeftToCoverage() throws {
        // Each side's search set covers the other's (`.sys` and `/\.sys/`), so the coverage analysis
        // finds no difference in search; the explicit system-index grant SRC alone holds is reported
        // through its own action. (A search on `.sys` is decided differently too, through that
        // grant, which the search grant sets do not show: recorded as open in issue 12.)
        var settings = NodeSettings()
        settings.systemIndicesEnabled = true
        settings.systemIndexPermissionEnabled = true
        settings.systemIndices = [".sys"]
        let source = try Self.input([".sys"], actions: ["indices:data/read/search", "system:admin/system_index"], settings: settings)
        let target = try Self.input(["/\\.sys/"], settings: settings)
        let result = ConfigDiff(now: DiffSharingTests.now).compare(source: source, target: target)
        #expect(result.subjects.map(\.actionVerdicts) == [["system:admin/system_index": .narrower]])
    }
}

extension DiffWitnessSearchTests {
    /// Dashboards saved-object actions are granted per tenant through `tenant_permissions`
    /// (`TenantRules`; without a tenant named, the global tenant), not by cluster or index grants.
    @Test("a difference in tenant permissions alone is found")
    func tenantPermissionsAlone() throws {
        let roles = { (tenants: String) in
            "own:\n  index_permissions:\n  - index_patterns: ['a*']\n    allowed_actions: ['indices:data/read/search']\n" + tenants
        }
        let source = try DiffSharingTests.input(roles: roles("  tenant_permissions:\n  - tenant_patterns: [global_tenant]\n    allowed_actions: [kibana_all_write]\n"),
                                                mapping: "own:\n  users: [alice]\n", users: ["alice"])
        let target = try DiffSharingTests.input(roles: roles(""), mapping: "own:\n  users: [alice]\n", users: ["alice"])
        let result = ConfigDiff(now: DiffSharingTests.now).compare(source: source, target: target)
        #expect(result.verdict == .narrower)
        let write = result.subjects.flatMap(\.witnesses).first { $0.action == "kibana:saved_objects/*/write" }
        #expect(write.map(DiffSharingTests.line) == "kibana:saved_objects/*/write - allow/deny")
        // The allowing side's reason is the tenant grant, not the note saying who the user is.
        #expect(write.map { DiffReport.reason($0.source) } == "own grants saved objects of tenant global_tenant through tenant_permissions")
    }
}

/// Without per-action verdicts (`ConfigDiff.perActionVerdicts` off, as the CLI runs for text and
/// JSON), an action found differing one way is not searched the other way once the subject's
/// verdict is settled: the verdicts and the differing actions stay the same.
@Suite("Diff: per-action verdicts")
struct DiffPerActionVerdictTests {
    @Test("the second way of an action is searched only while the subject's verdict is open, unless each action's verdict is wanted")
    func secondWaySkippedOnceSettled() throws {
        // SRC grants search and get on `a`, DST on `b`: both actions differ both ways. Search comes
        // first (everyday order) and settles the subject as incomparable.
        let actions = ["indices:data/read/search", "indices:data/read/get"]
        let source = try DiffWitnessSearchTests.input(["a"], actions: actions), target = try DiffWitnessSearchTests.input(["b"], actions: actions)
        func run(perAction: Bool) -> DiffResult.SubjectDiff? {
            var diff = ConfigDiff(now: DiffSharingTests.now)
            diff.perActionVerdicts = perAction
            return diff.compare(source: source, target: target).subjects.first
        }
        let full = try #require(run(perAction: true)), settled = try #require(run(perAction: false))
        #expect(full.witnesses.map(DiffSharingTests.line) == ["indices:data/read/search a allow/deny", "indices:data/read/search b deny/allow",
                                                              "indices:data/read/get a allow/deny", "indices:data/read/get b deny/allow"])
        #expect(full.actionVerdicts == ["indices:data/read/search": .incomparable, "indices:data/read/get": .incomparable])
        #expect(settled.witnesses.map(DiffSharingTests.line) == ["indices:data/read/search a allow/deny", "indices:data/read/search b deny/allow",
                                                                 "indices:data/read/get a allow/deny"])
        #expect(settled.actionVerdicts == [:])
        #expect(full.verdict == .incomparable && settled.verdict == .incomparable)
        #expect(full.differingActions == 2 && settled.differingActions == 2)
    }
}
