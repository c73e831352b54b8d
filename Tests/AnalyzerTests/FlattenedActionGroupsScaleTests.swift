import Foundation
import Testing
@testable import Analyzer

/// Deep and large action-group graphs, and the plugin's cap on its flattening passes. Followed:
/// §2.2 and `securityconf/FlattenedActionGroups.java` (opensearch-project/security main bb55e64d):
/// phase 1 gives each group its direct entries, phase 2 repeats passes that add the current sets of
/// the groups it lists by exact name (not itself) until a pass changes nothing, and breaks after the
/// pass with index 1000 (1001 passes).
@Suite("Action-group flattening at scale and at the plugin's pass cap (§2.2)")
struct FlattenedActionGroupsScaleTests {
    /// `g0 → g1 → … → g(n-1) → leaf`.
    static func chain(_ count: Int, leaf: String = "indices:data/read/search") -> [String: [String]] {
        var groups: [String: [String]] = [:]
        for index in 0..<count { groups["g\(index)"] = [index + 1 < count ? "g\(index + 1)" : leaf] }
        return groups
    }

    static func names(_ range: ClosedRange<Int>, prefix: String = "g") -> Set<String> {
        Set(range.map { "\(prefix)\($0)" })
    }

    /// Hang guard only: the result is asserted exactly; before the rewrite a 2,000 chain took > 120 s.
    static let generous: Duration = .seconds(20)

    @Test("a 2,000-deep chain ends fast and grants what 1001 passes certainly reach")
    func deepChain() {
        let clock = ContinuousClock()
        var groups = FlattenedActionGroups([:])
        let elapsed = clock.measure { groups = FlattenedActionGroups(Self.chain(2000)) }
        #expect(elapsed < Self.generous)
        #expect(groups.tooDeeplyNested)
        #expect(groups.resolved["g0"] == Self.names(1...1002))
        #expect(groups.resolved["g997"] == Self.names(998...1999))
        #expect(groups.resolved["g998"] == Self.names(999...1999).union(["indices:data/read/search"]))
        #expect(groups.resolved["g1999"] == ["indices:data/read/search"])
        #expect(groups.resolve(["g0"]).contains("indices:data/read/search") == false)
        #expect(groups.cycles.isEmpty)
    }

    @Test("the cap's boundary: 1002 groups resolve fully, 1003 do not")
    func capBoundary() {
        let full = FlattenedActionGroups(Self.chain(1002))
        #expect(!full.tooDeeplyNested)
        #expect(full.resolved["g0"] == Self.names(1...1001).union(["indices:data/read/search"]))
        let cut = FlattenedActionGroups(Self.chain(1003))
        #expect(cut.tooDeeplyNested)
        #expect(cut.resolved["g0"] == Self.names(1...1002))
        #expect(cut.resolved["g1"] == Self.names(2...1002).union(["indices:data/read/search"]))
    }

    @Test("a 2,000-node cycle ends fast, is one cycle, and each group reaches 1001 levels round it")
    func bigCycle() throws {
        var input: [String: [String]] = [:]
        for index in 0..<2000 { input["c\(index)"] = ["c\((index + 1) % 2000)", "a\(index)"] }
        let clock = ContinuousClock()
        var groups = FlattenedActionGroups([:])
        let elapsed = clock.measure { groups = FlattenedActionGroups(input) }
        #expect(elapsed < Self.generous)
        #expect(groups.tooDeeplyNested)
        #expect(groups.cycles == [input.keys.sorted()])
        #expect(groups.resolved["c0"] == Self.names(1...1002, prefix: "c").union(Self.names(0...1001, prefix: "a")))
        let wrapped = Set((1500...2501).map { "c\($0 % 2000)" }).union((1499...2500).map { "a\($0 % 2000)" })
        #expect(groups.resolved["c1499"] == wrapped)
        #expect(try #require(groups.resolved["c7"]).count == 2004)
    }

    @Test("a 1,000-node cycle lies within the cap: every group reaches all of it")
    func cycleWithinCap() {
        var input: [String: [String]] = [:]
        for index in 0..<1000 { input["c\(index)"] = ["c\((index + 1) % 1000)", "a\(index)"] }
        let groups = FlattenedActionGroups(input)
        let all = Self.names(0...999, prefix: "c").union(Self.names(0...999, prefix: "a"))
        #expect(!groups.tooDeeplyNested)
        #expect(groups.resolved["c0"] == all)
        #expect(groups.resolved["c999"] == all)
        #expect(groups.cycles.count == 1)
    }

    @Test("a 4,000-deep chain does not overflow the stack and keeps the cap")
    func veryDeepChain() {
        let groups = FlattenedActionGroups(Self.chain(4000))
        #expect(groups.resolved["g0"] == Self.names(1...1002))
        #expect(groups.resolved["g2998"]?.contains("indices:data/read/search") == true)
        #expect(groups.resolved["g2997"]?.contains("indices:data/read/search") == false)
    }
}

/// The bound on what flattening may hold (`FlattenedActionGroups.maximumEntries`), checked when a
/// configuration is loaded: past it, an input error with the line of the group being flattened.
@Suite("Action-group flattening: size bound")
struct FlattenedActionGroupsBoundTests {
    static func chainText(_ count: Int) -> String {
        var text = "_meta: {type: actiongroups, config_version: 2}\n"
        for index in 0..<count { text += "g\(index): {allowed_actions: [\(index + 1 < count ? "g\(index + 1)" : "a")]}\n" }
        return text
    }

