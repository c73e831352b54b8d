/// How a release decides Dashboards tenants: which tenants a user may read or write (the tenant
/// table), and what the security filter does with a request on the Dashboards index when a tenant
/// is named (`replaceDashboardsIndex` of the privileges interceptor). Every difference between
/// releases is a field here; the evaluator reads them and compares no versions.
///
/// Followed from opensearch-project/security (tags 1.3.0.0, 2.0.0.0, 2.1.0.0, 2.18.0.0, 2.19.0.0,
/// 3.0.0.0, 3.1.0.0, 3.7.0.0, main bb55e64d):
/// - the tenant table: `ConfigModelV7.TenantHolder.mapTenants` before 3.1, `TenantPrivileges`
///   from 3.1 (`hasTenantPrivilege`);
/// - the interceptor: `PrivilegesInterceptorImpl.replaceDashboardsIndex` before 2.19 (reached
///   from `PrivilegesEvaluator.evaluate`), `PrivilegesInterceptor.replaceDashboardsIndex` after;
/// - what a refusal of the interceptor becomes: `PrivilegesEvaluator(Impl).evaluate` of each tag,
///   and commit 0004de08 (#6202, first in 3.8) for cluster-level actions.
public struct TenantEvaluation: Hashable, Sendable {
    /// How `tenant_patterns` select tenants.
    public enum Patterns: String, Hashable, Sendable {
        /// Before 2.1 (and Open Distro): wildcards over the defined tenants; `${…}` is not
        /// replaced (such a pattern selects nothing).
        case wildcardsOnly
        /// 2.1 to 3.0: as before, and a pattern that starts with `${attr` is replaced by the user's
        /// attribute and must then name a defined tenant exactly (no wildcards after replacing).
        case attributePrefixReplaced
        /// 3.1+ (`TenantPrivileges`): a pattern with `${…}` anywhere is rendered for the user and
        /// matched as a pattern against the tenant.
        case templatesRendered
    }

    /// The legacy rule that lets Dashboards users into the global tenant without a grant.
    public enum ImplicitGlobalTenant: String, Hashable, Sendable {
        /// Before 3.1: a user holding `kibana_user` or `all_access` reads and writes `global_tenant`
        /// unless a held role's tenant_permissions give any access to it.
        case kibanaUserOrAllAccessWithoutAnyGrant
        /// 3.1+: a user holding `kibana_user` reads and writes `global_tenant` unless a held role
        /// grants read on it through a pattern without `${…}` (issue #5356).
        case kibanaUserWithoutPlainReadGrant
    }

    /// What a refused tenant check on the Dashboards index becomes.
    public enum Refusal: String, Hashable, Sendable {
        /// The request is refused and the 403 lists no privilege (`no permissions for []`): the
        /// evaluator returned its still-empty response.
        case deniedListingNothing
        /// The request is refused and the 403 names the action (`insufficient(action)`).
        case deniedNamingAction
        /// The refusal is lost: the cluster privilege's response, which allowed, is returned.
        case allowed
    }

    public let patterns: Patterns
    public let implicitGlobalTenant: ImplicitGlobalTenant
    /// A refused tenant check for a cluster-level action (`_bulk`, `_mget`, `_msearch`, `_mtermvectors`
    /// on `.kibana`: the multi-item requests): before 2.19 denied listing nothing, 2.19 to 3.7
    /// allowed (the refusal was only logged), 3.8+ denied naming the action.
    public let refusalOnClusterAction: Refusal
    /// A refused tenant check for an index-level action: before 2.19 denied listing nothing, from
    /// 2.19 denied naming the action.
    public let refusalOnIndexAction: Refusal
    /// 3.8+: a multi-item request that names a tenant index (`<kibana.index>_…`) itself, not
    /// through the Dashboards index, is refused (`deniedNamingAction`).
    public let refusesTenantIndexInMultiItemRequests: Bool
    /// The actions a read-only tenant grant allows on the Dashboards index (`READ_ONLY_ALLOWED_ACTIONS`,
    /// the same in every release); any other action needs write.
    public let readOnlyActions: Set<String>

    public func isRead(_ action: String) -> Bool { readOnlyActions.contains(action) }
}

extension TargetProfile {
    // MARK: Dashboards tenants

    /// This release's tenant rules (``TenantEvaluation``).
    public var tenantEvaluation: TenantEvaluation {
        TenantEvaluation(
            patterns: since(3, 1) ? .templatesRendered : since(2, 1) ? .attributePrefixReplaced : .wildcardsOnly,
            implicitGlobalTenant: since(3, 1) ? .kibanaUserWithoutPlainReadGrant : .kibanaUserOrAllAccessWithoutAnyGrant,
            refusalOnClusterAction: since(3, 8) ? .deniedNamingAction : since(2, 19) ? .allowed : .deniedListingNothing,
            refusalOnIndexAction: since(2, 19) ? .deniedNamingAction : .deniedListingNothing,
            refusesTenantIndexInMultiItemRequests: since(3, 8),
            readOnlyActions: ["indices:admin/get", "indices:data/read/get", "indices:data/read/search", "indices:data/read/msearch",
                              "indices:data/read/mget", "indices:data/read/mget[shard]"])
    }
}
