/// `reserved`, `hidden` and `static` flags that every configuration entry may carry.
public struct EntryFlags: Hashable, Sendable {
    public var reserved: Bool
    public var hidden: Bool
    public var isStatic: Bool

    public init(reserved: Bool = false, hidden: Bool = false, isStatic: Bool = false) {
        self.reserved = reserved
        self.hidden = hidden
        self.isStatic = isStatic
    }

    public static let builtIn = EntryFlags(reserved: true, hidden: false, isStatic: true)
}

/// One `index_permissions` entry of a role.
public struct IndexPermission: Hashable, Sendable {
    public let location: SourceLocation
    public let indexPatterns: [Located<String>]
    public let allowedActions: [Located<String>]
    /// Document-level security query (JSON text), if any.
    public let dls: String?
    /// Field-level security: field names, `~`-prefixed for exclusion.
    public let fls: [String]
    public let maskedFields: [String]

    public init(location: SourceLocation, indexPatterns: [Located<String>], allowedActions: [Located<String>],
                dls: String? = nil, fls: [String] = [], maskedFields: [String] = []) {
        self.location = location
        self.indexPatterns = indexPatterns
        self.allowedActions = allowedActions
        self.dls = dls
        self.fls = fls
        self.maskedFields = maskedFields
    }
}

/// One `tenant_permissions` entry of a role.
public struct TenantPermission: Hashable, Sendable {
    public let location: SourceLocation
    public let tenantPatterns: [Located<String>]
    public let allowedActions: [Located<String>]

    public init(location: SourceLocation, tenantPatterns: [Located<String>], allowedActions: [Located<String>]) {
        self.location = location
        self.tenantPatterns = tenantPatterns
        self.allowedActions = allowedActions
    }
}

/// A security role (roles.yml).
public struct Role: Hashable, Sendable {
    public let name: String
    public let location: SourceLocation
    public let flags: EntryFlags
    public let description: String?
    public let clusterPermissions: [Located<String>]
    public let indexPermissions: [IndexPermission]
    public let tenantPermissions: [TenantPermission]

    public init(name: String, location: SourceLocation, flags: EntryFlags = EntryFlags(), description: String? = nil,
                clusterPermissions: [Located<String>] = [], indexPermissions: [IndexPermission] = [],
                tenantPermissions: [TenantPermission] = []) {
        self.name = name
        self.location = location
        self.flags = flags
        self.description = description
        self.clusterPermissions = clusterPermissions
        self.indexPermissions = indexPermissions
        self.tenantPermissions = tenantPermissions
    }
}

/// Who gets a role (roles_mapping.yml); the key is the role name.
public struct RoleMapping: Hashable, Sendable {
    public let roleName: String
    public let location: SourceLocation
    public let flags: EntryFlags
    public let description: String?
    public let users: [Located<String>]
    /// Any one matching backend role is enough.
    public let backendRoles: [Located<String>]
    /// Every pattern must match some backend role.
    public let andBackendRoles: [Located<String>]
    public let hosts: [Located<String>]

    public init(roleName: String, location: SourceLocation, flags: EntryFlags = EntryFlags(), description: String? = nil,
                users: [Located<String>] = [], backendRoles: [Located<String>] = [],
                andBackendRoles: [Located<String>] = [], hosts: [Located<String>] = []) {
        self.roleName = roleName
        self.location = location
        self.flags = flags
        self.description = description
        self.users = users
        self.backendRoles = backendRoles
        self.andBackendRoles = andBackendRoles
        self.hosts = hosts
    }
}

/// A named set of permissions and other groups (action_groups.yml).
public struct ActionGroup: Hashable, Sendable {
    public let name: String
    public let location: SourceLocation
    public let flags: EntryFlags
    public let allowedActions: [Located<String>]
    /// UI metadata only; evaluation ignores it.
    public let type: String?
    public let description: String?

    public init(name: String, location: SourceLocation, flags: EntryFlags = EntryFlags(), allowedActions: [Located<String>],
                type: String? = nil, description: String? = nil) {
        self.name = name
        self.location = location
        self.flags = flags
        self.allowedActions = allowedActions
        self.type = type
        self.description = description
    }
}

/// A user of the internal user database (internal_users.yml). Credentials are held as ``Secret``s,
/// which no renderer can print; ``hasPasswordHash`` says whether one is set.
public struct InternalUser: Hashable, Sendable {
    public let name: String
    public let location: SourceLocation
    public let flags: EntryFlags
    /// `hash`: the password hash as written (the REST API's GET returns it blanked as "").
    public let passwordHash: Secret?
    /// `password`: a clear-text password, which only the REST API's PUT accepts (it hashes it).
    public let password: Secret?
    public let enabled: Bool
    public let isService: Bool
    public let backendRoles: [Located<String>]
    /// Attributes in the order written.
    public let attributes: ConfigEntries<String>
    /// `opendistro_security_roles`: security roles given directly, bypassing role mapping.
    public let securityRoles: [Located<String>]
    public let description: String?

