import PermissionCatalog

/// What a list of `allowed_actions` entries grants, measured against the catalog.
public struct ActionExpansion: Sendable, Equatable {
    /// The entries as given.
    public let inputs: [String]
    /// Concrete catalog actions granted, sorted.
    public let actions: [String]
    /// Wildcard and regex patterns reached: they also grant actions that plugins add and the
    /// catalog does not list.
    public let residualPatterns: [String]
    /// Exact names reached that are neither a group nor a catalog permission: an action the
    /// catalog does not know (a plugin's, or a typo), or a group name misspelt. They stay literal.
    public let unknownNames: [String]
    /// Documented grantable patterns of the catalog (`cluster:admin/snapshot/status*`) that are
    /// granted in full: every name they match is matched by a reached pattern.
    public let coveredPatterns: [String]
    /// Regex entries that do not compile; the plugin drops them.
    public let invalidPatterns: [PatternError]
    /// For each action: input entry, the groups passed through, then the pattern that matched.
    public let via: [String: [String]]
}

/// Expands `allowed_actions` entries through action groups to catalog actions.
public struct ActionExpander: Sendable {
    public let catalog: Catalog
    public let groups: FlattenedActionGroups

    public init(catalog: Catalog, groups: FlattenedActionGroups) {
        self.catalog = catalog
        self.groups = groups
    }

    /// Uses the catalog's built-in groups plus the custom groups of `config` (built-ins win on a clash).
    public init(catalog: Catalog, config: SecurityConfig = SecurityConfig()) {
        let merged = config.withStatics(from: catalog).config
        self.init(catalog: catalog, groups: FlattenedActionGroups(merged.actionGroups))
    }

    public func expand(_ inputs: [String]) -> ActionExpansion {
        let concrete = catalog.actions.map(\.name)
        var via: [String: [String]] = [:]
        var residual = Set<String>(), unknown = Set<String>()
        var invalid: [PatternError] = []
        var reachedPatterns: [Pattern] = []

        for input in inputs {
            for (entry, groupChain) in reachedEntries(from: input) {
                if groups.isGroup(entry) { continue }
                let pattern: Pattern
                switch Pattern.compile(entry) {
                case .success(let compiled): pattern = compiled
                case .failure(let error):
                    if !invalid.contains(error) { invalid.append(error) }
                    continue
                }
                if pattern.isExact {
                    if catalog.permission(named: entry) == nil { unknown.insert(entry) }
                } else if pattern.form != .nothing {
                    residual.insert(entry)
                }
                reachedPatterns.append(pattern)
                let chain = groupChain + [entry]
                for action in concrete where pattern.matches(action) {
                    if let existing = via[action], existing.count <= chain.count { continue }
                    via[action] = chain
                }
            }
        }
        let covered = catalog.permissions.filter(\.isPattern).map(\.name).filter { name in
            reachedPatterns.contains { ActionExpander.covers($0, name) }
        }
        return ActionExpansion(inputs: inputs, actions: via.keys.sorted(), residualPatterns: residual.sorted(),
                               unknownNames: unknown.sorted(), coveredPatterns: covered, invalidPatterns: invalid, via: via)
    }

    /// Whether every name `glob` can match is matched by `pattern`. Sound but not complete: it
    /// answers true only for `*`, an identical pattern, or a prefix pattern that the glob's
    /// literal start already satisfies.
    static func covers(_ pattern: Pattern, _ glob: String) -> Bool {
        switch pattern.form {
        case .anything: return true
        case .prefix(let prefix):
            let literalStart = glob.prefix { $0 != "*" && $0 != "?" }
            return literalStart.hasPrefix(prefix)
        default: return pattern.source == glob
        }
    }

    /// Every non-group entry reachable from `input`, with the chain of groups leading to it
    /// (starting with `input` itself when it is a group).
    private func reachedEntries(from input: String) -> [(String, [String])] {
        guard groups.isGroup(input) else { return [(input, [])] }
        return groups.resolve([input]).sorted().compactMap { entry in
            if entry == input { return nil }
            return groups.chain(from: input, to: entry).map { (entry, $0) }
        }
    }

    /// The action groups (built-in and custom) whose expansion grants `action`, smallest first
    /// (by the number of catalog actions each grants), then by name.
    public func groupsGranting(_ action: String) -> [String] {
        var sized: [(name: String, size: Int)] = []
        for name in groups.direct.keys {
            let expansion = expand([name])
            let patterns = groups.resolve([name]).filter { !groups.isGroup($0) }.map(Pattern.init)
            guard patterns.contains(where: { $0.matches(action) }) else { continue }
            sized.append((name, expansion.actions.count))
        }
        return sized.sorted { ($0.size, $0.name) < ($1.size, $1.name) }.map(\.name)
    }
}
