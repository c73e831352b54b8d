/// One permission a request needs.
public struct Requirement: Hashable, Sendable {
    public enum Level: String, Sendable, Codable {
        case cluster, index
        /// A Dashboards tenant action, granted through tenant_permissions.
        case tenant
        /// A Security REST API gate (roles_enabled / admin certificate), not a grantable action.
        case rest
    }

    public let action: String
    public let level: Level
    /// Target indices for index-level actions (as the request names them); empty = all indices.
    public let indices: [String]
    /// Requirements with the same group are checked together by the plugin (e.g. `bulk[s]` with the
    /// item operations on one index) and reported together in a 403.
    public let group: Int
    /// When set, the action is needed only under this condition.
    public let conditional: String?
    public let note: String?
}

/// What secperm worked out for one request of a console file.
public struct RequestPlan: Sendable {
    public let request: ConsoleRequest
    public let route: Route?
    /// For unknown routes: the closest known one.
    public let closestRoute: Route?
    /// For known paths with the wrong method.
    public let allowedMethods: [String]
    public let requirements: [Requirement]
    public let notes: [String]
}
