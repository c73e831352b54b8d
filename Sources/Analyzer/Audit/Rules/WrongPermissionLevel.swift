import PermissionCatalog

/// SP004: cluster actions listed under index_permissions, or index actions under cluster_permissions.
public struct WrongPermissionLevel: AuditRule {
    public init() {}
    public let id = "SP004"
    public let name = "wrong-permission-level"
    public let severity = Diagnostic.Severity.warning
    public let summary = "Permission listed at a level where it grants nothing"
    public let rationale = """
        Cluster privileges come only from cluster_permissions and index privileges only from \
        index_permissions (§2.3); which actions are cluster-level depends on the release. An entry whose \
        actions are all of the other level grants nothing where it is written.
        """
    public let triggeringExample = ["roles.yml": "r:\n  cluster_permissions: [\"indices:data/write/index\"]\n"]
    public let passingExample = ["roles.yml": "r:\n  cluster_permissions: [\"indices:data/write/bulk\"]\n  index_permissions:\n  - index_patterns: [logs]\n    allowed_actions: [\"indices:data/write/index\"]\n"]

    /// Whether the actions grant anything, all at cluster level, all at index level
    /// (``TargetProfile/check(of:)``). Tenant actions are granted by neither section and do not count.
    static func levels(of actions: [String], _ profile: TargetProfile) -> (any: Bool, allCluster: Bool, allIndex: Bool) {
        let levels: [ActionCheck.Level] = actions.map { profile.check(of: $0).level }.filter { $0 != .tenant }
        let cluster = levels.filter { $0 == .cluster }.count
        return (!levels.isEmpty, cluster == levels.count, cluster == 0)
    }

    public func check(_ context: AuditContext) -> [Finding] {
        // Per distinct entry: (grants any action, all cluster-level, all index-level).
        var levels: [String: (any: Bool, allCluster: Bool, allIndex: Bool)] = [:]
        return context.entries.compactMap { entry in
            guard entry.section == .cluster || entry.section == .index, entry.value.value != "*" else { return nil }
            let level: (any: Bool, allCluster: Bool, allIndex: Bool)
            if let known = levels[entry.value.value] {
                level = known
            } else {
                level = Self.levels(of: context.expansion(of: entry.value.value).actions, context.profile)
                levels[entry.value.value] = level
            }
            guard level.any else { return nil }
            if entry.section == .cluster, level.allIndex {
                return finding("'\(entry.value.value)' in cluster_permissions of role '\(entry.owner)' grants only index actions, so nothing at cluster level on \(context.profile)",
                               at: entry.value.location, help: "move it to an index_permissions entry with the index patterns it is meant for", entity: entry.entity)
            }
            if entry.section == .index, level.allCluster {
                return finding("'\(entry.value.value)' in index_permissions of role '\(entry.owner)' grants only cluster actions, so nothing on indices on \(context.profile)",
                               at: entry.value.location, help: "move it to cluster_permissions", entity: entry.entity)
            }
            return nil
        }
    }
}
