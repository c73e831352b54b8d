/// The words for a decision's typed reasons: notes, special denials and fix steps. The engine
/// hands over values (``DecisionNote``, ``SpecialDenial``, ``FixAdvice``); this is the only place
/// that turns them into sentences, so rewording one changes no behaviour.
import PermissionCatalog

public enum DecisionSentences {
    static func list(_ items: [String]) -> String { items.joined(separator: ", ") }

    public static func note(_ note: DecisionNote) -> String {
        switch note {
        case .subject(let note): subjectNote(note)
        case .renamed(let from, let to): "the plugin checks \(from) as \(to)"
        case .alwaysAllowed(let action): "\(action) is always allowed by the security filter, whatever the roles"
        case .serviceAccountHasNoClusterActions(let user): "\(user) is a service account; service accounts get no cluster actions"
        case .subRequestsChecked(let action, let subActions):
            "\(action) passed at cluster level; its sub-requests need \(list(subActions)) on each target index"
        case .clusterActionIgnoresIndices(let action): "\(action) is a cluster action; the index names do not scope it"
        case .onlyThroughBareWildcard(let roles, let action):
            "\(list(roles)) grant\(roles.count == 1 ? "s" : "") it only through the bare '*', which does not count for \(action): it needs an explicit grant"
        case .restAdminDisabled(let setting): "the Security REST API honours restapi:admin/* permissions only with \(setting): true"
        case .restoreNeedsWritePrivileges:
            "restored indices also need indices:admin/create and indices:data/write/index (check_snapshot_restore_write_privileges)"
        case .expressionNotExpanded(let expression): "without --cluster-metadata, \(expression) is checked as a name, not expanded"
        case .expressionMatchesNothing(let expression): "\(expression) matches nothing in the cluster metadata"
        case .onlyRemoteIndices(let remote): "only remote indices (\(list(remote))): the remote cluster checks them"
        case .remoteIndices(let remote): "remote indices \(list(remote)) are checked by the remote cluster"
        case .wildcardGrantCoversAll(let actions): "a mapped role grants \(list(actions)) on '*', which covers every index"
        case .allIndicesNeedMetadata: "the request covers all indices; without --cluster-metadata only a grant on '*' can cover that"
        case .reducedToAllowed(let allowed, let leftOut):
            "do_not_fail_on_forbidden: the request runs on \(allowed.isEmpty ? "no index (empty result)" : list(allowed)) only; \(list(leftOut)) silently left out"
        case .explicitIndexGrantNeeded(let action): "\(action) needs an explicit grant: a bare '*' in allowed_actions does not give it"
        case .readsBlanked(let indices, let all):
            all
                ? "\(list(indices)) \(indices.count == 1 ? "is a" : "are") system or security \(indices.count == 1 ? "index" : "indices"): the read passes authorization but returns no documents"
                : "documents of \(list(indices)) are hidden from this user (system or security indices)"
        case .protectedReadsBlanked(let indices, let all, let setting):
            all
                ? "\(list(indices)) \(indices.count == 1 ? "is a protected index" : "are protected indices") and the user holds none of the roles in \(setting): the read passes authorization but returns no documents"
                : "documents of \(list(indices)) are hidden from this user (protected indices; only the roles in \(setting) see them)"
        case .tenantGranted(let tenant, let roles):
            "\(list(roles)) grant\(roles.count == 1 ? "s" : "") saved objects of tenant \(tenant) through tenant_permissions"
        case .privateTenant(let user): "the private tenant of \(user) needs no grant"
        case .implicitGlobalTenantAccess(let role):
            "\(role) reads and writes the global tenant when no held role grants read on it explicitly (a legacy rule of the plugin)"
        case .dashboardsIndexReplaced(let index, let tenant, let tenantIndex):
            "\(index) is the Dashboards index: the request is served from tenant \(tenant)'s index \(tenantIndex), allowed by the tenant grant, not by index privileges"
        case .tenantIndexServed(let tenant, let index): "\(index) is tenant \(tenant)'s Dashboards index: allowed by the tenant grant, not by index privileges"
        case .tenantCheckRefused(let denial, false): "the Dashboards-index step refuses the request: \(tenantRefusal(denial))"
        case .tenantCheckRefused(let denial, true):
            "the Dashboards-index step refuses the request (\(tenantRefusal(denial))), but this release only logs that for a cluster-level action and lets it pass"
        case .denied(let denial): reason(denial)
        }
    }

    /// The `reason` of the 403 the cluster sends for a denial, character for character (§5; the
    /// format is the profile's), built from the decision's values. Nil unless denied, and for a
    /// user who cannot authenticate (401, not 403). Available without an explanation.
    public static func forbiddenMessage(for decision: Decision, profile: TargetProfile) -> String? {
        forbiddenMessage(outcome: decision.outcome, denial: decision.denial, missing: decision.missingPrivileges,
                         subject: decision.subject, profile: profile)
    }

    static func forbiddenMessage(outcome: Decision.Outcome, denial: DenialReason?, missing: [String], subject: Subject,
                                 profile: TargetProfile) -> String? {
        guard outcome == .deny, denial != .cannotAuthenticate else { return nil }
        return profile.forbiddenMessage(missing: missing, userName: subject.name, backendRoles: subject.backendRoles,
                                        requestedTenant: subject.requestedTenant)
    }

    /// What `actions` reports for the first refused request: the 403 reason, or for a refusal
    /// before authorization the last thing said about it.
    public static func firstDenial(_ decision: Decision) -> String {
        decision.forbiddenMessage ?? "denied before authorization (\(decision.notes.last ?? ""))"
    }

