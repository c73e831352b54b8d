import Foundation

/// One request being answered: who asks, with which configuration, and the route it takes.
struct RequestContext {
    let request: ClusterRequest
    let peer: PeerIdentity
    let caller: Caller
    let snapshot: SimulatedCluster.Snapshot
    let cluster: SimulatedCluster
    let query: [String: String]

    init(request: ClusterRequest, peer: PeerIdentity, caller: Caller, snapshot: SimulatedCluster.Snapshot, cluster: SimulatedCluster) {
        self.request = request
        self.peer = peer
        self.caller = caller
        self.snapshot = snapshot
        self.cluster = cluster
        query = RequestContext.parameters(request.query)
    }

    var behaviour: ReleaseBehaviour { cluster.behaviour }
    var evaluator: Evaluator { snapshot.evaluator }

    /// Query parameters, percent-decoded; a parameter without `=` has the empty value.
    static func parameters(_ raw: String?) -> [String: String] {
        guard let raw, !raw.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for pair in raw.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ") }
            let key = parts[0].removingPercentEncoding ?? parts[0]
            result[key] = parts.count == 2 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
        }
        return result
    }

    // MARK: dispatch

    func answer() -> SimulatedExchange {
        if let rest = securityPluginPath() { return SecurityPluginRoutes(context: self).answer(rest) }
        return DataPlane(context: self).answer()
    }

    /// The path under the security plugin's prefix (`/authinfo`, `/api/roles/x`), nil elsewhere.
    private func securityPluginPath() -> String? {
        for prefix in behaviour.prefixes where request.path == prefix || request.path.hasPrefix(prefix + "/") {
            return String(request.path.dropFirst(prefix.count))
        }
        return nil
    }

    // MARK: building exchanges

    func exchange(_ response: ClusterResponse, route: String?, actions: [String] = [], outcome: SimulationLogEntry.Outcome? = nil,
                  reason: String? = nil) -> SimulatedExchange {
        let derived: SimulationLogEntry.Outcome = response.status == 403 ? .denied : (response.status == 401 ? .unauthenticated : (response.status >= 400 ? .invalid : .allowed))
        return SimulatedExchange(response: response, log: SimulationLogEntry(
            user: caller.subject.name, method: request.method, path: request.path, route: route, actionsChecked: actions,
            outcome: outcome ?? derived, status: response.status, forbiddenMessage: reason))
    }

    /// The caller prepared for the evaluator, through the public ``SubjectResolver`` (an internal
    /// user brings its backend roles, attributes and security roles; the authenticated order of
    /// the backend roles, the caller's address and the `securitytenant` header are kept: the
    /// tenant decides requests on the Dashboards index, and the 403 text names it).
    func preparedSubject() -> PreparedSubject? {
        let subject = caller.subject
        var request = SubjectRequest(user: subject.name)
        request.replaceBackendRoles = true
        request.backendRoles = subject.backendRoles
        request.host = subject.host
        request.requestedTenant = subject.requestedTenant
        if !caller.isInternalUser { request.roles = subject.securityRoles }
        guard let resolved = try? SubjectResolver.resolve(request, config: snapshot.config) else { return nil }
        return evaluator.prepare(resolved)
    }

    // MARK: the caller as the plugin prints it

    /// `User [name=…, backend_roles=[…], requestedTenant=…]` (`User.toString`).
    var userText: String {
        "User [name=\(caller.subject.name), backend_roles=[\(caller.subject.backendRoles.joined(separator: ", "))], requestedTenant=\(caller.subject.requestedTenant ?? "null")]"
    }

    /// The caller's mapped roles that exist… and those that do not: the plugin lists every mapped name.
    var mappedRoles: [String] {
        let names = evaluator.context(for: caller.subject).mapped.map(\.name)
        return behaviour.listsInHashOrder ? JavaHashOrder.order(names) : names
    }

    /// `attr.*` keys of the caller, in HashMap order.
    var attributeNames: [String] { JavaHashOrder.order(caller.subject.attributes.keys.sorted()) }
}
