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
    /// name (``TenantRules/table()``), in HashMap order.
    var tenants: JSON {
        let subject = caller.subject
        let map = TenantRules(evaluator: context.evaluator, context: context.evaluator.context(for: subject)).table()
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