    public init(name: String, location: SourceLocation, flags: EntryFlags = EntryFlags(), passwordHash: Secret? = nil,
                password: Secret? = nil, enabled: Bool = true, isService: Bool = false, backendRoles: [Located<String>] = [],
                attributes: ConfigEntries<String> = [:], securityRoles: [Located<String>] = [], description: String? = nil) {
        self.name = name
        self.location = location
        self.flags = flags
        self.passwordHash = passwordHash
        self.password = password
        self.enabled = enabled
        self.isService = isService
        self.backendRoles = backendRoles
        self.attributes = attributes
        self.securityRoles = securityRoles
        self.description = description
    }

    /// Whether a non-empty hash or password is set.
    public var hasPasswordHash: Bool { passwordHash?.isEmpty == false || password?.isEmpty == false }
}

/// A Dashboards tenant (tenants.yml).
public struct Tenant: Hashable, Sendable {
    public let name: String
    public let location: SourceLocation
    public let flags: EntryFlags
    public let description: String?

    public init(name: String, location: SourceLocation, flags: EntryFlags = EntryFlags(), description: String? = nil) {
        self.name = name
        self.location = location
        self.flags = flags
        self.description = description
    }
}

/// An authentication or authorization domain of config.yml (`config.dynamic.authc` / `.authz`).
public struct SecurityDomain: Hashable, Sendable {
    public let name: String
    public let location: SourceLocation
    public let order: Int
    public let httpEnabled: Bool
    public let transportEnabled: Bool
    /// `http_authenticator.type` (basic, jwt, openid, saml, proxy, clientcert, kerberos …); nil for authz.
    public let authenticatorType: String?
    /// `authentication_backend.type` (internal, ldap, noop …) or, for authz, `authorization_backend.type`.
    public let backendType: String?
    /// The domain as written, for keys secperm does not model.
    public let raw: ConfigValue

    /// `http_authenticator.config`.
    public var authenticatorConfig: ConfigValue? { raw[path: "http_authenticator.config"] }
}

/// The parts of `config.yml` (`config.dynamic`) that change authorization.
public struct DynamicSettings: Hashable, Sendable {
    public var location: SourceLocation?
    public var doNotFailOnForbidden: Bool = false
    public var doNotFailOnForbiddenEmpty: Bool = false
    /// `ip-only` (default), `ip-hostname`, `ip-hostname-lookup`.
    public var hostsResolverMode: String = "ip-only"
    public var multitenancyEnabled: Bool = true
    public var authc: [SecurityDomain] = []
    public var authz: [SecurityDomain] = []
    /// `config.dynamic` as written.
    public var raw: ConfigValue = .map([:])

    public init() {}
}

/// A `nodes_dn.yml` entry: distinguished names of certificates accepted as cluster nodes.
public struct NodesDistinguishedNames: Hashable, Sendable {
    public let name: String
    public let location: SourceLocation
    public let nodesDN: [Located<String>]

    public init(name: String, location: SourceLocation, nodesDN: [Located<String>]) {
        self.name = name
        self.location = location
        self.nodesDN = nodesDN
    }
}

/// A settings document secperm keeps as written but does not interpret (audit.yml, allowlist.yml,
/// whitelist.yml): everything except `_meta`.
public struct SettingsDocument: Hashable, Sendable {
    public let location: SourceLocation
    public let content: ConfigValue

    public init(location: SourceLocation, content: ConfigValue) {
        self.location = location
        self.content = content
    }
}

/// A whole security configuration, as the plugin would hold it in memory: the files' entries plus
/// (after ``SecurityConfig/withStatics(from:)``) the built-in ones of the target profile. Entries
/// keep the order they were written in.
public struct SecurityConfig: Hashable, Sendable {
    public var roles: ConfigEntries<Role> = [:]
    public var roleMappings: ConfigEntries<RoleMapping> = [:]
    public var actionGroups: ConfigEntries<ActionGroup> = [:]
    public var internalUsers: ConfigEntries<InternalUser> = [:]
    public var tenants: ConfigEntries<Tenant> = [:]
    public var dynamic = DynamicSettings()
    public var nodesDN: ConfigEntries<NodesDistinguishedNames> = [:]
    public var audit: SettingsDocument?
    public var allowlist: SettingsDocument?
    /// The name of allowlist.yml before OpenSearch 2.0 (and on Open Distro).
    public var whitelist: SettingsDocument?
    /// Which config types were present in the input (doc ids such as `roles`).
    public var presentTypes: Set<String> = []

    public init() {}
}
