import PermissionCatalog

/// One thing a request needs: the action, the patterns to grant it on, the index expressions the
/// plugin checks it on (for the evaluator), and what proved it.
struct ProbeGrantNeed: Hashable, Sendable {
    let action: String
    let level: Requirement.Level
    /// Patterns the role grants it on (the request's indices, or the declared scope); empty for cluster.
    let patterns: [String]
    /// Index expressions the plugin checks (empty = every index, as the planner says).
    let checked: [String]
    let evidence: ProbeNeed.Evidence

    var reported: ProbeNeed { ProbeNeed(action: action, level: level, indices: patterns, evidence: evidence) }

    /// Same grant, whatever the evidence.
    func grants(_ other: ProbeGrantNeed) -> Bool {
        action == other.action && level == other.level && patterns == other.patterns && checked == other.checked
    }
}

/// The grants of a role as the probe grows it: cluster actions, and actions per index pattern, in
/// the order they were found.
struct ProbeGrants: Hashable, Sendable {
    var cluster: [String] = []
    var index: [(pattern: String, actions: [String])] = []

    static func == (lhs: ProbeGrants, rhs: ProbeGrants) -> Bool {
        lhs.cluster == rhs.cluster && lhs.index.map(\.pattern) == rhs.index.map(\.pattern) && lhs.index.map(\.actions) == rhs.index.map(\.actions)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(cluster)
        for entry in index { hasher.combine(entry.pattern); hasher.combine(entry.actions) }
    }

    init() {}

    init(_ needs: [ProbeGrantNeed]) {
        for need in needs { add(need) }
    }

    mutating func add(_ need: ProbeGrantNeed) {
        switch need.level {
        case .cluster:
            if !cluster.contains(need.action) { cluster.append(need.action) }
        case .index:
            for pattern in need.patterns.isEmpty ? ["*"] : need.patterns {
                if let position = index.firstIndex(where: { $0.pattern == pattern }) {
                    if !index[position].actions.contains(need.action) { index[position].actions.append(need.action) }
                } else {
                    index.append((pattern, [need.action]))
                }
            }
        case .tenant, .rest:
            break
        }
    }

    /// Every single grant, to try leaving out one at a time.
    /// Patterns with wildcards come first, so that where a literal and a broader pattern both
    /// cover a need, the broader one is the one left out.
    var singles: [(level: Requirement.Level, pattern: String?, action: String)] {
        let broadFirst = index.filter { !Pattern($0.pattern).isExact } + index.filter { Pattern($0.pattern).isExact }
        return cluster.map { (.cluster, nil, $0) } + broadFirst.flatMap { entry in entry.actions.map { (.index, entry.pattern, $0) } }
    }

    func removing(level: Requirement.Level, pattern: String?, action: String) -> ProbeGrants {
        var copy = self
        if level == .cluster {
            copy.cluster.removeAll { $0 == action }
        } else if let position = copy.index.firstIndex(where: { $0.pattern == pattern }) {
            copy.index[position].actions.removeAll { $0 == action }
            if copy.index[position].actions.isEmpty { copy.index.remove(at: position) }
        }
        return copy
    }

    /// Entries with the same action list share one index_permissions entry.
    func role(named name: String, description: String) -> Role {
        let location = SourceLocation(file: "<probed role \(name)>", line: 0)
        func located(_ values: [String]) -> [Located<String>] { values.map { Located($0, at: location) } }
        var merged: [(patterns: [String], actions: [String])] = []
        for entry in index {
            if let position = merged.firstIndex(where: { $0.actions == entry.actions }) {
                merged[position].patterns.append(entry.pattern)
            } else {
                merged.append(([entry.pattern], entry.actions))
            }
        }
        return Role(name: name, location: location, description: description, clusterPermissions: located(cluster),
                    indexPermissions: merged.map { IndexPermission(location: location, indexPatterns: located($0.patterns), allowedActions: located($0.actions)) })
    }
}

/// Checks needs against a role with the evaluator, offline: the re-check that tells which of a
/// pre-2.19 denial's listed actions are really missing, and the leave-one-out proof.
struct ProbeGrantChecker: Sendable {
    let catalog: Catalog
    let settings: NodeSettings
    let metadata: ClusterMetadata?

    /// A subject holding exactly `role` (given directly, as `opendistro_security_roles` would).
    func prepared(_ role: Role) -> (Evaluator, PreparedSubject) {
        var config = SecurityConfig()
        config.roles[role.name] = role
        let evaluator = Evaluator(config: config, catalog: catalog, settings: settings, metadata: metadata)
        let subject = Subject(name: "secperm-probe-check", securityRoles: [role.name])
        return (evaluator, evaluator.prepare(ResolvedSubject(subject: subject, subjectNotes: [], canAuthenticate: true)))
    }

    func allows(_ role: Role, _ needs: [ProbeGrantNeed]) -> Bool {
        let (evaluator, subject) = prepared(role)
        return needs.allSatisfy { allows(evaluator, subject, $0) }
    }

    func allows(_ evaluator: Evaluator, _ subject: PreparedSubject, _ need: ProbeGrantNeed) -> Bool {
        switch need.level {
        case .cluster: evaluator.outcome(subject, action: need.action, indices: []) == .allow
        case .index: evaluator.evaluate(subject, indexActions: [need.action], indices: need.checked, explain: false).outcome == .allow
        case .tenant, .rest: true
        }
    }

    /// The privileges the evaluator reports missing for `need` once its grant is taken out of
    /// `grants`; empty when something else still grants it.
    func missingWithout(_ need: ProbeGrantNeed, from grants: ProbeGrants, name: String) -> [String] {
        var without = grants
        for pattern in need.level == .index ? (need.patterns.isEmpty ? ["*"] : need.patterns) : [""] {
            without = without.removing(level: need.level, pattern: need.level == .index ? pattern : nil, action: need.action)
        }
        let (evaluator, subject) = prepared(without.role(named: name, description: ""))
        let decision: Decision = switch need.level {
        case .index: evaluator.evaluate(subject, indexActions: [need.action], indices: need.checked, explain: false)
        default: evaluator.evaluate(subject, action: need.action, indices: [], explain: false)
        }
        return decision.outcome == .deny ? decision.missingPrivileges : []
    }

    /// Leave-one-out: drops every grant whose removal still allows all needs; what stays is needed
    /// by at least one of them. Returns the minimal grants and the dropped ones.
    func minimize(_ grants: ProbeGrants, needs: [ProbeGrantNeed], name: String) -> (ProbeGrants, [String]) {
        var current = grants
        var dropped: [String] = []
        for single in grants.singles {
            let candidate = current.removing(level: single.level, pattern: single.pattern, action: single.action)
            if allows(candidate.role(named: name, description: ""), needs) {
                current = candidate
                dropped.append(single.pattern.map { "\(single.action) on \($0)" } ?? single.action)
            }
        }
        return (current, dropped)
    }
}
