import Synchronization

/// Action groups resolved to everything they reach, the way the plugin's `FlattenedActionGroups`
/// does it (§2.2): by exact name only, iterated to a fixpoint so that cycles end; a group listing
/// itself is ignored; names that are not groups stay as literal entries.
///
/// Upstream (`securityconf/FlattenedActionGroups.java`, main bb55e64d) starts every group with its
/// direct `allowed_actions`, then repeats passes that add each nested group's current set, and gives
/// up ("Found too deeply nested action groups") after the pass numbered 1000, i.e. after 1001 passes.
/// Pass k adds at least every entry listed by a group k nesting levels down, so whatever the order of
/// its hash map, the plugin grants every entry within 1001 levels. Past that, what it grants depends on
/// the iteration order of a Java `HashMap`; secperm grants only the part that is certain (never an
/// allow the plugin could refuse) and sets ``tooDeeplyNested``.
///
/// Computed in near-linear time: strongly connected components (iterative Tarjan) closed in reverse
/// topological order, one shared set per component. Only when some chain is longer than the plugin's
/// passes reach is a bounded breadth-first walk per group needed.
public struct FlattenedActionGroups: Sendable {
    /// The passes the plugin runs before it stops (its loop index goes from 0 to 1000).
    public static let pluginPasses = 1001

    /// Group name → its direct `allowed_actions`.
    public let direct: [String: [String]]
    /// Group name → every entry reachable from it (direct entries included, group names included).
    public let resolved: [String: Set<String>]
    /// Groups that reach themselves through other groups, as sorted cycles.
    public let cycles: [[String]]
    /// Groups that list themselves.
    public let selfReferences: [String]
    /// True when some group nests another deeper than the plugin's passes reach: ``resolved`` then
    /// holds only the entries the plugin certainly grants, which may be less than all it nests.
    public let tooDeeplyNested: Bool

    public init(_ groups: [String: [String]]) {
        self.init(groups, passes: Self.pluginPasses)
    }

    /// `passes` is the plugin's cap; tests use small values to check the cap's model.
    init(_ groups: [String: [String]], passes: Int) {
        let graph = GroupGraph(groups)
        let components = graph.components()
        // Unbounded here: ConfigLoader refused configurations past `maximumEntries` (checkSize).
        let flattened = graph.flatten(components, passes: passes, limit: Int.max)
        let sets = flattened.sets ?? []
        tooDeeplyNested = flattened.cut
        var named: [String: Set<String>] = [:]
        named.reserveCapacity(graph.names.count)
        for (node, name) in zip(sets.indices, graph.names) { named[name] = sets[node] }
        direct = groups
        resolved = named
        selfReferences = groups.filter { $0.value.contains($0.key) }.keys.sorted()
        cycles = components.filter { $0.count > 1 }.map { $0.map { graph.names[$0] }.sorted() }
            .sorted { $0.lexicographicallyPrecedes($1) }
    }

    public init(_ groups: ConfigEntries<ActionGroup>) {
        self.init(groups.mapValues { $0.allowedActions.map(\.value) })
    }

    /// The most entries the flattened groups may hold in all (each group's set counted in full).
    /// Far past real configurations; a 2,000-deep chain holds about 1,500,000 (1,502,499). Past
    /// this, a few hundred KiB of nesting would cost gigabytes (a 20,000-deep chain: 20 million).
    public static let maximumEntries = 5_000_000

    /// Refuses, with the line of the group being flattened when the bound was passed, action groups
    /// whose flattening would hold more than `maximumEntries` entries.
    public static func checkSize(_ groups: ConfigEntries<ActionGroup>, maximumEntries: Int = maximumEntries) throws(InputError) {
        let graph = GroupGraph(groups.mapValues { $0.allowedActions.map(\.value) })
        let flattened = graph.flatten(graph.components(), passes: pluginPasses, limit: maximumEntries)
        guard flattened.sets == nil, let node = flattened.last, graph.names.indices.contains(node) else { return }
        let name = graph.names[node]
        throw InputError(.error(
            "action groups nest too much: flattened, they would hold more than \(maximumEntries) entries (passed while flattening '\(name)')",
            at: groups[name]?.location,
            hint: "each group holds a copy of everything the groups it lists hold; list the actions directly or nest less deeply"))
    }

