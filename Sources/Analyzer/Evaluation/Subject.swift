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

    /// Told apart by code units, as the plugin tells users apart (Java `String.equals`): two
    /// subjects whose names, roles or attributes are spelled with different code units (a
    /// precomposed "é" and "e" followed by U+0301) are different users, never one cache entry.
    public static func == (lhs: Subject, rhs: Subject) -> Bool {
        func same(_ a: String, _ b: String) -> Bool { a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8) }
        func same(_ a: String?, _ b: String?) -> Bool { a.map { a in b.map { same(a, $0) } ?? false } ?? (b == nil) }
        func same(_ a: [String], _ b: [String]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { same($0, $1) } }
        return lhs.isServiceAccount == rhs.isServiceAccount && same(lhs.name, rhs.name) && same(lhs.backendRoles, rhs.backendRoles)
            && same(lhs.securityRoles, rhs.securityRoles) && same(lhs.host, rhs.host) && same(lhs.requestedTenant, rhs.requestedTenant)
            && same(lhs.sortedAttributes.map(\.key), rhs.sortedAttributes.map(\.key))
            && same(lhs.sortedAttributes.map(\.value), rhs.sortedAttributes.map(\.value))
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(CodeUnitKey(name))
        hasher.combine(backendRoles.count)
        for role in backendRoles { hasher.combine(CodeUnitKey(role)) }
        hasher.combine(securityRoles.count)
        for role in securityRoles { hasher.combine(CodeUnitKey(role)) }
        hasher.combine(host.map(CodeUnitKey.init))
        hasher.combine(requestedTenant.map(CodeUnitKey.init))
        hasher.combine(isServiceAccount)
        for (key, value) in sortedAttributes {
            hasher.combine(CodeUnitKey(key))
            hasher.combine(CodeUnitKey(value))
        }
    }

    /// The attributes in code-unit order of their keys (a dictionary has no order of its own).
    private var sortedAttributes: [(key: String, value: String)] {
        attributes.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// Attribute keys as users type them: `dept` means `attr.internal.dept`.
    public static func attributeKey(_ key: String) -> String {
        key.hasPrefix("attr.") ? key : "attr.internal.\(key)"
    }
}
