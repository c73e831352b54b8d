/// Dashboards tenants: may the user read or write saved objects in the tenant the request names?
/// Followed from opensearch-project/security main bb55e64d, `privileges/TenantPrivileges.java`
/// (2.19+) and `privileges/actionlevel/legacy/PrivilegesInterceptor.java` (`replaceDashboardsIndex`):
///
/// - multitenancy off (config.yml `kibana.multitenancy_enabled: false`): tenants are not evaluated;
/// - no tenant named: the global tenant `global_tenant`;
/// - `__user__` (refused when `kibana.private_tenant_enabled: false`) or the user's own name: the
///   private tenant, readable and writable by its user without any grant;
/// - otherwise a held role's `tenant_permissions` entry whose pattern matches a *defined* tenant
///   (tenants.yml or built-in); patterns with `${…}` are rendered for the user first. The entry
///   gives write when its allowed_actions, flattened through action groups, contain the exact name
///   `kibana:saved_objects/*/write` (so `kibana_all_write` does, a bare `*` does not), else read;
/// - legacy quirk: a user mapped to `kibana_user` may read and write the global tenant when no held
///   role grants read on it explicitly.
struct TenantRules {
    enum Access { case read, write }

    enum Verdict: Equatable {
        case allow(DecisionNote)
        case deny(DenialReason)
    }

    static let globalTenant = "global_tenant"
    static let privateTenant = "__user__"

    static func access(of action: String) -> Access {
        action.hasSuffix("/write") ? .write : .read
    }

    let run: Run

    func decide(action: String) -> Verdict {
        let dynamic = run.evaluator.config.dynamic
        guard dynamic.multitenancyEnabled else { return .deny(.special(.multitenancyDisabled)) }
        let access = Self.access(of: action)
        let user = run.subject.name
        guard let named = run.subject.requestedTenant, !named.isEmpty else {
            return granted(Self.globalTenant, access: access)
        }
        if named == Self.privateTenant {
            let enabled = dynamic.raw[path: "kibana.private_tenant_enabled"]?.bool ?? true
            guard enabled else { return .deny(.special(.privateTenantDisabled)) }
            return .allow(.privateTenant(user: user))
        }
        if named == user { return .allow(.privateTenant(user: user)) }
        return granted(named, access: access)
    }

    /// `TenantPrivileges.hasTenantPrivilege` for a defined or undefined tenant.
    private func granted(_ tenant: String, access: Access) -> Verdict {
        let defined = run.evaluator.config.tenants[tenant] != nil
        let mapped = run.mapped.map(\.name)
        // Readers through patterns without `${…}` (the plugin's precomputed table), for the quirk below.
        var readers: [String] = [], writers: [String] = [], staticReaders: [String] = []
        if defined {
            for role in mapped {
                guard let definition = run.evaluator.config.roles[role] else { continue }
                for entry in definition.tenantPermissions {
                    let matching = entry.tenantPatterns.filter { matches($0.value, tenant) }
                    guard !matching.isEmpty else { continue }
                    let actions = run.evaluator.groups.resolve(entry.allowedActions.map(\.value))
                    if actions.contains("kibana:saved_objects/*/write") { writers.append(role) }
                    readers.append(role)
                    if matching.contains(where: { !$0.value.contains("${") }) { staticReaders.append(role) }
                }
            }
        }
        let holders = access == .write ? writers : readers
        if !holders.isEmpty { return .allow(.tenantGranted(tenant: tenant, roles: Array(Set(holders)).sorted())) }
        if tenant == Self.globalTenant, mapped.contains("kibana_user"), staticReaders.isEmpty {
            return .allow(.implicitGlobalTenantAccess(role: "kibana_user"))
        }
        guard defined else { return .deny(.special(.undefinedTenant(tenant: tenant))) }
        return .deny(.missingTenantPrivilege(tenant: tenant, write: access == .write))
    }

    private func matches(_ pattern: String, _ tenant: String) -> Bool {
        if pattern.contains("${") { return run.context.render(pattern, evaluator: run.evaluator).matches(tenant) }
        return Pattern(pattern).matches(tenant)
    }
}
