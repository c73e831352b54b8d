import PermissionCatalog
import Testing
@testable import Analyzer

/// The grant chains an explanation shows (STYLE.md §4: entry → groups → pattern) read each group's
/// members and chains from `FlattenedActionGroups.memberChains(of:)`, worked out once per group.
/// They must be what `chain(from:to:)` gives per member, in `resolve([group]).sorted()` order.
@Suite("Action-group member chains")
struct MemberChainTests {
    static let groups = FlattenedActionGroups([
        "data_access": ["crud", "indices:data/read/field_caps"],
        "crud": ["read", "write", "indices:data/read*"],
        "read": ["indices:data/read*"],
        "write": ["indices:data/write*"],
        "loop_a": ["loop_b", "x:a", "loop_a"],
        "loop_b": ["loop_a", "x:b"],
    ])

    static func pairs(_ group: String) -> [[String]] {
        groups.memberChains(of: group).map { [$0.member] + $0.chain }
    }

    @Test("members that are not groups, sorted, each with its shortest chain; asking again gives the same")
    func exact() {
        let expected = [["indices:data/read*", "data_access", "crud"], ["indices:data/read/field_caps", "data_access"],
                        ["indices:data/write*", "data_access", "crud", "write"]]
        #expect(Self.pairs("data_access") == expected)
        #expect(Self.pairs("data_access") == expected)
        #expect(Self.pairs("loop_a") == [["x:a", "loop_a"], ["x:b", "loop_a", "loop_b"]])
        #expect(Self.pairs("loop_b") == [["x:a", "loop_b", "loop_a"], ["x:b", "loop_b"]])
        #expect(Self.groups.memberChains(of: "data_access").map { $0.pattern.source } == expected.map { $0[0] })
    }

    @Test("equal to chain(from:to:) per member for every group")
    func naive() {
        for group in Self.groups.direct.keys.sorted() {
            let naive = Self.groups.resolve([group]).sorted().compactMap { member -> [String]? in
                guard member != group, !Self.groups.isGroup(member), let chain = Self.groups.chain(from: group, to: member) else { return nil }
                return [member] + chain
            }
            #expect(Self.pairs(group) == naive)
        }
    }

    @Test("the grant path through nested groups, and the shortest chain where several reach the entry (read* through crud, not crud and read)")
    func paths() {
        let set = ActionSet(written: ["data_access", "indices:data/write/index"], groups: Self.groups)
        #expect(set.path(to: "indices:data/read/search", groups: Self.groups) == ActionPath(entry: "data_access", via: ["crud", "indices:data/read*"]))
        #expect(set.path(to: "indices:data/write/bulk", groups: Self.groups) == ActionPath(entry: "data_access", via: ["crud", "write", "indices:data/write*"]))
        #expect(set.path(to: "indices:data/write/index", groups: Self.groups) == ActionPath(entry: "indices:data/write/index", via: ["indices:data/write/index"]))
        #expect(set.path(to: "cluster:monitor/health", groups: Self.groups) == nil)
    }
}
