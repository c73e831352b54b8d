/// The Security REST API for configuration entries (`{prefix}/api/roles|rolesmapping|actiongroups|
/// internalusers|tenants`): GET one/all, PUT, PATCH (RFC 6902 on one entry or the collection),
/// DELETE, with the validation and messages of the target release (AbstractApiAction,
/// EndpointValidator and the endpoints' validators of 2.11 for 2.10+; the 1.3 AbstractApiAction
/// for earlier releases and Open Distro). The stored documents stay the source of truth: a change
/// rewrites the type's document (all entries as full models) and the evaluator is rebuilt from it.
struct SecurityAPI {
    let context: RequestContext
    let endpoint: SecurityEndpoint
    let name: String?

    typealias Failure = ClusterResponse

    var behaviour: ReleaseBehaviour { context.behaviour }
    var newStyle: Bool { behaviour.hasNewRestMessages }
    var cluster: SimulatedCluster { context.cluster }
    var documents: SecurityDocuments { context.snapshot.documents }

    /// Super admin, or (2.8+, `restapi.admin.enabled`) an explicit `restapi:admin/<endpoint>` grant.
    var isAdmin: Bool { SecurityPluginRoutes.isRestAdmin(context, permission: endpoint.permission) }

    func answer() -> ClusterResponse {
        do {
            switch context.request.method {
            case "GET": return try get()
            case "PUT": return try put()
            case "DELETE": return try delete()
            case "PATCH": return try patch()
            default: return Responses.restStatus(501, "Method \(context.request.method) not supported for this action.")
            }
        } catch {
            return error.response
        }
    }

    struct Refusal: Error {
        let response: ClusterResponse
        init(_ status: Int, _ message: String) { response = Responses.restStatus(status, message) }
        init(body: JSON) { response = Responses.json(400, body) }
    }

    // MARK: entries

    /// Stored entries plus the built-in ones (`DynamicConfigFactory.addStatics`).
    var merged: [String: ConfigValue] {
        var entries = documents.entries(endpoint.configType)
        for (key, value) in endpoint.staticEntries(cluster.catalog) { entries[key] = value }
        return entries
    }

    static func flag(_ entry: ConfigValue?, _ key: String) -> Bool { entry?.map?[key]?.bool ?? false }

    private func render(_ entries: [String: ConfigValue]) -> JSON {
        .object(JavaHashOrder.order(entries.keys.sorted()).compactMap { key in entries[key].map { (key, endpoint.render($0)) } })
    }

    // MARK: GET

    private func get() throws(Refusal) -> ClusterResponse {
        var entries = merged
        let seesHidden = newStyle ? isAdmin : context.caller.isSuperAdmin
        if !seesHidden { entries = entries.filter { !SecurityAPI.flag($0.value, "hidden") } }
        if endpoint == .internalusers {
            entries = entries.mapValues { entry in
                guard var map = entry.map else { return entry }
                map["hash"] = .string("")
                return .map(map)
            }
        }
        guard let name else { return Responses.json(200, render(entries)) }
        guard let entry = entries[name] else {
            throw Refusal(404, newStyle ? "\(endpoint.resourceName) '\(name)' not found." : "Resource '\(name)' not found.")
        }
        return Responses.json(200, render([name: entry]))
    }

    // MARK: checks shared by changes

    /// `isAllowedToChangeImmutableEntity` (2.10+) / `isWriteable` (earlier) for an entry of this endpoint.
    private func checkMutable(_ entryName: String, in entries: [String: ConfigValue], endpoint: SecurityEndpoint? = nil) throws(Refusal) {
        let entry = entries[entryName]
        if newStyle {
            guard !isAdmin else { return }
            if SecurityAPI.flag(entry, "hidden") { throw Refusal(404, "Resource '\(entryName)' is not available.") }
            if SecurityAPI.flag(entry, "static") { throw Refusal(403, "Resource '\(entryName)' is static.") }
            if SecurityAPI.flag(entry, "reserved") { throw Refusal(403, "Resource '\(entryName)' is reserved.") }
        } else {
            if SecurityAPI.flag(entry, "hidden"), !context.caller.isSuperAdmin { throw Refusal(404, "Resource '\(entryName)' is not available.") }
            if SecurityAPI.flag(entry, "reserved") || SecurityAPI.flag(entry, "static"), !context.caller.isSuperAdmin {
                throw Refusal(403, "Resource '\(entryName)' is read-only.")
            }
        }
    }