    @Test("within the bound nothing is refused; past it the group's file:line is named")
    func bound() throws {
        let groups = try ConfigLoader().load(text: Self.chainText(30), name: "action_groups.yml").config.actionGroups
        // 30 groups holding 30, 29, … 1 entries: 465 in all. Components close sinks first, so `g0`
        // (written on line 2) is the last one flattened and passes a bound of 464.
        try FlattenedActionGroups.checkSize(groups, maximumEntries: 465)
        let error = try #require(throws: InputError.self) { try FlattenedActionGroups.checkSize(groups, maximumEntries: 464) }
        #expect(error.description == """
            action_groups.yml:2: error: action groups nest too much: flattened, they would hold more than 464 entries \
            (passed while flattening 'g0')
              help: each group holds a copy of everything the groups it lists hold; list the actions directly or nest less deeply
            """)
    }

    @Test("the loader refuses a 20,000-deep chain (20 million entries) and accepts a 2,000-deep one")
    func loader() throws {
        let error = try #require(throws: InputError.self) {
            try ConfigLoader().load(text: Self.chainText(20_000), name: "action_groups.yml")
        }
        // Groups are walked in name order (g0, g1, g10, g100, …), each holding 1,002 entries; the bound
        // is passed at g14489, written on line 14,491.
        #expect(error.diagnostics.map { $0.location?.line } == [14_491])
        #expect(error.diagnostics.first?.message.hasPrefix("action groups nest too much: flattened, they would hold more than 5000000 entries") == true)
        #expect(throws: Never.self) { try ConfigLoader().load(text: Self.chainText(2000), name: "action_groups.yml") }
    }
}

/// The upstream loop written plainly, run on random small graphs (cycles, self references, diamonds,
/// unknown names, patterns, names differing in case), for several caps: every resolved set, the
/// cycles, the self references and the cap flag (some group nested deeper than the cap) must agree.
@Suite("Action-group flattening against a naive fixpoint")
struct FlattenedActionGroupsNaiveTests {
    /// Phase 1 and phase 2 of the upstream class, each pass reading the sets of the previous one (the
    /// order-independent least the plugin grants); stops when a pass changes nothing or after `passes`.
    static func naive(_ groups: [String: [String]], passes: Int) -> [String: Set<String>] {
        var resolved = groups.mapValues(Set.init)
        let nested = groups.mapValues { entries in entries.filter { groups[$0] != nil } }
        var pass = 0
        while pass < passes {
            pass += 1
            var next = resolved
            for (name, members) in nested {
                for member in members where member != name { next[name, default: []].formUnion(resolved[member] ?? []) }
            }
            if next == resolved { break }
            resolved = next
        }
        return resolved
    }

    /// Whether some group lies more than `passes` nesting levels below another (breadth-first).
    static func naiveCut(_ groups: [String: [String]], passes: Int) -> Bool {
        groups.keys.contains { start in
            var level: [String: Int] = [start: 0]
            var frontier = [start]
            while !frontier.isEmpty {
                var next: [String] = []
                for name in frontier {
                    for member in groups[name] ?? [] where groups[member] != nil && level[member] == nil {
                        level[member] = (level[name] ?? 0) + 1
                        next.append(member)
                    }
                }
                frontier = next
            }
            return level.values.contains { $0 > passes }
        }
    }

    static func naiveCycles(_ groups: [String: [String]]) -> [[String]] {
        let closure = naive(groups, passes: Int.max)
        var seen = Set<String>()
        var cycles: [[String]] = []
        for name in groups.keys.sorted() where !seen.contains(name) {
            let members = groups.keys.filter { other in
                other == name || (closure[name]?.contains(other) == true && closure[other]?.contains(name) == true)
            }.sorted()
            seen.formUnion(members)
            if members.count > 1 { cycles.append(members) }
        }
        return cycles
    }

    /// SplitMix64, so the table is the same on every run.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }

    static func randomGraph(_ random: inout Seeded) -> [String: [String]] {
        let count = Int.random(in: 1...9, using: &random)
        let names = (0..<count).map { "G\($0)" }
        let others = ["indices:data/read/*", "a1", "a2", "G*", "g0", "unknown_group", "G\(count)"]
        var groups: [String: [String]] = [:]
        for name in names {
            let size = Int.random(in: 0...4, using: &random)
            groups[name] = (0..<size).map { _ in
                Bool.random(using: &random) ? names.randomElement(using: &random) ?? name : others.randomElement(using: &random) ?? "a1"
            }
        }
        return groups
    }

    @Test("500 random graphs agree with the naive loop for caps 1, 2, 3, 5 and the plugin's 1001")
    func table() {
        var random = Seeded(state: 14)
        var cut = 0
        for round in 0..<500 {
            let input = Self.randomGraph(&random)
            for passes in [1, 2, 3, 5, FlattenedActionGroups.pluginPasses] {
                let groups = FlattenedActionGroups(input, passes: passes)
                let expected = Self.naive(input, passes: passes)
                #expect(groups.resolved == expected, "round \(round), \(passes) passes: \(input)")
                #expect(groups.tooDeeplyNested == Self.naiveCut(input, passes: passes), "round \(round), \(passes) passes: \(input)")
                if groups.tooDeeplyNested { cut += 1 }
            }
            #expect(FlattenedActionGroups(input).cycles == Self.naiveCycles(input), "round \(round): \(input)")
            #expect(FlattenedActionGroups(input).selfReferences == input.filter { $0.value.contains($0.key) }.keys.sorted())
        }
        // The table must exercise the cap, not only graphs that settle at once.
        #expect(cut > 100)
    }
}