    /// Per group, what ``memberChains(of:)`` found (filled on first use, shared by copies).
    private let memberChainCache = MemberChainCache()

    public func isGroup(_ name: String) -> Bool { direct[name] != nil }

    /// An entry a group reaches that is not itself a group, with the shortest chain of groups to it
    /// (``chain(from:to:)``) and the entry compiled as an action pattern.
    public struct MemberChain: Sendable {
        public let member: String
        public let chain: [String]
        public let pattern: Pattern
    }

    /// Every entry `group` reaches that is not a group, in the order `resolve([group]).sorted()`
    /// gives, each with its chain; entries no chain reaches are left out. Depends on the groups
    /// alone, so it is worked out once per group: an explanation asks it for every grant it shows.
    public func memberChains(of group: String) -> [MemberChain] {
        if let known = memberChainCache.chains.withLock({ $0[group] }) { return known }
        let found = resolve([group]).sorted().compactMap { member -> MemberChain? in
            guard member != group, !isGroup(member), let chain = chain(from: group, to: member) else { return nil }
            return MemberChain(member: member, chain: chain, pattern: Pattern(member))
        }
        memberChainCache.chains.withLock { $0[group] = found }
        return found
    }

    /// `resolve(list)`: the entries plus everything their groups reach.
    public func resolve<S: Sequence>(_ entries: S) -> Set<String> where S.Element == String {
        var result = Set<String>()
        for entry in entries {
            result.insert(entry)
            if let reached = resolved[entry] { result.formUnion(reached) }
        }
        return result
    }

    /// The shortest chain of group names from `group` to a group that lists `entry` directly,
    /// e.g. `["data_access", "crud", "read"]` for `indices:data/read*`. Nil when not reachable.
    public func chain(from group: String, to entry: String) -> [String]? {
        guard direct[group] != nil else { return nil }
        var parent: [String: String] = [:]
        var queue = [group]
        var index = 0
        while index < queue.count {
            let current = queue[index]
            index += 1
            for member in direct[current] ?? [] {
                if member == entry {
                    var path = [current]
                    var node = current
                    while node != group, let up = parent[node] { node = up; path.append(node) }
                    return path.reversed()
                }
                if direct[member] != nil, member != group, parent[member] == nil, member != current {
                    parent[member] = current
                    queue.append(member)
                }
            }
        }
        return nil
    }
}

/// ``FlattenedActionGroups/memberChains(of:)`` per group, shared by the threads of one evaluator.
private final class MemberChainCache: Sendable {
    let chains = Mutex<[String: [FlattenedActionGroups.MemberChain]]>([:])
}

/// The groups as numbered nodes; an edge goes from a group to every other group it lists by exact name.
private struct GroupGraph {
    let names: [String]
    let entries: [Set<String>]
    let edges: [[Int]]

    init(_ groups: [String: [String]]) {
        names = groups.keys.sorted()
        var number: [String: Int] = [:]
        number.reserveCapacity(names.count)
        for (node, name) in names.enumerated() { number[name] = node }
        entries = names.map { Set(groups[$0] ?? []) }
        edges = names.enumerated().map { node, name in
            var seen = Set<Int>()
            return (groups[name] ?? []).compactMap { number[$0] }.filter { $0 != node && seen.insert($0).inserted }
        }
    }