    /// Roles and action groups granting `restapi:admin/*` can be changed by a REST admin only (2.8+).
    private func checkRestAdminContent(existing: ConfigValue?, new: ConfigValue?) throws(Refusal) {
        guard behaviour.hasRestAdmin, !isAdmin else { return }
        switch endpoint {
        case .roles, .actiongroups:
            let subject = existing ?? new
            if endpoint.containsRestAdminPermissions(subject) { throw Refusal(403, "Access denied") }
        case .rolesmapping:
            if SecurityEndpoint.roles.containsRestAdminPermissions(rolesMerged[name ?? ""]) { throw Refusal(403, "Access denied") }
        default: break
        }
    }

    private var rolesMerged: [String: ConfigValue] {
        var entries = documents.entries(.roles)
        for (key, value) in SecurityEndpoint.roles.staticEntries(cluster.catalog) { entries[key] = value }
        return entries
    }

    /// The roles a mapping or a user's `opendistro_security_roles` name must exist and not be hidden.
    private func checkRolesExist(_ roles: [String]) throws(Refusal) {
        let known = rolesMerged
        for role in roles {
            if newStyle {
                guard known[role] != nil else { throw Refusal(404, "role '\(role)' not found.") }
                if SecurityAPI.flag(known[role], "hidden"), !isAdmin { throw Refusal(404, "Resource '\(role)' is not available.") }
            } else if known[role] == nil || SecurityAPI.flag(known[role], "hidden") {
                throw Refusal(404, "Role '\(role)' is not available for role-mapping.")
            }
        }
    }

    /// Endpoint checks of a new or changed entry (`onConfigChange` of each endpoint's validator).
    private func checkChange(_ entryName: String, content: ConfigValue, entries: [String: ConfigValue]) throws(Refusal) {
        try checkMutable(entryName, in: entries)
        try checkRestAdminContent(existing: entries[entryName], new: content)
        switch endpoint {
        case .rolesmapping:
            try checkRolesExist([entryName])
        case .actiongroups where newStyle:
            if rolesMerged[entryName] != nil {
                throw Refusal(400, "\(entryName) is an existing role. A action group cannot be named with an existing role name.")
            }
            if content.map?["allowed_actions"]?.list?.contains(.string(entryName)) ?? false {
                throw Refusal(400, "\(entryName) cannot be an allowed_action of itself")
            }
        case .internalusers:
            try checkRolesExist(content.map?["opendistro_security_roles"]?.list?.compactMap(\.string) ?? [])
        default: break
        }
    }

    private var validator: ContentValidator {
        ContentValidator(endpoint: endpoint, allowed: endpoint.allowedKeys(admin: isAdmin, hiddenAllowed: behaviour.adminMayWriteHidden),
                         legacy: !newStyle)
    }

    private func validated(_ value: ConfigValue) throws(Refusal) {
        do { try validator.validate(value) } catch { throw Refusal(body: error.body) }
    }

    // MARK: PUT

    private func put() throws(Refusal) -> ClusterResponse {
        guard let name else { throw Refusal(400, "No \(endpoint.resourceName) specified.") }
        let content: ConfigValue
        do { content = try validator.validate(context.request.body) } catch { throw Refusal(body: error.body) }
        let entries = merged
        try checkChange(name, content: content, entries: entries)
        let stored = try storedForm(name, content: content, existing: entries[name])
        let existed = entries[name] != nil
        try save { $0[name] = stored }
        return existed ? Responses.restStatus(200, "'\(name)' updated.") : Responses.restStatus(201, "'\(name)' created.")
    }

    /// The entry as the index stores it after a REST write: the full model; for internal users the
    /// password hashed (bcrypt through crypt(3)) and an existing hash kept when none is given.
    private func storedForm(_ entryName: String, content: ConfigValue, existing: ConfigValue?) throws(Refusal) -> ConfigValue {
        var map = content.map ?? [:]
        if endpoint == .internalusers {
            if let password = map["password"]?.string, !password.isEmpty {
                guard let hash = cluster.hasher.hash(password) else { throw Refusal(500, "Error hashing the password") }
                map["hash"] = .string(hash)
            }
            map["password"] = nil
            if map["hash"]?.string.map({ $0.isEmpty }) ?? true {
                guard let old = existing?.map?["hash"]?.string, !old.isEmpty else {
                    if existing == nil { throw Refusal(400, "Please specify either 'hash' or 'password' when creating a new internal user.") }
                    throw Refusal(500, "Existing user \(entryName) has no password, and no new password or hash was specified.")
                }
                map["hash"] = .string(old)
            }
            for key in ["enabled", "service"] where map[key] == nil { map[key] = existing?.map?[key] }
        }
        return SecurityAPI.modelForm(.map(map), endpoint: endpoint)
    }

