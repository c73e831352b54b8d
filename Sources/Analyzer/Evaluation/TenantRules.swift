import PermissionCatalog

/// Dashboards tenants: may the user read or write saved objects in the tenant the request names,
/// and what happens to a request on the Dashboards index (`.kibana`) when a tenant is named.
/// What differs between releases is read from ``TenantEvaluation`` (the target profile).
///
/// Followed from opensearch-project/security: `privileges/TenantPrivileges.java` (3.1+),
/// `securityconf/ConfigModelV7.java` `TenantHolder.mapTenants` (before 3.1), and
/// `replaceDashboardsIndex` of `privileges/actionlevel/legacy/PrivilegesInterceptor.java` (main
/// bb55e64d) and of `configuration/PrivilegesInterceptorImpl.java` (2.18.0.0):
///
/// - multitenancy off (config.yml `kibana.multitenancy_enabled: false`): tenants are not evaluated;
/// - no tenant named: the global tenant `global_tenant`;
/// - `__user__` (refused when `kibana.private_tenant_enabled: false`) or the user's own name: the
///   private tenant, readable and writable by its user without any grant;
/// - otherwise a held role's `tenant_permissions` entry whose pattern selects a *defined* tenant
///   (tenants.yml or built-in; how `${…}` patterns select is the profile's
///   ``TenantEvaluation/Patterns``). The entry gives write when its allowed_actions, flattened
///   through action groups, contain the exact name `kibana:saved_objects/*/write` (so
///   `kibana_all_write` does, a bare `*` does not), else read;
/// - the legacy global-tenant rule of the profile (``TenantEvaluation/ImplicitGlobalTenant``).
struct TenantRules {
    enum Access { case read, write }

    enum Verdict: Equatable {
        case allow(DecisionNote)
        case deny(DenialReason)
    }

    /// The interceptor's answer for a request (`ReplaceResult`).
    enum Interception: Equatable {
        /// Not a Dashboards-index matter: the evaluation goes on.
        case proceed
        /// Served from the tenant's index: allowed without asking the index privileges.
        case granted(DecisionNote)
        /// Refused by the tenant check (``TenantEvaluation/Refusal`` says what that becomes).
        case refused(DenialReason)
    }

    static let globalTenant = "global_tenant"
    static let privateTenant = "__user__"

    static func access(of action: String) -> Access {
        action.hasSuffix("/write") ? .write : .read
    }

    let evaluator: Evaluator
    /// The subject, its mapped roles and its attributes.
    let context: SubjectContext
    var rules: TenantEvaluation { evaluator.tenantEvaluation }

    init(evaluator: Evaluator, context: SubjectContext) {
        self.evaluator = evaluator
        self.context = context
    }

    init(run: Run) { self.init(evaluator: run.evaluator, context: run.context) }

    // MARK: kibana:saved_objects/*/read|write

    func decide(action: String) -> Verdict {
        guard evaluator.dashboards.multitenancyEnabled else { return .deny(.special(.multitenancyDisabled)) }
        let access = Self.access(of: action)
        let user = context.subject.name
        guard let named = context.subject.requestedTenant, !named.isEmpty else {
            return granted(Self.globalTenant, access: access)
        }
        if named == Self.privateTenant {
            guard privateTenantEnabled else { return .deny(.special(.privateTenantDisabled)) }
            return .allow(.privateTenant(user: user))
        }
        if named == user { return .allow(.privateTenant(user: user)) }
        return granted(named, access: access)
    }

    // MARK: the Dashboards index

    /// True when ``intercept(action:expressions:resolution:multiItem:)`` can only answer `.proceed`:
    /// multitenancy off, or no tenant named and the request not on the Dashboards index alone.
    /// Nearly every request is told here after a few comparisons.
    static func leavesAlone(_ settings: DashboardsSettings, requestedTenant: String?, expressions: [String], resolution: IndexResolution) -> Bool {
        guard settings.multitenancyEnabled else { return true }
        guard (requestedTenant ?? "").isEmpty else { return false }
        let onIndex = resolution.names.count == 1 && resolution.names[0] == settings.index
        let naming = expressions.count == 1 && settings.mayStartWithIndex(expressions[0]) && expressions[0].hasPrefix(settings.index)
        return resolution.isLocalAll || !(onIndex || naming)
    }

    var privateTenantEnabled: Bool { evaluator.dashboards.privateTenantEnabled }

