import Foundation
import PermissionCatalog

/// Which side of a migration a cluster or directory is on (named in every error).
public enum MigrationSide: String, Sendable, Codable {
    case source, target
}

/// A cluster's security configuration as `secperm fetch` reads it: the entries the cluster stores
/// (static entries left out: they come from the release), whether password hashes and hidden
/// entries were readable, and what the cluster said about itself.
public struct FetchedConfiguration: Sendable {
    /// `GET /`: flavor and release, the REST prefix used, when it was read.
    public struct ClusterInfo: Sendable, Hashable {
        public let profile: TargetProfile
        /// `version.number` of `GET /` as the cluster answered it.
        public let versionNumber: String
        public let restPrefix: String
        public let fetchedAt: Date

        public init(profile: TargetProfile, versionNumber: String, restPrefix: String, fetchedAt: Date) {
            self.profile = profile
            self.versionNumber = versionNumber
            self.restPrefix = restPrefix
            self.fetchedAt = fetchedAt
        }
    }

    /// How the configuration was read.
    public enum Access: String, Sendable, Codable {
        /// `.opendistro_security/_doc/<type>` with the admin certificate: hashes and hidden entries included.
        case securityIndex = "security_index"
        /// The Security REST API: hashes blanked by the API, hidden entries only for a REST admin.
        case restAPI = "rest_api"
    }

    public var config: SecurityConfig
    public let info: ClusterInfo
    public let access: Access
    /// Types the cluster did not answer for (e.g. `config` through the REST API without admin).
    public let unavailableTypes: [ConfigType]
    /// Indices, aliases and data streams (`GET _alias?expand_wildcards=all`, `GET _data_stream`); nil when refused.
    public let metadata: ClusterMetadata?

    public init(config: SecurityConfig, info: ClusterInfo, access: Access, unavailableTypes: [ConfigType] = [], metadata: ClusterMetadata? = nil) {
        self.config = config
        self.info = info
        self.access = access
        self.unavailableTypes = unavailableTypes
        self.metadata = metadata
    }

    /// Password hashes were read (only the security index gives them).
    public var hasPasswordHashes: Bool { access == .securityIndex }

    /// Users without a hash: every user when read through the REST API.
    public var usersWithoutHash: [String] {
        config.internalUsers.values.filter { !$0.hasPasswordHash }.map(\.name)
    }

    /// Entries flagged hidden, per type (marked in the plan; they need admin access on the target).
    public var hiddenEntries: [(type: ConfigType, name: String)] {
        var found: [(ConfigType, String)] = []
        for role in config.roles.values where role.flags.hidden { found.append((.roles, role.name)) }
        for mapping in config.roleMappings.values where mapping.flags.hidden { found.append((.rolesmapping, mapping.roleName)) }
        for group in config.actionGroups.values where group.flags.hidden { found.append((.actiongroups, group.name)) }
        for user in config.internalUsers.values where user.flags.hidden { found.append((.internalusers, user.name)) }
        for tenant in config.tenants.values where tenant.flags.hidden { found.append((.tenants, tenant.name)) }
        return found
    }
}

/// Why reading from or writing to a cluster stopped. Sentences are written by `MigrationReport`.
public enum MigrationError: Error, Sendable {
    /// The connection failed (DNS, refused, TLS, dropped) as the HTTP client classifies it.
    case transport(MigrationSide, ClusterError)
    /// The connection failed in a way not classified (any other `Cluster`); `detail` is its message.
    case unreachable(MigrationSide, detail: String)
    /// 401, or 403 on a request the job needs (the Security API gate, the admin certificate).
    case notAuthorized(MigrationSide, request: String, status: Int, message: String)
    /// 503 "… Security not initialized."
    case notInitialized(MigrationSide, message: String)
    /// Any other unexpected answer.
    case unexpected(MigrationSide, request: String, status: Int, message: String)
    /// The release could not be told (ReleaseDetection); a target option names it.
    case release(MigrationSide, ReleaseDetectionFailure)
    /// What the cluster returned does not load as a configuration.
    case invalidConfiguration(MigrationSide, InputError)
}