    /// The full model of an entry without `static` (never stored), keeping the internal user's
    /// `enabled`/`service` flags when given.
    static func modelForm(_ entry: ConfigValue, endpoint: SecurityEndpoint) -> ConfigValue {
        guard var map = endpoint.render(entry).configValue.map else { return entry }
        map["static"] = nil
        if endpoint == .internalusers {
            for key in ["enabled", "service"] { if let value = entry.map?[key] { map[key] = value } }
        }
        return .map(map)
    }

    /// Rewrites the type's document with every stored entry as a full model (statics left out).
    private func save(_ change: (inout [String: ConfigValue]) -> Void) throws(Refusal) {
        let type = endpoint.configType
        let endpoint = endpoint
        let statics = Set(endpoint.staticEntries(cluster.catalog).keys)
        do {
            try cluster.update { documents in
                var entries = documents.entries(type)
                change(&entries)
                entries = entries.filter { !statics.contains($0.key) }.mapValues { SecurityAPI.modelForm($0, endpoint: endpoint) }
                documents.setEntries(type, entries)
            }
        } catch {
            throw Refusal(500, "Error \(error.diagnostics.first?.message ?? "the configuration does not load")")
        }
    }

    // MARK: DELETE

    private func delete() throws(Refusal) -> ClusterResponse {
        guard let name else { throw Refusal(400, "No \(endpoint.resourceName) specified.") }
        let entries = merged
        try checkMutable(name, in: entries)
        if newStyle { try checkRestAdminContent(existing: entries[name], new: nil) }
        guard entries[name] != nil else {
            throw Refusal(404, newStyle ? "\(endpoint.resourceName) '\(name)' not found." : "\(endpoint.resourceName) \(name) not found.")
        }
        try save { $0[name] = nil }
        return Responses.restStatus(200, "'\(name)' deleted.")
    }

    // MARK: PATCH

    private func patch() throws(Refusal) -> ClusterResponse {
        guard let body = ConfigValue.parseJSON(context.request.body), let list = body.list else {
            throw Refusal(400, "Wrong request body")
        }
        guard let operations = JSONPatch.operations(body), !list.isEmpty else { throw Refusal(400, "Wrong request body") }
        for operation in operations where !["add", "replace", "remove"].contains(operation.op) {
            throw Refusal(400, "Unsupported patch operation: \(operation.op). Supported are: add,replace,remove")
        }
        let entries = merged
        let view = ConfigValue.map(entries.mapValues { endpoint.render($0, omitDefaults: true).configValue })
        if let name { return try patchEntity(name, operations: operations, entries: entries, view: view) }
        return try patchCollection(operations, entries: entries, view: view)
    }

    private func patchEntity(_ name: String, operations: [JSONPatch.Operation], entries: [String: ConfigValue], view: ConfigValue) throws(Refusal) -> ClusterResponse {
        try checkMutable(name, in: entries)
        guard let before = view.map?[name] else {
            throw Refusal(404, newStyle ? "\(endpoint.resourceName) '\(name)' not found." : "\(endpoint.resourceName) \(name) not found.")
        }
        let patched: ConfigValue
        do { patched = try JSONPatch.apply(operations, to: before) } catch { throw Refusal(400, error.message) }
        if behaviour.reportsNoUpdates, patched == before { return Responses.restStatus(200, "No updates required") }
        try validated(patched)
        try checkChange(name, content: patched, entries: entries)
        let stored = try storedForm(name, content: patched, existing: entries[name])
        try save { $0[name] = stored }
        return Responses.restStatus(200, "'\(name)' updated.")
    }

    private func patchCollection(_ operations: [JSONPatch.Operation], entries: [String: ConfigValue], view: ConfigValue) throws(Refusal) -> ClusterResponse {
        let patched: ConfigValue
        do { patched = try JSONPatch.apply(operations, to: view) } catch { throw Refusal(400, error.message) }
        if behaviour.reportsNoUpdates, patched == view { return Responses.restStatus(200, "No updates required") }
        var names: [String] = []
        for operation in operations { if let first = operation.path.first, !names.contains(first) { names.append(first) } }
        var changes: [String: ConfigValue?] = [:]
        for entryName in names {
            let before = view.map?[entryName]
            let after = patched.map?[entryName]
            if before != nil, before != after { try checkMutable(entryName, in: entries) }
            guard let after else {
                changes[entryName] = .some(nil)
                continue
            }
            if before == nil || before != after { try validated(after) }
            try checkChange(entryName, content: after, entries: entries)
            changes[entryName] = .some(try storedForm(entryName, content: after, existing: entries[entryName]))
        }
        try save { stored in
            for (entryName, value) in changes { stored[entryName] = value ?? nil }
        }
        return Responses.restStatus(200, "Resource updated.")
    }
}