    /// `replaceDashboardsIndex` for a request of `action` on `expressions` (resolved: `resolution`).
    /// `multiItem`: a bulk, mget, msearch or mtermvectors request.
    func intercept(action: String, expressions: [String], resolution: IndexResolution, multiItem: @autoclosure () -> Bool) -> Interception {
        let settings = evaluator.dashboards
        if Self.leavesAlone(settings, requestedTenant: context.subject.requestedTenant, expressions: expressions, resolution: resolution) {
            return .proceed
        }
        let requested = context.subject.requestedTenant ?? ""
        if requested == Self.privateTenant, !settings.privateTenantEnabled { return .refused(.special(.privateTenantDisabled)) }
        let user = context.subject.name
        let isServer = user == settings.serverUsername
        let named = expressions.flatMap { $0.split(separator: ",").map(String.init) }
        let dashboardsOnly = !isServer && !resolution.isLocalAll && (resolution.names == [settings.index] || named == [settings.index])
        let access: Access = rules.isRead(action) ? .read : .write
        guard !requested.isEmpty else {
            if dashboardsOnly, case .deny(let reason) = granted(Self.globalTenant, access: access) { return .refused(reason) }
            return .proceed
        }
        let isPrivate = requested == Self.privateTenant || requested == user
        let tenant = isPrivate ? user : requested
        let tenantIndex = Self.tenantIndexName(settings.index, tenant: tenant)
        let verdict: Verdict = isPrivate ? .allow(.privateTenant(user: user)) : granted(tenant, access: access)
        if !isServer, !resolution.isLocalAll, resolution.names.count == 1, resolution.names[0].hasPrefix(tenantIndex),
           case .allow = verdict {
            return .granted(.tenantIndexServed(tenant: tenant, index: resolution.names[0]))
        }
        if dashboardsOnly {
            switch verdict {
            case .deny(let reason): return .refused(reason)
            case .allow: return .granted(.dashboardsIndexReplaced(index: settings.index, tenant: tenant, tenantIndex: tenantIndex))
            }
        }
        if !isServer, rules.refusesTenantIndexInMultiItemRequests, multiItem(), !resolution.isLocalAll,
           let direct = named.first(where: { $0.hasPrefix(settings.index + "_") }) {
            return .refused(.special(.tenantIndexNamedDirectly(index: direct)))
        }
        return .proceed
    }

    /// The index holding a tenant's saved objects: `<kibana.index>_<Java hashCode of the tenant>_<the
    /// tenant lowercased, without characters outside a-z0-9>` (`toUserIndexName`).
    static func tenantIndexName(_ dashboardsIndex: String, tenant: String) -> String {
        var hash: Int32 = 0
        for unit in tenant.utf16 { hash = hash &* 31 &+ Int32(unit) }
        let cleaned = String(String.UnicodeScalarView(tenant.lowercased().unicodeScalars.filter {
            ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }))
        return "\(dashboardsIndex)_\(hash)_\(cleaned)"
    }

    // MARK: the tenant table

    /// Every tenant the subject may use: true for read-write, false for read-only, and its private
    /// tenant under its own name (read-write), as the authinfo endpoint lists them. The same
    /// `granted` answers the saved-objects and Dashboards-index decisions, as in the plugin: 3.1+
    /// `TenantPrivileges.tenantMap` asks `hasTenantPrivilege` per defined tenant; before 3.1
    /// `ConfigModelV7.TenantHolder.mapTenants` is the table those decisions look up. Built-in
    /// `global_tenant` is always defined, so the legacy global-tenant rule is covered.
    func table() -> [String: Bool] {
        var table: [String: Bool] = [:]
        for tenant in evaluator.config.tenants.keys {
            if case .allow = granted(tenant, access: .write) {
                table[tenant] = true
            } else if case .allow = granted(tenant, access: .read) {
                table[tenant] = false
            }
        }
        table[context.subject.name] = true
        return table
    }

    /// Whether the held roles give `access` to a tenant: `hasTenantPrivilege` (3.1+) or the
    /// `mapTenants` table (before 3.1), for a defined or undefined tenant.
    private func granted(_ tenant: String, access: Access) -> Verdict {
        let defined = evaluator.config.tenants[tenant] != nil
        let mapped = context.mapped.map(\.name)
        // Readers through patterns without `${…}` (the precomputed table of 3.1+), for the legacy rule.
        var readers: [String] = [], writers: [String] = [], plainReaders: [String] = []
        if defined {
            for role in mapped {
                guard let definition = evaluator.config.roles[role] else { continue }
                for entry in definition.tenantPermissions {
                    let matching = entry.tenantPatterns.filter { selects($0.value, tenant) }
                    guard !matching.isEmpty else { continue }
                    let actions = evaluator.groups.resolve(entry.allowedActions.map(\.value))
                    if actions.contains("kibana:saved_objects/*/write") { writers.append(role) }
                    readers.append(role)
                    if matching.contains(where: { !$0.value.contains("${") }) { plainReaders.append(role) }
                }
            }
        }
        let holders = access == .write ? writers : readers
        if !holders.isEmpty { return .allow(.tenantGranted(tenant: tenant, roles: Array(Set(holders)).sorted())) }
        if tenant == Self.globalTenant, let role = implicitGlobalRole(mapped: mapped, readers: readers, plainReaders: plainReaders) {
            return .allow(.implicitGlobalTenantAccess(role: role))
        }
        guard defined else { return .deny(.special(.undefinedTenant(tenant: tenant))) }
        return .deny(.missingTenantPrivilege(tenant: tenant, write: access == .write))
    }

