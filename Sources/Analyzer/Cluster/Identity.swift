import Foundation

/// Who the cluster says the caller is: `GET {prefix}/authinfo` (rest/SecurityInfoAction in the
/// plugin; field list in shared/reference/security-layer-responses.md "authinfo").
public struct AuthInfo: Hashable, Sendable {
    public var userName: String
    public var backendRoles: [String]
    /// The security roles the user is mapped to.
    public var roles: [String]
    /// Tenant name → true for read-write, false for read-only.
    public var tenants: [String: Bool]
    /// The client certificate's DN when one authenticated the request.
    public var principal: String?
    public var requestedTenant: String?

    public init(userName: String, backendRoles: [String] = [], roles: [String] = [], tenants: [String: Bool] = [:], principal: String? = nil, requestedTenant: String? = nil) {
        self.userName = userName
        self.backendRoles = backendRoles
        self.roles = roles
        self.tenants = tenants
        self.principal = principal
        self.requestedTenant = requestedTenant
    }

    /// Reads an authinfo body; nil when it is not one.
    public init?(body: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let name = object["user_name"] as? String
        else { return nil }
        var tenants: [String: Bool] = [:]
        for (tenant, value) in object["tenants"] as? [String: Any] ?? [:] {
            tenants[tenant] = (value as? Bool) ?? false
        }
        self.init(
            userName: name,
            backendRoles: object["backend_roles"] as? [String] ?? [],
            roles: object["roles"] as? [String] ?? [],
            tenants: tenants,
            principal: object["principal"] as? String,
            requestedTenant: object["user_requested_tenant"] as? String)
    }
}

/// `GET {prefix}/whoami`: the TLS principal and whether it is an admin certificate (the plugin's
/// SecurityWhoAmIAction; securityadmin reads `is_admin` from it the same way).
public struct TLSWhoAmI: Hashable, Sendable {
    public var dn: String?
    public var isAdmin: Bool

    public init(dn: String?, isAdmin: Bool) {
        self.dn = dn
        self.isAdmin = isAdmin
    }

    public init?(body: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let isAdmin = object["is_admin"] as? Bool
        else { return nil }
        self.init(dn: object["dn"] as? String, isAdmin: isAdmin)
    }
}

/// The answer of `secperm whoami`: the release and the identity the cluster sees.
public struct ClusterIdentity: Hashable, Sendable {
    public var cluster: String
    /// The security REST prefix that answered.
    public var restPrefix: String
    /// The release, or why it could not be told (the identity is still known then).
    public var release: Result<DetectedRelease, ReleaseDetectionFailure>
    /// True when the release came from `--target` rather than from the cluster.
    public var releaseGiven: Bool
    public var authInfo: AuthInfo
    /// nil when the cluster did not say (no whoami endpoint reachable).
    public var superAdmin: Bool?

    public init(cluster: String, restPrefix: String, release: Result<DetectedRelease, ReleaseDetectionFailure>, releaseGiven: Bool, authInfo: AuthInfo, superAdmin: Bool?) {
        self.cluster = cluster
        self.restPrefix = restPrefix
        self.release = release
        self.releaseGiven = releaseGiven
        self.authInfo = authInfo
        self.superAdmin = superAdmin
    }
}
