import PermissionCatalog

/// What every rule may look at: the configuration as written and as the plugin holds it (with
/// built-ins), the profile's catalog, flattened groups, node settings, and memoized expansions.
public final class AuditContext {
    public let config: SecurityConfig
    public let merged: SecurityConfig
    public let catalog: Catalog
    public let settings: NodeSettings
    public let groups: FlattenedActionGroups
    public let expander: ActionExpander
    /// Custom entries named like built-in ones (§1.1).
    let staticClashes: [StaticEntryClash]
    private var expansions: [String: ActionExpansion] = [:]
    private var evaluatorStorage: Evaluator?

    public init(config: SecurityConfig, catalog: Catalog, settings: NodeSettings = NodeSettings()) {
        self.config = config
        merged = config.withStatics(from: catalog).config
        self.catalog = catalog
        self.settings = settings
        staticClashes = config.staticNameClashes(with: catalog)
        groups = FlattenedActionGroups(merged.actionGroups)
        expander = ActionExpander(catalog: catalog, groups: groups)
    }

    public var profile: TargetProfile { catalog.profile }

    /// Custom (non-built-in) roles, sorted by name.
    public lazy var customRoles: [Role] = config.roles.values.filter { !$0.flags.isStatic }.sorted { $0.name < $1.name }

    public lazy var customGroups: [ActionGroup] = config.actionGroups.values.filter { !$0.flags.isStatic }.sorted { $0.name < $1.name }

    /// The catalog actions one `allowed_actions` entry grants (memoized per distinct entry).
    public func expansion(of entry: String) -> ActionExpansion {
        if let known = expansions[entry] { return known }
        let result = expander.expand([entry])
        expansions[entry] = result
        return result
    }

    /// Every permission entry written in custom roles and groups, with where it sits.
    public struct Entry {
        public enum Section: String { case cluster = "cluster_permissions", index = "index_permissions", tenant = "tenant_permissions", group = "allowed_actions" }
        public let owner: String
        public let ownerKind: String
        public let section: Section
        public let value: Located<String>
        public let indexPatterns: [String]

        public var entity: String { "\(ownerKind):\(owner)/\(section.rawValue)/\(value.value)" }
    }

    public lazy var entries: [Entry] = {
        var all: [Entry] = []
        for role in customRoles {
            all += role.clusterPermissions.map { Entry(owner: role.name, ownerKind: "role", section: .cluster, value: $0, indexPatterns: []) }
            for permission in role.indexPermissions {
                let patterns = permission.indexPatterns.map(\.value)
                all += permission.allowedActions.map { Entry(owner: role.name, ownerKind: "role", section: .index, value: $0, indexPatterns: patterns) }
            }
            for permission in role.tenantPermissions {
                all += permission.allowedActions.map { Entry(owner: role.name, ownerKind: "role", section: .tenant, value: $0, indexPatterns: []) }
            }
        }
        for group in customGroups {
            all += group.allowedActions.map { Entry(owner: group.name, ownerKind: "action_group", section: .group, value: $0, indexPatterns: []) }
        }
        return all
    }()

    /// An evaluator over the whole configuration (built on first use).
    public var evaluator: Evaluator {
        if let evaluatorStorage { return evaluatorStorage }
        let built = Evaluator(config: config, catalog: catalog, settings: settings)
        evaluatorStorage = built
        return built
    }

    /// Who holds a role: internal users (through mapping or their own security roles) and the
    /// mapping's backend roles, users and hosts patterns.
    public func holders(of role: String) -> [String] {
        var holders: [String] = []
        if let mapping = merged.roleMappings[role] {
            holders += mapping.users.map { "user \($0.value)" }
            holders += mapping.backendRoles.map { "backend role \($0.value)" }
            if !mapping.andBackendRoles.isEmpty { holders.append("backend roles \(mapping.andBackendRoles.map(\.value).joined(separator: " + "))") }
            holders += mapping.hosts.map { "host \($0.value)" }
        }
        holders += (directHolders[role] ?? []).map { "user \($0) (opendistro_security_roles)" }
        return holders
    }

    /// Role → internal users that hold it through their own `opendistro_security_roles`.
    private lazy var directHolders: [String: [String]] = {
        var result: [String: [String]] = [:]
        for user in config.internalUsers.values.sorted(by: { $0.name < $1.name }) {
            for role in user.securityRoles { result[role.value, default: []].append(user.name) }
        }
        return result
    }()

    /// Every role (built-in and custom), sorted; a role's id is its position.
    public lazy var roleNames: [String] = merged.roles.keys.sorted()
    public lazy var roleIDs: [String: Int] = Dictionary(uniqueKeysWithValues: roleNames.enumerated().map { ($0.element, $0.offset) })

    /// Each internal user's effective roles (mapping + own security roles) as sorted role ids.
    public lazy var internalUserRoleIDs: [String: [Int]] = {
        let mapper = RoleMapper(config: merged, resolution: settings.rolesMappingResolution)
        let ids = roleIDs
        let mappingRoleIDs = mapper.mappingRoles.map { ids[$0] ?? -1 }
        var result: [String: [Int]] = [:]
        for user in config.internalUsers.values {
            let subject = Subject(internalUser: user)
            var held = mapper.mappingIndices(subject).map { mappingRoleIDs[$0] }
            held += subject.securityRoles.compactMap { ids[$0] }
            if settings.rolesMappingResolution != .mappingOnly { held += subject.backendRoles.compactMap { ids[$0] } }
            result[user.name] = Array(Set(held.filter { $0 >= 0 })).sorted()
        }
        return result
    }()

    /// Each internal user's effective role names.
    public func roles(ofUser user: String) -> [String] {
        (internalUserRoleIDs[user] ?? []).map { roleNames[$0] }
    }

    /// Whether an entry is a group name (built-in or custom).
    public func isGroup(_ name: String) -> Bool { groups.isGroup(name) }

    /// Whether a catalog permission (any kind, including documented patterns) has this exact name.
    public func isKnownPermission(_ name: String) -> Bool { catalog.permission(named: name) != nil }
}