    /// The held role through which the legacy rule opens the global tenant, if it does.
    private func implicitGlobalRole(mapped: [String], readers: [String], plainReaders: [String]) -> String? {
        switch rules.implicitGlobalTenant {
        case .kibanaUserWithoutPlainReadGrant:
            return mapped.contains("kibana_user") && plainReaders.isEmpty ? "kibana_user" : nil
        case .kibanaUserOrAllAccessWithoutAnyGrant:
            guard readers.isEmpty else { return nil }
            return ["kibana_user", "all_access", "ALL_ACCESS"].first(where: mapped.contains)
        }
    }

    /// Whether a tenant pattern selects `tenant` (already known to be defined).
    private func selects(_ pattern: String, _ tenant: String) -> Bool {
        switch rules.patterns {
        case .templatesRendered:
            if pattern.contains("${") { return context.render(pattern, evaluator: evaluator).matches(tenant) }
            return Pattern(pattern).matches(tenant)
        case .attributePrefixReplaced:
            if pattern.hasPrefix("${attr") { return UserAttributes.substitute(pattern, context.variables) == tenant }
            return Pattern(pattern).matches(tenant)
        case .wildcardsOnly:
            return Pattern(pattern).matches(tenant)
        }
    }
}

/// config.yml's `kibana` settings, read once per evaluator (the Dashboards-index step runs on
/// every decision): `multitenancy_enabled` (default true), `private_tenant_enabled` (true),
/// `index` (`.kibana`) and `server_username` (`kibanaserver`), the defaults of `ConfigV7.Kibana`.
/// A class: handing it to a step costs one reference, not a copy of its strings.
final class DashboardsSettings: Sendable {
    let multitenancyEnabled: Bool
    let privateTenantEnabled: Bool
    let index: String
    let serverUsername: String

    init(_ dynamic: DynamicSettings) {
        multitenancyEnabled = dynamic.multitenancyEnabled
        privateTenantEnabled = dynamic.raw[path: "kibana.private_tenant_enabled"]?.bool ?? true
        index = dynamic.raw[path: "kibana.index"]?.string ?? ".kibana"
        serverUsername = dynamic.raw[path: "kibana.server_username"]?.string ?? "kibanaserver"
        indexBytes = index.utf8.allSatisfy { $0 < 0x80 } ? Array(index.utf8) : nil
    }

    /// The Dashboards index name's bytes when it is ASCII, else nil.
    private let indexBytes: [UInt8]?

    /// False only when `text.hasPrefix(index)` is false too; a byte comparison for the common case.
    /// The text is told apart only where it is shorter or its first differing byte is ASCII: an ASCII
    /// character is canonically equivalent to itself alone. Some non-ASCII characters are equivalent
    /// to an ASCII one (U+037E GREEK QUESTION MARK is `;`, U+212A KELVIN SIGN is `K`), so a
    /// differing non-ASCII byte leaves the answer to `hasPrefix`.
    func mayStartWithIndex(_ text: String) -> Bool {
        guard let indexBytes else { return true }
        var utf8 = text.utf8.makeIterator()
        for byte in indexBytes {
            let next = utf8.next()
            if next != byte { return next.map { $0 >= 0x80 } ?? false }
        }
        return true
    }
}

extension Run {
    /// The multi-item requests (`BulkRequest`, `MultiGetRequest`, `MultiSearchRequest`,
    /// `MultiTermVectorsRequest`), checked at cluster level.
    static let multiItemActions: Set<String> = ["indices:data/write/bulk", "indices:data/read/mget", "indices:data/read/msearch",
                                                "indices:data/read/mtv"]

    /// The privileges interceptor's step on a request (`clusterLevel`: after the cluster privilege
    /// passed) or on one index-level request (`named`: the expressions it names; empty for the
    /// sub-requests of a multi-item request, which name concrete indices). True when it decided.
    mutating func interceptDashboardsIndex(action: String, named: [String], resolution: IndexResolution, clusterLevel: Bool) -> Bool {
        if TenantRules.leavesAlone(evaluator.dashboards, requestedTenant: subject.requestedTenant, expressions: named, resolution: resolution) {
            return false
        }
        let rules = TenantRules(run: self)
        // The multi-item test (a set lookup) only runs on the rare path that needs it.
        switch rules.intercept(action: action, expressions: named, resolution: resolution,
                               multiItem: clusterLevel && Run.multiItemActions.contains(action)) {
        case .proceed:
            return false
        case .granted(let reason):
            outcome = .allow
            allowed = resolution.names
            if explain { notes.append(reason) }
            return true
        case .refused(let reason):
            let refusal = clusterLevel ? rules.rules.refusalOnClusterAction : rules.rules.refusalOnIndexAction
            if explain { notes.append(.tenantCheckRefused(reason, ignored: refusal == .allowed)) }
            switch refusal {
            case .deniedNamingAction:
                outcome = .deny
                if records { recordDenial(reason, missing: [action]) }
            case .deniedListingNothing:
                outcome = .deny
                if records { recordDenial(reason, missing: []) }
            case .allowed: return false  // only logged: the request goes on as the cluster privilege allowed it
            }
            return true
        }
    }
}
