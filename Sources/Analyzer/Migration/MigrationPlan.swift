import PermissionCatalog

/// What `secperm migrate` would do, entry by entry, in the order it would do it (action groups,
/// roles, tenants, role mappings, internal users: every entry after the ones it names).
public struct MigrationPlan: Sendable {
    public enum Operation: String, Sendable, Codable {
        case add, update, unchanged, skip
    }

    /// Why an entry is not copied.
    public enum SkipReason: Sendable, Hashable {
        /// `reserved: true`: the REST API refuses to change it without the admin certificate.
        case reserved(MigrationSide)
        /// `hidden: true`: not visible through the REST API without admin access.
        case hidden(MigrationSide)
        /// `static: true` in the source: built into the source release, not configuration.
        case staticInSource
        /// The name of a built-in (static) entry of the target release.
        case builtInOfTarget(TargetProfile)
        /// A new user without a password hash (the source was read without its admin certificate):
        /// the target refuses "Please specify either 'hash' or 'password' when creating a new internal user."
        case noPasswordHash
        /// A mapping or `opendistro_security_roles` names a role the target will not have.
        case roleMissing(String)
        /// 2.10+ ActionGroupsApiAction: an action group named like an existing role.
        case actionGroupNamedLikeRole
        /// 2.10+ ActionGroupsApiAction: an action group that lists itself.
        case actionGroupContainsItself
        /// 2.10+ UserService: ':' in an account name.
        case restrictedCharacter
        /// Permissions the source release has and the target release lacks, with no successor
        /// (MigrationTranslator): written as is, the entry would grant less there.
        case untranslatable([String])
    }

    /// One field of an `update`: set where the target lacks it, removed where only the target has
    /// it (an update replaces the entry as a whole), or changed.
    public struct FieldChange: Sendable, Hashable {
        public enum Kind: String, Sendable, Codable { case added, removed, changed }
        public let field: String
        public let kind: Kind
    }

    /// A change made to an entry so that it grants on the target release what it grants on the
    /// source release (MigrationTranslator), reported on the entry that carries it.
    public enum Translation: Sendable, Hashable {
        /// A built-in action group that grants differently on the target release (or is not there),
        /// written as the names it stands for on the source release.
        case builtInGroupExpanded(group: String, into: [String])
        /// A permission renamed between the releases (the plugin vendor segment).
        case renamed(from: String, to: String)
    }

    public struct Entry: Sendable, Hashable {
        public let type: ConfigType
        public let name: String
        public let operation: Operation
        public let skipReason: SkipReason?
        public let changes: [FieldChange]
        public let translations: [Translation]
        /// The target was read without its admin certificate, so a user's hash could not be compared.
        public let hashNotCompared: Bool
    }

    public let sourceProfile: TargetProfile
    public let targetProfile: TargetProfile
    public let entries: [Entry]
    /// The source configuration as it is written: the entries with their translations made.
    public let source: SecurityConfig
    /// Types the source has that `migrate` does not copy (``notMigratedTypes``), in ConfigType order.
    public let notMigrated: [ConfigType]

    public init(sourceProfile: TargetProfile, targetProfile: TargetProfile, entries: [Entry], source: SecurityConfig, notMigrated: [ConfigType] = []) {
        self.sourceProfile = sourceProfile
        self.targetProfile = targetProfile
        self.entries = entries
        self.source = source
        self.notMigrated = notMigrated
    }

    /// Node setup rather than grants, so not copied: `config` (authentication and authorization
    /// domains, which name the node's own LDAP hosts, keys and bind passwords; the Security API
    /// refuses to change it unless `unsupported.restapi.allow_securityconfig_modification`, per
    /// the security plugin's SecurityConfigApiAction), `nodesdn` (a node's transport identities,
    /// `nodes_dn_dynamic_config_enabled`), `audit`, `allowlist`/`whitelist`. The Aiven script of
    /// seed 000 copies none of them either. `fetch` still writes config.yml, for the operator.
    public static let notMigratedTypes: [ConfigType] = [.config, .nodesdn, .audit, .allowlist, .whitelist]

    /// The entries that write to the target.
    public var writes: [Entry] { entries.filter { $0.operation == .add || $0.operation == .update } }

    public func count(_ operation: Operation) -> Int { entries.filter { $0.operation == operation }.count }

    /// The order entries are written in: every entry after those it names.
    public static let typeOrder: [ConfigType] = [.actiongroups, .roles, .tenants, .rolesmapping, .internalusers]
}
