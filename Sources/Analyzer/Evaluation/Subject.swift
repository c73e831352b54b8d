/// Who is asking: the authenticated user as the plugin sees it after authentication.
public struct Subject: Hashable, Sendable {
    public var name: String
    /// Backend roles, in the order they were given (the 403 message lists them so).
    public var backendRoles: [String]
    /// Custom attributes with their full keys: `attr.internal.dept`, `attr.jwt.tenant` …
    public var attributes: [String: String]
    /// Security roles given directly (`opendistro_security_roles`, injected roles); they bypass mapping.
    public var securityRoles: [String]
    /// Caller address, matched against role-mapping `hosts`.
    public var host: String?
    /// `attr.internal.service=true`: a service account.
    public var isServiceAccount: Bool
    public var requestedTenant: String?

    public init(name: String, backendRoles: [String] = [], attributes: [String: String] = [:], securityRoles: [String] = [],
                host: String? = nil, isServiceAccount: Bool = false, requestedTenant: String? = nil) {
        self.name = name
        self.backendRoles = backendRoles
        self.attributes = attributes
        self.securityRoles = securityRoles
        self.host = host
        self.isServiceAccount = isServiceAccount
        self.requestedTenant = requestedTenant
    }

    /// An internal user as the internal authentication backend presents it: its backend roles,
    /// its attributes as `attr.internal.<key>`, its `opendistro_security_roles`.
    public init(internalUser user: InternalUser) {
        var attributes: [String: String] = [:]
        for (key, value) in user.attributes { attributes["attr.internal.\(key)"] = value }
        self.init(name: user.name, backendRoles: user.backendRoles.map(\.value), attributes: attributes,
                  securityRoles: user.securityRoles.map(\.value), isServiceAccount: user.isService)
    }

    /// Attribute keys as users type them: `dept` means `attr.internal.dept`.
    public static func attributeKey(_ key: String) -> String {
        key.hasPrefix("attr.") ? key : "attr.internal.\(key)"
    }
}