    /// Strongly connected components (Tarjan, with an explicit stack), each emitted after every
    /// component it reaches: reverse topological order.
    func components() -> [[Int]] {
        let unvisited = -1
        var order = [Int](repeating: unvisited, count: names.count)
        var low = [Int](repeating: 0, count: names.count)
        var onStack = [Bool](repeating: false, count: names.count)
        var stack: [Int] = []
        var result: [[Int]] = []
        var counter = 0
        for root in names.indices where order[root] == unvisited {
            var frames: [(node: Int, next: Int)] = [(root, 0)]
            order[root] = counter; low[root] = counter; counter += 1
            stack.append(root); onStack[root] = true
            while let frame = frames.last {
                let node = frame.node
                if frame.next < edges[node].count {
                    frames[frames.count - 1].next += 1
                    let target = edges[node][frame.next]
                    if order[target] == unvisited {
                        order[target] = counter; low[target] = counter; counter += 1
                        stack.append(target); onStack[target] = true
                        frames.append((target, 0))
                    } else if onStack[target] {
                        low[node] = min(low[node], order[target])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last?.node { low[parent] = min(low[parent], low[node]) }
                guard low[node] == order[node] else { continue }
                var component: [Int] = []
                while let top = stack.popLast() {
                    onStack[top] = false
                    component.append(top)
                    if top == node { break }
                }
                result.append(component)
            }
        }
        return result
    }

    /// What flattening produced: the sets (nil when `limit` was passed), whether the plugin's passes
    /// leave nesting out, and the last group flattened.
    struct Flattened {
        var sets: [Set<String>]?
        var cut: Bool
        var last: Int?
    }

    /// Exact closures when every chain lies within `passes` levels, else the bounded walks; stops as
    /// soon as the sets hold more than `limit` entries in all.
    func flatten(_ components: [[Int]], passes: Int, limit: Int) -> Flattened {
        if longestChain(of: components) - 1 <= passes {
            return closures(of: components, limit: limit)
        }
        return reach(levels: passes, limit: limit)
    }

    /// Every entry each group reaches at any depth; the groups of one component share one set.
    func closures(of components: [[Int]], limit: Int) -> Flattened {
        var closure = [Set<String>](repeating: [], count: names.count)
        var componentOf = [Int](repeating: -1, count: names.count)
        var total = 0
        for (index, component) in components.enumerated() {
            for node in component { componentOf[node] = index }
            var set = Set<String>()
            for node in component { set.formUnion(entries[node]) }
            for node in component {
                for target in edges[node] where componentOf[target] != index { set.formUnion(closure[target]) }
            }
            for node in component { closure[node] = set }
            let (held, overflow) = set.count.multipliedReportingOverflow(by: component.count)
            total = Self.sum(total, overflow ? Int.max : held)
            if total > limit { return Flattened(sets: nil, cut: false, last: component.first) }
        }
        return Flattened(sets: closure, cut: false, last: components.last?.first)
    }

    /// `a + b`, or `Int.max` past it.
    static func sum(_ a: Int, _ b: Int) -> Int {
        let (total, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : total
    }

    /// The most groups a chain of nesting can pass through without repeating one: a bound on how
    /// many levels deep any group's entries lie.
    func longestChain(of components: [[Int]]) -> Int {
        var longest = [Int](repeating: 0, count: names.count)
        var componentOf = [Int](repeating: -1, count: names.count)
        var overall = 0
        for (index, component) in components.enumerated() {
            for node in component { componentOf[node] = index }
            var below = 0
            for node in component {
                for target in edges[node] where componentOf[target] != index { below = max(below, longest[target]) }
            }
            let length = component.count + below
            for node in component { longest[node] = length }
            overall = max(overall, length)
        }
        return overall
    }

    /// For every group, the entries listed by the groups at most `levels` nesting levels below it
    /// (itself at 0), and whether any walk left a deeper group out.
    func reach(levels: Int, limit: Int) -> Flattened {
        var seen = [Int](repeating: -1, count: names.count)
        var cut = false
        var total = 0
        var sets: [Set<String>] = []
        sets.reserveCapacity(names.count)
        for start in names.indices {
            seen[start] = start
            var queue = [(node: start, level: 0)]
            var index = 0
            var result = entries[start]
            while index < queue.count {
                let (node, level) = queue[index]
                index += 1
                for target in edges[node] where seen[target] != start {
                    guard level < levels else { cut = true; break }
                    seen[target] = start
                    result.formUnion(entries[target])
                    queue.append((target, level + 1))
                }
            }
            total = Self.sum(total, result.count)
            if total > limit { return Flattened(sets: nil, cut: cut, last: start) }
            sets.append(result)
        }
        return Flattened(sets: sets, cut: cut, last: names.indices.last)
    }
}
