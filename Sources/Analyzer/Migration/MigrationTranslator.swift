import PermissionCatalog

/// Rewrites the permissions of roles and action groups so that they grant on the target release
/// what they grant on the source release, entry by entry, and says what it did:
///
/// - a built-in action group whose actions differ between the releases (static_config.json: e.g.
///   `read`, `crud`, `cluster_composite_ops_ro` between Open Distro 1.13 and OpenSearch 2.19), or
///   that the target release lacks, is written as what it stands for on the source release (the
///   built-in groups it lists followed to a fixpoint, as the plugin flattens them), since the plugin
///   resolves a group name by the target's own static file;
/// - a permission whose name carries the plugin vendor segment (`cluster:admin/opensearch/…` on
///   OpenSearch, `cluster:admin/lucenia/…` on Lucenia: permissions.json `{vendor}`) is renamed;
/// - a permission the source release has and the target release lacks, with no successor in the
///   catalog, cannot be translated: the entry is not written (a `skip` naming it).
///
/// Custom action groups are kept by name (their own entry is translated); names neither release
/// knows stay as written, as the plugin keeps unknown names literal.
struct MigrationTranslator: Sendable {
    let sourceCatalog: Catalog
    let targetCatalog: Catalog
    /// Custom action group names on either side: never read as built-ins.
    let customGroups: Set<String>

    init(source: SecurityConfig, sourceProfile: TargetProfile, target: SecurityConfig, targetCatalog: Catalog) {
        sourceCatalog = Catalog(profile: sourceProfile)
        self.targetCatalog = targetCatalog
        customGroups = Set(source.actionGroups.keys).union(target.actionGroups.keys)
    }

    var isIdentity: Bool { sourceCatalog.profile == targetCatalog.profile }

    /// What one entry becomes.
    struct Result: Sendable {
        var names: [String] = []
        var translations: [MigrationPlan.Translation] = []
        var untranslatable: [String] = []
    }

    /// Translates one allowed_actions / cluster_permissions list.
    func translate(_ names: [String]) -> Result {
        var result = Result()
        for name in names {
            if let group = expansion(of: name) {
                result.translations.append(.builtInGroupExpanded(group: name, into: group))
                for member in group { add(member, to: &result) }
            } else {
                add(name, to: &result)
            }
        }
        return result
    }

    private func add(_ name: String, to result: inout Result) {
        switch permission(name) {
        case .keep: break
        case .renamed(let new):
            if !result.translations.contains(.renamed(from: name, to: new)) { result.translations.append(.renamed(from: name, to: new)) }
            if !result.names.contains(new) { result.names.append(new) }
            return
        case .missing:
            if !result.untranslatable.contains(name) { result.untranslatable.append(name) }
        }
        if !result.names.contains(name) { result.names.append(name) }
    }

    /// The source release's meaning of a built-in group, when the target's differs; sorted.
    private func expansion(of name: String) -> [String]? {
        guard !isIdentity, !customGroups.contains(name), let from = MigrationPlanner.flattened(name, sourceCatalog) else { return nil }
        if let to = MigrationPlanner.flattened(name, targetCatalog), to == from { return nil }
        return from.sorted()
    }

    private enum PermissionTranslation { case keep, renamed(String), missing }

    private func permission(_ name: String) -> PermissionTranslation {
        guard !isIdentity, !customGroups.contains(name), targetCatalog.staticActionGroup(named: name) == nil,
              sourceCatalog.permission(named: name) != nil, targetCatalog.permission(named: name) == nil else { return .keep }
        if let renamed = targetCatalog.successor(of: name) { return .renamed(renamed) }
        return .missing
    }

    // MARK: entries

    func translate(_ role: Role) -> (Role, Result) {
        var all = Result()
        func list(_ values: [Located<String>]) -> [Located<String>] {
            let result = translate(values.map(\.value))
            merge(result, into: &all)
            let location = values.first?.location ?? role.location
            return result.names.map { name in values.first { $0.value == name } ?? Located(name, at: location) }
        }
        let cluster = list(role.clusterPermissions)
        let index = role.indexPermissions.map {
            IndexPermission(location: $0.location, indexPatterns: $0.indexPatterns, allowedActions: list($0.allowedActions), dls: $0.dls, fls: $0.fls,
                            maskedFields: $0.maskedFields)
        }
        let tenant = role.tenantPermissions.map {
            TenantPermission(location: $0.location, tenantPatterns: $0.tenantPatterns, allowedActions: list($0.allowedActions))
        }
        return (Role(name: role.name, location: role.location, flags: role.flags, description: role.description, clusterPermissions: cluster,
                     indexPermissions: index, tenantPermissions: tenant), all)
    }

    func translate(_ group: ActionGroup) -> (ActionGroup, Result) {
        let result = translate(group.allowedActions.map(\.value))
        let actions = result.names.map { name in group.allowedActions.first { $0.value == name } ?? Located(name, at: group.location) }
        return (ActionGroup(name: group.name, location: group.location, flags: group.flags, allowedActions: actions, type: group.type,
                            description: group.description), result)
    }

    private func merge(_ result: Result, into all: inout Result) {
        for translation in result.translations where !all.translations.contains(translation) { all.translations.append(translation) }
        for name in result.untranslatable where !all.untranslatable.contains(name) { all.untranslatable.append(name) }
    }

    /// The source as it will be written, with each entry's translations and untranslatable names.
    func translate(_ source: SecurityConfig) -> (config: SecurityConfig, results: [ConfigType: [String: Result]]) {
        guard !isIdentity else { return (source, [:]) }
        var config = source
        var results: [ConfigType: [String: Result]] = [.roles: [:], .actiongroups: [:]]
        for (name, role) in source.roles {
            let (translated, result) = translate(role)
            config.roles[name] = translated
            results[.roles]?[name] = result
        }
        for (name, group) in source.actionGroups {
            let (translated, result) = translate(group)
            config.actionGroups[name] = translated
            results[.actiongroups]?[name] = result
        }
        return (config, results)
    }
}
