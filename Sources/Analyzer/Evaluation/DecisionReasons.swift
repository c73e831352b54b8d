/// Why a request is refused, as a value. The decision procedure produces it; the fix planner,
/// the 403 text, `simulate`, `probe` and `diff` read it; only Reporting/ turns it into sentences
/// (``DecisionSentences``).
public enum DenialReason: Hashable, Sendable {
    /// No held role grants the cluster action through `cluster_permissions` (§2.3).
    case missingClusterPrivilege(action: String)
    /// A service account asked for a cluster action: service accounts get none (§2.4).
    case serviceAccountClusterAction(action: String)
    /// `restapi:admin/*`: no held role grants it other than through the bare `*` (§2.5).
    /// `wildcardOnlyRoles` are the held roles that grant it only through that `*`.
    case missingExplicitClusterPrivilege(action: String, wildcardOnlyRoles: [String])
    /// Index cells no held role ticks (§6 CheckTable): per refused index, the actions missing there.
    case missingIndexPrivileges([MissingIndexPrivilege])
    /// The request covers every index and no cluster metadata says which they are: only a grant
    /// on `*` could cover it.
    case allIndicesUnknown(actions: [String])
    /// `system:admin/system_index` is not granted explicitly on these indices (§2.5).
    case missingExplicitIndexPrivilege(action: String, indices: [String])
    /// No held role's tenant_permissions give this access to the (defined) tenant.
    case missingTenantPrivilege(tenant: String, write: Bool)
    /// A rule that holds whatever the roles say.
    case special(SpecialDenial)
    /// A disabled internal user: authentication fails (401) before any permission is checked.
    case cannotAuthenticate

    /// The indices and index actions a role would need, for index-level denials.
    public var missingIndexCells: (indices: [String], actions: [String])? {
        switch self {
        case .missingIndexPrivileges(let cells):
            var actions: [String] = []
            for cell in cells { for action in cell.actions where !actions.contains(action) { actions.append(action) } }
            return (cells.map(\.index), actions)
        case .allIndicesUnknown(let actions): return (["*"], actions)
        case .missingExplicitIndexPrivilege(let action, let indices): return (indices, [action])
        default: return nil
        }
    }
}

/// One refused index and the actions no held role grants on it.
public struct MissingIndexPrivilege: Hashable, Sendable {
    public let index: String
    public let actions: [String]

    public init(index: String, actions: [String]) {
        self.index = index
        self.actions = actions
    }
}

/// Refusals that no role grant changes (§2.4, §2.7, snapshot restore), each with what decides it.
/// Their 403 lists no privilege: `no permissions for [] and User […]`.
public enum SpecialDenial: Hashable, Sendable {
    /// With system index permissions enabled, no role may touch the security index.
    case securityIndexInPermissionMode(index: String)
    /// A write-type action on the security index, refused for every role.
    case securityIndexWrite(index: String, action: String)
    /// A write-type action on all indices, which include the security index.
    case allIndicesWriteIncludesSecurityIndex(action: String, securityIndex: String)
    /// A system index. In permission mode no held role grants `system:admin/system_index` on it
    /// explicitly; otherwise the action is write-type, refused on system indices.
    case systemIndex(index: String, action: String, permissionMode: Bool)
    /// Permission mode: the request names the system index `systemIndex`, so every index it names
    /// needs `system:admin/system_index` explicitly, and no held role grants it on the regular
    /// index `index`.
    case regularIndexBesideSystemIndex(index: String, systemIndex: String)
    /// A write-type action on a protected index, and the user holds none of
    /// `protected_indices.roles` (reads pass and are served empty). `index` is nil when a
    /// write-type request covers all indices, which include protected ones.
    case protectedIndex(index: String?, action: String)
    /// `enable_snapshot_restore_privilege: false`.
    case snapshotRestoreDisabled
    /// A restore of all indices or of the security index.
    case restoreOfAllOrSecurityIndex
    /// A service account outside system indices while system index permissions are enabled.
    case serviceAccountOutsideSystemIndices
    /// A multi-item request names a tenant's own index (`.kibana_<hash>_<tenant>`) instead of going
    /// through the Dashboards index (3.8+, ``TenantEvaluation/refusesTenantIndexInMultiItemRequests``).
    case tenantIndexNamedDirectly(index: String)
    /// config.yml `kibana.multitenancy_enabled: false`: tenants are not evaluated.
    case multitenancyDisabled
    /// The private tenant `__user__` was asked for and config.yml `kibana.private_tenant_enabled` is false.
    case privateTenantDisabled
    /// The request names a tenant neither tenants.yml nor the built-in ones define.
    case undefinedTenant(tenant: String)
    /// An index expression that cannot be resolved (bad date math).
    case unresolvableIndexExpression(expression: String, problem: String)
}

