/// Bodies of `GET /`, `authinfo` and `account`, field for field as the releases write them
/// (security-layer-responses.md "GET /" and "authinfo"; plugin sources `rest/SecurityInfoAction.java`,
/// `dlic/rest/api/AccountApiAction.java`).
struct InfoBodies {
    let context: RequestContext

    var caller: Caller { context.caller }

    /// `GET {prefix}/authinfo`.
    var authinfo: JSON {
        let subject = caller.subject
        return .object([
            ("user", .string(context.userText)),
            ("user_name", .string(subject.name)),
            ("user_requested_tenant", subject.requestedTenant.map(JSON.string) ?? .null),
            ("remote_address", .string(context.peer.remoteAddress)),
            ("backend_roles", JSON.strings(subject.backendRoles)),
            ("custom_attribute_names", JSON.strings(context.attributeNames)),
            ("roles", JSON.strings(context.mappedRoles)),
            ("tenants", tenants),
            ("principal", caller.principal.map(JSON.string) ?? .null),
            ("peer_certificates", .string(context.peer.clientCertificateDN == nil ? "0" : "1")),
            ("sso_logout_url", .null),
        ])
    }

    /// `GET {prefix}/api/account`.
    var account: JSON {
        let subject = caller.subject
        let stored = context.snapshot.config.internalUsers[subject.name]
        return .object([
            ("user_name", .string(subject.name)),
            ("is_reserved", .bool(stored?.flags.reserved ?? false)),
            ("is_hidden", .bool(stored?.flags.hidden ?? false)),
            ("is_internal_user", .bool(stored != nil)),
            ("user_requested_tenant", subject.requestedTenant.map(JSON.string) ?? .null),
            ("backend_roles", JSON.strings(subject.backendRoles)),
            ("custom_attribute_names", JSON.strings(context.attributeNames)),
            ("tenants", tenants),
            ("roles", JSON.strings(context.mappedRoles)),
        ])
    }

    /// Tenant → true (read-write) / false (read-only), plus the private tenant under the user's
    /// name (`TenantPrivileges.tenantMap`; before 3.1 `ConfigModelV7.TenantHolder.mapTenants`), in
    /// HashMap order.
    var tenants: JSON {
        var map = TenantAccess(evaluator: context.evaluator).access(for: caller.subject)
        if context.behaviour.legacyTenantMap, map["global_tenant"] == nil,
           context.mappedRoles.contains(where: { ["kibana_user", "all_access", "ALL_ACCESS"].contains($0) }) {
            map["global_tenant"] = true
        }
        map[caller.subject.name] = true
        return .object(JavaHashOrder.order(map.keys.sorted()).map { ($0, .bool(map[$0] ?? false)) })
    }

    /// `GET /` (`RestMainAction`): pretty-printed unless `?pretty` is given.
    static func main(_ behaviour: ReleaseBehaviour) -> JSON {
        var version: [(String, JSON)] = []
        if let distribution = behaviour.distribution { version.append(("distribution", .string(distribution))) }
        version.append(("number", .string(behaviour.versionNumber)))
        if behaviour.isOpenDistro { version.append(("build_flavor", .string("oss"))) }
        version += [
            ("build_type", .string("tar")),
            ("build_hash", .string("0000000000000000000000000000000000000000")),
            ("build_date", .string("2026-01-01T00:00:00.000000Z")),
            ("build_snapshot", .bool(false)),
            ("lucene_version", .string(behaviour.luceneVersion)),
            ("minimum_wire_compatibility_version", .string(behaviour.isOpenDistro ? "6.8.0" : (behaviour.profile.version.isAtLeast(3) ? "2.19.0" : "7.10.0"))),
            ("minimum_index_compatibility_version", .string(behaviour.isOpenDistro ? "6.0.0-beta1" : (behaviour.profile.version.isAtLeast(3) ? "2.0.0" : "7.0.0"))),
        ]
        return .object([
            ("name", .string("secperm-simulate")),
            ("cluster_name", .string("secperm-simulate")),
            ("cluster_uuid", .string("c2VjcGVybS1zaW11bGF0ZQ")),
            ("version", .object(version)),
            ("tagline", .string(behaviour.tagline)),
        ])
    }
}

/// Which tenants a subject may use (`TenantPrivileges`): a `tenant_permissions` entry whose
/// actions resolve to `kibana:saved_objects/*/write` gives read-write, any other gives read.
struct TenantAccess {
    let evaluator: Evaluator

    func access(for subject: Subject) -> [String: Bool] {
        let context = evaluator.context(for: subject)
        let roles = context.held.compactMap { evaluator.config.roles[$0.name] }
        var result: [String: Bool] = [:]
        for role in roles {
            for permission in role.tenantPermissions {
                let actions = evaluator.groups.resolve(permission.allowedActions.map(\.value))
                let writes = actions.contains("kibana:saved_objects/*/write")
                let patterns = permission.tenantPatterns.map { context.render($0.value, evaluator: evaluator) }
                for tenant in evaluator.config.tenants.keys where patterns.contains(where: { $0.matches(tenant) }) {
                    result[tenant] = (result[tenant] ?? false) || writes
                }
            }
        }
        return result
    }
}
