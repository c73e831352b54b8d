import Foundation

/// Data-plane requests: the route's actions from the ``RequestPlanner`` (bodies included),
/// authorized by the ``Evaluator`` in the plugin's order, answered with the release's 403 body,
/// item errors inside bulk / msearch / mget responses, or a minimal 200 (security-layer-responses.md
/// "Transport-level denials", "Dry-run permission check").
struct DataPlane {
    let context: RequestContext

    var request: ClusterRequest { context.request }
    var evaluator: Evaluator { context.evaluator }

    func answer() -> SimulatedExchange {
        guard let console = consoleRequest() else {
            return context.exchange(Responses.exception(400, type: "parse_exception", reason: "request body is required or is not valid JSON"), route: nil)
        }
        let plan = context.cluster.planner.plan(console)
        guard let route = plan.route else { return unknownRoute(plan) }
        let routeName = "\(route.method) \(route.path)"
        if let check = context.query["perform_permission_check"] {
            guard context.behaviour.hasPermissionCheck else {
                return context.exchange(Responses.exception(400, type: "illegal_argument_exception",
                                                            reason: "request [\(request.path)] contains unrecognized parameter: [perform_permission_check]"),
                                        route: routeName)
            }
            if check == "true" { return permissionCheck(plan, route: routeName) }
        }
        if context.caller.isSuperAdmin, let id = securityIndexDocument(route: route, plan: plan) {
            return context.exchange(SecurityIndexDocuments(context: context).answer(id: id, head: request.method == "HEAD"), route: routeName)
        }
        let checks = Checks(context: context, plan: plan)
        let family = RouteFamily(route.path)
        switch family {
        case .bulk: return BulkExecution(context: context, plan: plan, checks: checks, route: routeName).answer()
        case .multiSearch: return multiSearch(plan, checks: checks, route: routeName)
        case .multiGet: return multiGet(plan, checks: checks, route: routeName)
        case .other:
            var checked: [String] = []
            if let reason = globalStateRestore(plan, route: route) {
                return context.exchange(Responses.forbidden(reason), route: routeName, actions: ["cluster:admin/snapshot/restore"], reason: reason)
            }
            var requirements = plan.requirements
            if let named = namedRoute(route), let first = requirements.first, first.action == named {
                // SecurityRestFilter.authorizeRequest: a NamedRoute's name is checked at the REST
                // layer; a denial is a 401 whose text is the 403 reason (rest-actions.md §3.3).
                checked.append(named)
                if let reason = checks.denial(Checks.Group(level: .cluster, actions: [named], indices: [])) {
                    return context.exchange(Responses.text(401, reason), route: routeName, actions: checked, outcome: .denied, reason: reason)
                }
                requirements.removeAll { $0.group == first.group }
            }
            for group in checks.groups(requirements, autoCreate: singleWriteTargets(plan, route: route)) {
                checked += group.actions
                if let reason = checks.denial(group) {
                    return context.exchange(Responses.forbidden(reason), route: routeName, actions: checked, reason: reason)
                }
            }
            if let reason = singleWriteMappingDenial(plan, route: route, checks: checks, checked: &checked) {
                return context.exchange(Responses.forbidden(reason), route: routeName, actions: checked, reason: reason)
            }
            let response = Execution(context: context, plan: plan, route: route).perform()
            return context.exchange(response, route: routeName, actions: checked)
        }
    }

    /// The config type a super admin reads from the security index (`GET /.opendistro_security/_doc/<type>`).
    private func securityIndexDocument(route: Route, plan: RequestPlan) -> String? {
        guard route.path == "/{index}/_doc/{id}", ["GET", "HEAD"].contains(route.method),
              Checks.pathIndices(plan) == [context.cluster.settings.securityIndexName] else { return nil }
        return RouteTable.segments(plan.request.path).last.map { $0.removingPercentEncoding ?? $0 }
    }

