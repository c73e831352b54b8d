/// Action groups resolved to everything they reach, the way the plugin's `FlattenedActionGroups`
/// does it (§2.2): by exact name only, iterated to a fixpoint so that cycles end; a group listing
/// itself is ignored; names that are not groups stay as literal entries.
public struct FlattenedActionGroups: Sendable {
    /// Group name → its direct `allowed_actions`.
    public let direct: [String: [String]]
    /// Group name → every entry reachable from it (direct entries included, group names included).
    public let resolved: [String: Set<String>]
    /// Groups that reach themselves through other groups, as sorted cycles.
    public let cycles: [[String]]
    /// Groups that list themselves.
    public let selfReferences: [String]
    /// True when the fixpoint was not reached within the plugin's 1000 rounds.
    public let tooDeeplyNested: Bool

    public init(_ groups: [String: [String]]) {
        direct = groups
        var sets: [String: Set<String>] = groups.mapValues(Set.init)
        var rounds = 0
        var changed = true
        while changed && rounds < 1000 {
            changed = false
            rounds += 1
            for name in groups.keys.sorted() {
                var current = sets[name]!
                for entry in sets[name]! where entry != name {
                    guard let nested = sets[entry], !nested.isSubset(of: current) else { continue }
                    current.formUnion(nested)
                    changed = true
                }
                sets[name] = current
            }
        }
        tooDeeplyNested = changed
        resolved = sets
        selfReferences = groups.filter { $0.value.contains($0.key) }.keys.sorted()
        cycles = FlattenedActionGroups.findCycles(groups)
    }

    public init(_ groups: ConfigEntries<ActionGroup>) {
        self.init(groups.mapValues { $0.allowedActions.map(\.value) })
    }

    public func isGroup(_ name: String) -> Bool { direct[name] != nil }

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
        var parent: [String: String] = [group: group]
        var queue = [group]
        var index = 0
        while index < queue.count {
            let current = queue[index]
            index += 1
            for member in direct[current] ?? [] {
                if member == entry {
                    var path = [current]
                    var node = current
                    while node != group { node = parent[node]!; path.append(node) }
                    return path.reversed()
                }
                if direct[member] != nil, parent[member] == nil, member != current {
                    parent[member] = current
                    queue.append(member)
                }
            }
        }
        return nil
    }

    /// Strongly connected components with more than one group (Tarjan).
    private static func findCycles(_ groups: [String: [String]]) -> [[String]] {
        var index = 0
        var indices: [String: Int] = [:], lowLinks: [String: Int] = [:]
        var stack: [String] = [], onStack = Set<String>()
        var components: [[String]] = []

        func connect(_ node: String) {
            indices[node] = index
            lowLinks[node] = index
            index += 1
            stack.append(node)
            onStack.insert(node)
            for next in groups[node] ?? [] where next != node && groups[next] != nil {
                if indices[next] == nil {
                    connect(next)
                    lowLinks[node] = min(lowLinks[node]!, lowLinks[next]!)
                } else if onStack.contains(next) {
                    lowLinks[node] = min(lowLinks[node]!, indices[next]!)
                }
            }
            if lowLinks[node] == indices[node] {
                var component: [String] = []
                while let top = stack.popLast() {
                    onStack.remove(top)
                    component.append(top)
                    if top == node { break }
                }
                if component.count > 1 { components.append(component.sorted()) }
            }
        }
        for name in groups.keys.sorted() where indices[name] == nil { connect(name) }
        return components.sorted { $0.first! < $1.first! }
    }
}
