/// The security plugin's own REST handlers outside the data plane: `authinfo`, `api/account`,
/// and the Security REST API under `api/` behind its access gate.
struct SecurityPluginRoutes {
    let context: RequestContext

    var method: String { context.request.method }

    func answer(_ path: String) -> SimulatedExchange {
        let segments = RouteTable.segments(path).map { $0.removingPercentEncoding ?? $0 }
        switch (method, segments.first, segments.count) {
        case ("GET", "authinfo", 1), ("POST", "authinfo", 1):
            return context.exchange(Responses.json(200, InfoBodies(context: context).authinfo), route: "\(method) {prefix}/authinfo")
        case (_, "api", _) where segments.count >= 2:
            return api(Array(segments.dropFirst()))
        default:
            return context.exchange(unserved(), route: nil)
        }
    }

    /// A route of the plugin secperm does not simulate (501, said plainly), or OpenSearch's answer
    /// for a path no handler takes.
    private func unserved() -> ClusterResponse {
        let table = context.cluster.planner.table
        if table.match(method: method, path: context.request.path) != nil || !table.methods(for: context.request.path).isEmpty {
            return Responses.restStatus(501, "secperm simulate does not simulate \(method) \(context.request.path)")
        }
        return noHandler()
    }

    private func noHandler() -> ClusterResponse {
        Responses.json(400, .object([("error", .string("no handler found for uri [\(context.request.path)] and method [\(method)]"))]))
    }

    private func api(_ segments: [String]) -> SimulatedExchange {
        let route = "\(method) {prefix}/api/\(segments[0])\(segments.count > 1 ? "/{name}" : "")"
        if segments[0] == "account", segments.count == 1 {
            let response = method == "GET" ? Responses.json(200, InfoBodies(context: context).account)
                : (method == "PUT" ? AccountChange(context: context).answer() : Responses.restStatus(501, "Method \(method) not supported for this action."))
            return context.exchange(response, route: route)
        }
        guard let endpoint = SecurityEndpoint(segment: segments[0]), segments.count <= 2 else {
            return context.exchange(unserved(), route: nil)
        }
        if let reason = gate(endpoint) {
            let message = "No permission to access REST API: " + reason
            return context.exchange(Responses.restStatus(403, message), route: route, actions: ["<rest-api-role>"], outcome: .denied, reason: message)
        }
        let response = SecurityAPI(context: context, endpoint: endpoint, name: segments.count == 2 ? segments[1] : nil).answer()
        return context.exchange(response, route: route, actions: ["<rest-api-role>"])
    }

    /// `RestApiPrivilegesEvaluator.checkAccessPermissions`: a role listed in `restapi.roles_enabled`,
    /// or the admin certificate (or, per security-layer-responses.md, a REST admin of the endpoint).
    /// The reason when refused: the role part, ". ", the certificate part.
    func gate(_ endpoint: SecurityEndpoint) -> String? {
        if context.caller.isSuperAdmin { return nil }
        let roles = context.mappedRoles
        let enabled = context.cluster.settings.restRolesEnabled
        let roleReason: String
        if enabled.isEmpty {
            roleReason = "Role based access not enabled."
        } else if roles.contains(where: enabled.contains) {
            return nil
        } else {
            roleReason = "User \(context.caller.subject.name) with Security roles [\(roles.joined(separator: ", "))] does not have any role privileged for admin access"
        }
        if SecurityPluginRoutes.isRestAdmin(context, permission: endpoint.permission) { return nil }
        let certificateReason: String
        if !context.peer.isTLS {
            certificateReason = "No ssl info found in request."
        } else if let dn = context.peer.clientCertificateDN {
            certificateReason = "Security admin permissions required but \(dn) is not an admin"
        } else {
            certificateReason = "No client TLS certificate found in request"
        }
        return roleReason + ". " + certificateReason
    }

    /// `isCurrentUserAdminFor(endpoint)`: the super admin, or (2.8+, `restapi.admin.enabled: true`)
    /// a user with the explicit cluster permission `restapi:admin/<endpoint>` (a bare `*` does not count).
    static func isRestAdmin(_ context: RequestContext, permission: String) -> Bool {
        if context.caller.isSuperAdmin { return true }
        guard context.behaviour.hasRestAdmin, context.cluster.settings.restAdminEnabled else { return false }
        let prepared = context.evaluator.prepare(ResolvedSubject(subject: context.caller.subject, notes: [], canAuthenticate: true))
        return context.evaluator.outcome(prepared, action: permission, indices: []) != .deny
    }
}

/// `PUT {prefix}/api/account`: an internal user changes their own password, proving the current one.
struct AccountChange {
    let context: RequestContext

    func answer() -> ClusterResponse {
        let validator = ContentValidator(endpoint: .internalusers, allowed: ["current_password": .string, "password": .string, "hash": .string])
        let content: ConfigValue
        do { content = try validator.validate(context.request.body) } catch { return Responses.json(400, error.body) }
        let name = context.caller.subject.name
        guard context.caller.isInternalUser, let stored = context.snapshot.documents.entries(.internalusers)[name] else {
            return Responses.restStatus(404, "user '\(name)' not found.")
        }
        let current = content.map?["current_password"]?.string ?? ""
        guard let hash = stored.map?["hash"]?.string, context.cluster.hasher.verify(current, against: hash) else {
            return Responses.restStatus(400, "Could not validate your current password.")
        }
        guard let password = content.map?["password"]?.string, !password.isEmpty, let newHash = context.cluster.hasher.hash(password) else {
            return Responses.json(400, ContentValidator.error("Password is too short").body)
        }
        do {
            try context.cluster.update { documents in
                var entries = documents.entries(.internalusers)
                guard var entry = entries[name]?.map else { return }
                entry["hash"] = .string(newHash)
                entries[name] = .map(entry)
                documents.setEntries(.internalusers, entries)
            }
        } catch {
            return Responses.restStatus(500, "Error \(error.diagnostics.first?.message ?? "")")
        }
        return Responses.restStatus(200, "'\(name)' updated.")
    }
}