    /// The body as the console form the planner reads: NDJSON for bulk and msearch, else one document.
    private func consoleRequest() -> ConsoleRequest? {
        let (path, query) = ConsoleParser.splitTarget(request.path + (request.query.map { "?" + $0 } ?? ""))
        var body: [(line: Int, value: ConfigValue)] = []
        let text = String(decoding: request.body, as: UTF8.self)
        if ConsoleParser.isNDJSON(path) {
            for (offset, line) in request.bodyLines.enumerated() {
                guard let value = ConfigValue.parseJSON(Array(line.utf8)) else { return nil }
                body.append((offset + 1, value))
            }
        } else if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            guard let value = ConfigValue.parseJSON(request.body) else { return nil }
            body = [(1, value)]
        }
        return ConsoleRequest(line: 1, method: request.method, path: path, query: query, body: body)
    }

    /// OpenSearch's answers for a path it has no handler for, or a method the path does not take.
    private func unknownRoute(_ plan: RequestPlan) -> SimulatedExchange {
        if !plan.allowedMethods.isEmpty {
            let body = JSON.object([("error", .string("Incorrect HTTP method for uri [\(request.path)] and method [\(request.method)], allowed: [\(plan.allowedMethods.joined(separator: ", "))]")),
                                    ("status", .number(405))])
            return context.exchange(Responses.json(405, body), route: nil)
        }
        let body = JSON.object([("error", .string("no handler found for uri [\(request.path)] and method [\(request.method)]"))])
        return context.exchange(Responses.json(400, body), route: nil)
    }

    /// `?perform_permission_check=true` (3.2+): only the first transport action is evaluated.
    private func permissionCheck(_ plan: RequestPlan, route: String) -> SimulatedExchange {
        let checks = Checks(context: context, plan: plan)
        guard let first = checks.groups(plan.requirements, autoCreate: []).first else {
            return context.exchange(Responses.json(200, .object([("accessAllowed", .bool(true)), ("missingPrivileges", .array([]))])), route: route)
        }
        let missing = checks.missing(first)
        let body = JSON.object([("accessAllowed", .bool(missing == nil)), ("missingPrivileges", JSON.strings(missing ?? []))])
        return context.exchange(Responses.json(200, body), route: route, actions: first.actions, outcome: missing == nil ? .allowed : .denied,
                                reason: checks.denial(first))
    }

    /// `include_global_state: true` in a restore is refused to everyone but the super admin, before
    /// any privilege is looked at, with nothing in the missing list: SnapshotRestoreEvaluator (2.11
    /// and 3.0 sources) sets `allowed = false` on the still empty response, so the 403 reads
    /// `no permissions for []` (security-layer-responses.md says `[cluster:admin/snapshot/restore]`;
    /// the source read says otherwise).
    private func globalStateRestore(_ plan: RequestPlan, route: Route) -> String? {
        guard !context.caller.isSuperAdmin, route.path.hasSuffix("/_restore"), route.path.hasPrefix("/_snapshot/"),
              plan.request.body.first?.value.map?["include_global_state"]?.bool == true,
              !context.cluster.settings.restoreSecurityIndexEnabled else { return nil }
        let subject = context.caller.subject
        return context.behaviour.profile.forbiddenMessage(missing: [], userName: subject.name,
                                                          backendRoles: subject.backendRoles, requestedTenant: subject.requestedTenant)
    }

    /// The name of a route the REST layer authorizes itself (OpenSearch core's views, 3.0+).
    private func namedRoute(_ route: Route) -> String? {
        guard route.path == "/views" || route.path.hasPrefix("/views/"), let name = route.actions.first else { return nil }
        return name
    }

    /// The dynamic mapping update of a single-document write (``DynamicMapping``): its denial is
    /// the request's top-level 403 (security-layer-responses.md "_bulk").
    private func singleWriteMappingDenial(_ plan: RequestPlan, route: Route, checks: Checks, checked: inout [String]) -> String? {
        guard route.actions.contains("indices:data/write/bulk[s]"), let index = Checks.pathIndices(plan).first else { return nil }
        let isUpdate = route.path.hasPrefix("/{index}/_update/")
        if isUpdate {
            let id = RouteTable.segments(plan.request.path).last.map { $0.removingPercentEncoding ?? $0 } ?? ""
            guard context.cluster.documentExists(index: index, id: id) else { return nil }
        }
        let fields = DynamicMapping.fields(operation: isUpdate ? "update" : request.method == "DELETE" ? "delete" : "index", source: plan.request.body.first?.value)
        return DynamicMapping.denial(writing: fields, to: index, cluster: context.cluster, checks: checks, checked: &checked)
    }

    /// Single-document writes to an index that does not exist yet create it first.
    private func singleWriteTargets(_ plan: RequestPlan, route: Route) -> [String] {
        guard route.actions.contains("indices:data/write/bulk[s]") else { return [] }
        let target = plan.requirements.first { $0.action == "indices:data/write/bulk[s]" }?.indices ?? []
        return target.filter { !context.cluster.exists($0) }
    }

    // MARK: msearch

    private func multiSearch(_ plan: RequestPlan, checks: Checks, route: String) -> SimulatedExchange {
        var checked: [String] = []
        let cluster = plan.requirements.filter { $0.level == .cluster && $0.conditional == nil }
        for group in checks.groups(cluster, autoCreate: []) {
            checked += group.actions
            if let reason = checks.denial(group) {
                return context.exchange(Responses.forbidden(reason), route: route, actions: checked, reason: reason)
            }
        }
        let pathIndices = Checks.pathIndices(plan)
        var responses: [JSON] = []
        var denied: String?
        for (position, item) in plan.request.body.enumerated() where position % 2 == 0 {
            var indices = pathIndices
            if let header = item.value.map?["index"] {
                indices = header.list?.compactMap(\.string) ?? header.string.map { $0.split(separator: ",").map(String.init) } ?? indices
            }
            let group = Checks.Group(level: .index, actions: ["indices:data/read/search"], indices: indices)
            checked.append("indices:data/read/search")
            if let reason = checks.denial(group) {
                denied = denied ?? reason
                responses.append(Responses.errorBody(403, type: "security_exception", reason: reason))
            } else {
                responses.append(Execution.emptySearch(status: true))
            }
        }
        let body = JSON.object([("took", .number(1)), ("responses", .array(responses))])
        return context.exchange(Responses.json(200, body), route: route, actions: checked, outcome: denied == nil ? .allowed : .denied, reason: denied)
    }

    // MARK: mget

    private func multiGet(_ plan: RequestPlan, checks: Checks, route: String) -> SimulatedExchange {
        var checked = ["indices:data/read/mget"]
        if let reason = checks.denial(Checks.Group(level: .cluster, actions: ["indices:data/read/mget"], indices: [])) {
            return context.exchange(Responses.forbidden(reason), route: route, actions: checked, reason: reason)
        }
        let pathIndex = Checks.pathIndices(plan).first
        var docs: [JSON] = []
        var denied: String?
        var verdicts: [String: String?] = [:]
        let body = plan.request.body.first?.value
        var entries: [(index: String?, id: String)] = []
        if let list = body?.map?["docs"]?.list {
            entries = list.map { ($0.map?["_index"]?.string ?? pathIndex, $0.map?["_id"]?.string ?? "") }
        } else if let ids = body?.map?["ids"]?.list {
            entries = ids.map { (pathIndex, $0.string ?? "") }
        }
        for entry in entries {
            guard let index = entry.index else { continue }
            if verdicts[index] == nil {
                checked.append("indices:data/read/mget[shard]")
                verdicts[index] = .some(checks.denial(Checks.Group(level: .index, actions: ["indices:data/read/mget[shard]"], indices: [index])))
            }
            if let reason = verdicts[index] ?? nil {
                denied = denied ?? reason
                let error = Responses.errorBody(403, type: "security_exception", reason: reason)
                docs.append(.object([("_index", .string(index)), ("_id", .string(entry.id)), ("error", error["error"] ?? .null)]))
            } else {
                docs.append(Execution.getResult(index: index, id: entry.id, found: context.cluster.documentExists(index: index, id: entry.id)))
            }
        }
        return context.exchange(Responses.json(200, .object([("docs", .array(docs))])), route: route, actions: checked,
                                outcome: denied == nil ? .allowed : .denied, reason: denied)
    }
}

/// Route families whose bodies turn into several checks with item-level answers.
enum RouteFamily {
    case bulk, multiSearch, multiGet, other

    init(_ path: String) {
        if path.hasSuffix("/_bulk") || path.hasSuffix("/_bulk/stream") { self = .bulk }
        else if path.hasSuffix("/_msearch") || path.hasSuffix("/_msearch/template") { self = .multiSearch }
        else if path.hasSuffix("/_mget") { self = .multiGet }
        else { self = .other }
    }
}