    /// What resolving a subject found, in one sentence.
    public static func subjectNote(_ note: SubjectNote) -> String {
        switch note {
        case .internalUser(let name, let location): "\(name) is an internal user (\(location)); its backend roles, attributes and security roles apply"
        case .disabledUser(let name): "\(name) is disabled (enabled: false): authentication fails with 401 before any permission is checked"
        case .claimsDomain(let name, let type, let location): "claims mapped with authentication domain \(name) (\(type)) at \(location)"
        case .claimsWithoutDomain: "config.yml has no jwt/openid domain; claims mapped with the defaults (subject_key: sub, no roles_key)"
        case .noRolesClaim(let path): "the claims have no roles at \(path.joined(separator: ".")); the user gets no backend roles"
        case .rolesClaimNotStringOrList(let path): "the roles claim at \(path.joined(separator: ".")) is neither a string nor a list; ignored"
        }
    }

    /// Why a tenant check refused, in a few words.
    static func tenantRefusal(_ denial: DenialReason) -> String {
        switch denial {
        case .missingTenantPrivilege(let tenant, let write):
            "no held role's tenant_permissions give \(write ? "write" : "read") access to tenant \(tenant)"
        case .special(let special): reason(special)
        default: "refused"
        }
    }

    /// A special denial in one sentence.
    public static func reason(_ denial: SpecialDenial) -> String {
        switch denial {
        case .securityIndexInPermissionMode(let index):
            "\(index) is the security index; with system index permissions enabled no role may touch it"
        case .securityIndexWrite(let index, let action):
            "\(index) is the security index; \(action) is a write-type action refused on it for every role"
        case .allIndicesWriteIncludesSecurityIndex(let action, let securityIndex):
            "\(action) on all indices would include the security index \(securityIndex); write-type actions on it are refused"
        case .systemIndex(let index, _, true):
            "\(index) is a system index and no mapped role grants system:admin/system_index on it explicitly"
        case .systemIndex(let index, let action, false):
            "\(index) is a system index; \(action) is a write-type action refused on it (system index permissions are not enabled)"
        case .regularIndexBesideSystemIndex(let index, let systemIndex):
            "the request includes the system index \(systemIndex), so every index in it needs system:admin/system_index explicitly; no mapped role grants it on \(index)"
        case .protectedIndex(let index?, let action):
            "\(index) is a protected index; \(action) is refused on it to users holding none of the roles in protected_indices.roles (reads pass but return no documents)"
        case .protectedIndex(nil, let action):
            "\(action) on all indices would include protected indices; only the roles in protected_indices.roles may do that"
        case .snapshotRestoreDisabled: "snapshot restore by regular users is disabled (enable_snapshot_restore_privilege: false)"
        case .restoreOfAllOrSecurityIndex:
            "restoring all indices or the security index is refused (it would overwrite the security configuration)"
        case .serviceAccountOutsideSystemIndices: "service accounts may only touch system indices when system index permissions are enabled"
        case .tenantIndexNamedDirectly(let index):
            "\(index) is a tenant's Dashboards index: a multi-item request may reach it only through the Dashboards index"
        case .unresolvableIndexExpression(let expression, let problem): "cannot resolve date math \(expression): \(problem)"
        case .multitenancyDisabled:
            "multitenancy is disabled (config.yml kibana.multitenancy_enabled: false): tenants are not evaluated, Dashboards uses its index under index privileges"
        case .privateTenantDisabled: "the private tenant __user__ is disabled (config.yml kibana.private_tenant_enabled: false)"
        case .undefinedTenant(let tenant): "no tenant \(tenant) is defined (tenants.yml or built-in): no role grants anything on it"
        }
    }

    /// A fix step in one sentence.
    public static func explanation(of step: FixStep) -> String {
        switch step.advice {
        case .grant(let user, let explicit):
            let role = step.role ?? ""
            var text = step.isNewRole ? "create role \(role) and map it to \(user)" : "add to role \(role), which \(user) already holds"
            if step.section == .indexPermissions {
                text += ": index_permissions entry for \(list(step.indexPatterns)) with \(list(step.allowedActions))"
            } else {
                text += ": cluster_permissions \(list(step.allowedActions))"
            }
            if explicit { text += " (written out: a bare '*' does not count)" }
            return text
        case .useRegularUser: return "service accounts cannot be granted cluster actions; use a regular user"
        case .securityIndexReserved(let index):
            return "no role can be given access to the security index \(index): its contents are served only to the admin certificate (securityadmin)"
        case .securityIndexReservedForAdmin(let index):
            return "no role can be given this: the security index \(index) is reserved for the admin certificate (securityadmin)"
        case .grantSystemIndexPermission:
            return "grant system:admin/system_index explicitly on that index (index_permissions) to a role the user holds"
        case .enableSystemIndexPermission(let setting):
            return "no role can be given this while \(setting) is false; enable it and grant system:admin/system_index explicitly"
        case .mapToProtectedRole(let setting): return "map the user to one of the roles in \(setting)"
        case .nothingToGrant(let denial): return reason(denial)
        case .enableUser: return "enable the user (enabled: true in internal_users.yml); permissions do not matter while it cannot log in"
        case .grantTenant(let user, let tenant, let group):
            return "add to a role \(user) holds: tenant_permissions entry for \(tenant) with \(group)"
        }
    }
}
