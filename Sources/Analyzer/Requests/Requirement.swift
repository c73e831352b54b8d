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
    /// For a conditional requirement: the condition is a state of the cluster (the target index
    /// does not exist yet, the documents bring new fields) rather than something about the request.
    /// `--suggest-role` includes these unless told to assume an existing index and mapping.
    public let dependsOnState: Bool
    /// For a requirement the target checks under its default settings: the setting, with the value,
    /// that would lift it (e.g. `plugins.security.check_snapshot_restore_write_privileges: false`).
    public let liftedBy: String?
    public let note: String?

    public init(action: String, level: Level, indices: [String], group: Int, conditional: String?, dependsOnState: Bool = false,
                liftedBy: String? = nil, note: String?) {
        self.action = action
        self.level = level
        self.indices = indices
        self.group = group
        self.conditional = conditional
        self.dependsOnState = dependsOnState
        self.liftedBy = liftedBy
        self.note = note
    }

    /// Whether a role meant to let the requests through must grant it: unconditional ones always,
    /// state-dependent ones unless the indices and their mappings are assumed to exist.
    public func isNeeded(assumingExisting: Bool) -> Bool {
        guard level != .rest else { return false }
        guard conditional != nil else { return true }
        return dependsOnState && !assumingExisting
    }
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
    /// For a snapshot restore: how the plugin's restore rules apply to this request.
    public let restoreNotes: [RestoreNote]
}