/// Something worth knowing about a decision, as a value; ``DecisionSentences`` words it.
public enum DecisionNote: Hashable, Sendable {
    /// Found while resolving the subject (internal user, claims).
    case subject(SubjectNote)
    case renamed(from: String, to: String)
    case alwaysAllowed(action: String)
    case serviceAccountHasNoClusterActions(user: String)
    /// A multi-item action passed at cluster level; its sub-requests are checked on each index.
    case subRequestsChecked(action: String, subActions: [String])
    case clusterActionIgnoresIndices(action: String)
    /// Held roles that grant an explicit-only action only through the bare `*`.
    case onlyThroughBareWildcard(roles: [String], action: String)
    /// restapi:admin/* permissions are honoured only with this setting true.
    case restAdminDisabled(setting: String)
    case restoreNeedsWritePrivileges
    /// Without cluster metadata a wildcard expression is checked as a name.
    case expressionNotExpanded(expression: String)
    case expressionMatchesNothing(expression: String)
    case onlyRemoteIndices([String])
    case remoteIndices([String])
    case wildcardGrantCoversAll(actions: [String])
    case allIndicesNeedMetadata
    /// do_not_fail_on_forbidden reduced the request.
    case reducedToAllowed(allowed: [String], leftOut: [String])
    case explicitIndexGrantNeeded(action: String)
    /// Reads of system or security indices served empty; `all` when every allowed index is one.
    case readsBlanked(indices: [String], all: Bool)
    /// Reads of protected indices served empty to a user holding none of the roles `setting`
    /// lists; `all` when every allowed index is one.
    case protectedReadsBlanked(indices: [String], all: Bool, setting: String)
    /// Saved objects of `tenant` granted by these held roles' tenant_permissions.
    case tenantGranted(tenant: String, roles: [String])
    /// The user's own private tenant, which needs no grant.
    case privateTenant(user: String)
    /// The legacy quirk: `role` (kibana_user) reads and writes the global tenant when no held role
    /// grants read on it.
    case implicitGlobalTenantAccess(role: String)
    /// A request on the Dashboards index `index` with a tenant named: served from the tenant's
    /// index `tenantIndex`, allowed by the tenant grant without asking the index privileges.
    case dashboardsIndexReplaced(index: String, tenant: String, tenantIndex: String)
    /// A request on the tenant's own index `index`, allowed by the tenant grant.
    case tenantIndexServed(tenant: String, index: String)
    /// The Dashboards-index step's tenant check refused the request. `ignored`: this release lets
    /// a cluster-level request through anyway (2.19 to 3.7, ``TenantEvaluation/Refusal/allowed``);
    /// its sub-requests are still checked.
    case tenantCheckRefused(DenialReason, ignored: Bool)
    /// A special denial, stated as a note too.
    case denied(SpecialDenial)
}

/// What a fix step proposes, as a value; ``DecisionSentences`` words it.
public enum FixAdvice: Hashable, Sendable {
    /// Add the step's actions to its role (or create the role and map it to `user`). `explicit`:
    /// the actions must be written out, a bare `*` does not count.
    case grant(user: String, explicit: Bool)
    /// Service accounts get no cluster actions.
    case useRegularUser
    /// Nothing grants access to the security index.
    case securityIndexReserved(securityIndex: String)
    /// Same, for special denials that touch the security index.
    case securityIndexReservedForAdmin(securityIndex: String)
    case grantSystemIndexPermission
    /// Permission mode is off: enable `setting`, then grant system:admin/system_index.
    case enableSystemIndexPermission(setting: String)
    /// Map the user to one of the roles `setting` lists.
    case mapToProtectedRole(setting: String)
    /// No role change helps; the denial itself is the advice.
    case nothingToGrant(SpecialDenial)
    /// Add a tenant_permissions entry for `tenant` with `actionGroup` to a role `user` holds.
    case grantTenant(user: String, tenant: String, actionGroup: String)
    case enableUser
}
