import Foundation

/// What an allowed request does to the tracked cluster state, and the minimal plausible body it
/// gets back. Only existence is modelled: no documents' contents, no search results.
struct Execution {
    let context: RequestContext
    let plan: RequestPlan
    let route: Route

    var cluster: SimulatedCluster { context.cluster }
    var method: String { context.request.method }

    func perform() -> ClusterResponse {
        let response = body()
        if method == "HEAD" { return ClusterResponse(status: response.status, headers: response.headers, body: []) }
        return response
    }

    private var indices: [String] { Checks.pathIndices(plan) }
    private var parameters: [String: String] {
        var values: [String: String] = [:]
        let templates = RouteTable.segments(route.path)
        let actual = RouteTable.segments(plan.request.path).map { $0.removingPercentEncoding ?? $0 }
        for (template, value) in zip(templates, actual) where template.hasPrefix("{") {
            values[String(template.dropFirst().dropLast())] = value
        }
        return values
    }

    private func body() -> ClusterResponse {
        let parameters = parameters
        let index = parameters["index"] ?? ""
        switch (method, route.path) {
        case ("GET", "/"), ("HEAD", "/"):
            let main = InfoBodies.main(context.behaviour)
            let text = context.query["pretty"] == nil ? main.prettyText : main.text
            return ClusterResponse(status: 200, headers: [Responses.jsonType], body: Array(text.utf8))
        case ("PUT", "/{index}"):
            let body = plan.request.body.first?.value
            let aliases = body?.map?["aliases"]?.map.map { Array($0.keys).sorted() } ?? []
            let fields = DynamicMapping.mappedFields(body?.map?["mappings"]?.map?["properties"])
            guard cluster.createIndex(index, aliases: aliases, fields: fields) else { return Execution.alreadyExists(index) }
            return Responses.json(200, .object([("acknowledged", .bool(true)), ("shards_acknowledged", .bool(true)), ("index", .string(index))]))
        case ("DELETE", "/{index}"):
            let targets = indices.flatMap(expand)
            guard !targets.isEmpty else { return Execution.indexNotFound(index) }
            for target in targets { cluster.deleteIndex(target) }
            return Responses.json(200, .object([("acknowledged", .bool(true))]))
        case ("PUT", "/{index}/_doc/{id}"), ("POST", "/{index}/_doc/{id}"), ("PUT", "/{index}/_create/{id}"), ("POST", "/{index}/_create/{id}"):
            return write(index: index, id: parameters["id"] ?? "")
        case ("POST", "/{index}/_doc"):
            return write(index: index, id: Execution.generatedID())
        case ("DELETE", "/{index}/_doc/{id}"):
            let id = parameters["id"] ?? ""
            guard cluster.exists(index) else { return Execution.indexNotFound(index) }
            let found = cluster.deleteDocument(index: index, id: id)
            return Responses.json(found ? 200 : 404, Execution.writeResult(index: index, id: id, result: found ? "deleted" : "not_found"))
        case ("POST", "/{index}/_update/{id}"):
            let id = parameters["id"] ?? ""
            guard cluster.documentExists(index: index, id: id) else { return Execution.documentMissing(index: index, id: id) }
            return Responses.json(200, Execution.writeResult(index: index, id: id, result: "updated"))
        case ("GET", "/{index}/_doc/{id}"), ("HEAD", "/{index}/_doc/{id}"), ("GET", "/{index}/_source/{id}"), ("HEAD", "/{index}/_source/{id}"):
            guard cluster.exists(index) else { return Execution.indexNotFound(index) }
            let found = cluster.documentExists(index: index, id: parameters["id"] ?? "")
            return Responses.json(found ? 200 : 404, Execution.getResult(index: index, id: parameters["id"] ?? "", found: found))
        case ("PUT", "/{index}/_mapping"), ("POST", "/{index}/_mapping"):
            let fields = DynamicMapping.mappedFields(plan.request.body.first?.value.map?["properties"])
            for target in indices.flatMap(expand) { cluster.mapFields(fields, in: target) }
            return Responses.json(200, .object([("acknowledged", .bool(true))]))
        case ("POST", "/_aliases"):
            applyAliasActions()
            return Responses.json(200, .object([("acknowledged", .bool(true))]))
        case ("PUT", "/{index}/_alias/{name}"), ("POST", "/{index}/_alias/{name}"), ("PUT", "/{index}/_aliases/{name}"), ("POST", "/{index}/_aliases/{name}"):
            let targets = indices.flatMap(expand)
            guard !targets.isEmpty else { return Execution.indexNotFound(index) }
            let aliases = (parameters["name"] ?? "").split(separator: ",").map(String.init)
            cluster.changeAliases(add: targets.flatMap { target in aliases.map { (target, $0) } }, remove: [])
            return Responses.json(200, .object([("acknowledged", .bool(true))]))
        case ("DELETE", "/{index}/_alias/{name}"), ("DELETE", "/{index}/_aliases/{name}"):
            let targets = indices.flatMap(expand)
            let aliases = (parameters["name"] ?? "").split(separator: ",").map(String.init)
            let metadata = cluster.metadata
            let removed = targets.flatMap { target in aliases.filter { metadata.aliases[$0]?.contains(target) ?? false }.map { (target, $0) } }
            guard !removed.isEmpty else {
                let cause = JSON.object([("type", .string("aliases_not_found_exception")), ("reason", .string("aliases [\(aliases.joined(separator: ","))] missing")),
                                         ("resource.type", .string("aliases")), ("resource.id", .string(aliases.joined(separator: ",")))])
                return Responses.json(404, Execution.errorWithCause(cause, status: 404))
            }
            cluster.changeAliases(add: [], remove: removed)
            return Responses.json(200, .object([("acknowledged", .bool(true))]))
        case ("GET", "/_cluster/health"), ("GET", "/_cluster/health/{index}"):
            return Responses.json(200, Execution.clusterHealth)
        default:
            if route.path.hasPrefix("/_cat/") {
                // _cat answers a text table, or a JSON array with format=json: no rows here.
                return context.query["format"] == "json" ? Responses.json(200, .array([])) : Responses.text(200, "")
            }
            if route.path.hasSuffix("/_search") || route.path.hasSuffix("/_count") {
                if let missing = indices.first(where: { IndexResolution.isPlainName($0) && !cluster.exists($0) }) {
                    return Execution.indexNotFound(missing)
                }
                return Responses.json(200, route.path.hasSuffix("/_count")
                    ? .object([("count", .number(0)), ("_shards", Execution.shards)]) : Execution.emptySearch(status: false))
            }
            if route.path.hasPrefix("/{index}"), method == "GET" || method == "HEAD",
               let missing = indices.first(where: { IndexResolution.isPlainName($0) && !cluster.exists($0) }) {
                return Execution.indexNotFound(missing)
            }
            return Responses.json(200, method == "GET" ? .object([]) : .object([("acknowledged", .bool(true))]))
        }
    }

    private func write(index: String, id: String) -> ClusterResponse {
        let created = cluster.putDocument(index: index, id: id)
        return Responses.json(created ? 201 : 200, Execution.writeResult(index: index, id: id, result: created ? "created" : "updated"))
    }

    /// Concrete indices an expression names (wildcards and aliases resolved against what exists).
    private func expand(_ expression: String) -> [String] {
        let metadata = cluster.metadata
        if let members = metadata.aliases[expression] { return members }
        if IndexResolution.isPlainName(expression) { return metadata.indices.contains(expression) ? [expression] : [] }
        let pattern = Pattern(expression)
        return metadata.indices.filter { pattern.matches($0) }.sorted()
    }

    private func applyAliasActions() {
        var add: [(String, String)] = [], remove: [(String, String)] = []
        for action in plan.request.body.first?.value.map?["actions"]?.list ?? [] {
            guard let (kind, spec) = action.map?.first else { continue }
            let names = spec.map?["indices"]?.list?.compactMap(\.string) ?? spec.map?["index"]?.string.map { [$0] } ?? []
            let aliases = spec.map?["aliases"]?.list?.compactMap(\.string) ?? spec.map?["alias"]?.string.map { [$0] } ?? []
            for name in names {
                switch kind {
                case "add": add += aliases.map { (name, $0) }
                case "remove": remove += aliases.map { (name, $0) }
                case "remove_index": cluster.deleteIndex(name)
                default: break
                }
            }
        }
        cluster.changeAliases(add: add, remove: remove)
    }

    // MARK: bodies

    /// A one-node green cluster, for clients that wait for health before they start.
    static let clusterHealth = JSON.object([
        ("cluster_name", .string("secperm-simulate")), ("status", .string("green")), ("timed_out", .bool(false)),
        ("number_of_nodes", .number(1)), ("number_of_data_nodes", .number(1)), ("active_primary_shards", .number(0)),
        ("active_shards", .number(0)), ("relocating_shards", .number(0)), ("initializing_shards", .number(0)),
        ("unassigned_shards", .number(0)), ("delayed_unassigned_shards", .number(0)), ("number_of_pending_tasks", .number(0)),
        ("number_of_in_flight_fetch", .number(0)), ("task_max_waiting_in_queue_millis", .number(0)),
        ("active_shards_percent_as_number", .number(100)),
    ])

    static let shards = JSON.object([("total", .number(1)), ("successful", .number(1)), ("skipped", .number(0)), ("failed", .number(0))])

    static func emptySearch(status: Bool) -> JSON {
        var pairs: [(String, JSON)] = [
            ("took", .number(1)), ("timed_out", .bool(false)), ("_shards", shards),
            ("hits", .object([("total", .object([("value", .number(0)), ("relation", .string("eq"))])), ("max_score", .null), ("hits", .array([]))])),
        ]
        if status { pairs.append(("status", .number(200))) }
        return .object(pairs)
    }

    static func writeResult(index: String, id: String, result: String) -> JSON {
        .object([("_index", .string(index)), ("_id", .string(id)), ("_version", .number(1)), ("result", .string(result)),
                 ("_shards", .object([("total", .number(2)), ("successful", .number(1)), ("failed", .number(0))])),
                 ("_seq_no", .number(0)), ("_primary_term", .number(1))])
    }

    static func getResult(index: String, id: String, found: Bool) -> JSON {
        guard found else { return .object([("_index", .string(index)), ("_id", .string(id)), ("found", .bool(false))]) }
        return .object([("_index", .string(index)), ("_id", .string(id)), ("_version", .number(1)), ("_seq_no", .number(0)),
                        ("_primary_term", .number(1)), ("found", .bool(true)), ("_source", .object([]))])
    }

    static func indexNotFound(_ index: String) -> ClusterResponse {
        let cause = JSON.object([("type", .string("index_not_found_exception")), ("reason", .string("no such index [\(index)]")),
                                 ("index", .string(index)), ("resource.id", .string(index)), ("resource.type", .string("index_or_alias")),
                                 ("index_uuid", .string("_na_"))])
        return Responses.json(404, errorWithCause(cause, status: 404))
    }

    static func alreadyExists(_ index: String) -> ClusterResponse {
        let cause = JSON.object([("type", .string("resource_already_exists_exception")), ("reason", .string("index [\(index)/_na_] already exists")),
                                 ("index", .string(index)), ("index_uuid", .string("_na_"))])
        return Responses.json(400, errorWithCause(cause, status: 400))
    }

    static func documentMissing(index: String, id: String) -> ClusterResponse {
        let cause = JSON.object([("type", .string("document_missing_exception")), ("reason", .string("[\(id)]: document missing")),
                                 ("index", .string(index)), ("shard", .string("0")), ("index_uuid", .string("_na_"))])
        return Responses.json(404, errorWithCause(cause, status: 404))
    }

    /// `{"error":{"root_cause":[cause],…cause's fields},"status":…}`.
    static func errorWithCause(_ cause: JSON, status: Int) -> JSON {
        guard case .object(let fields) = cause else { return cause }
        return .object([("error", .object([("root_cause", .array([cause]))] + fields)), ("status", .number(Double(status)))])
    }

    /// A document id as OpenSearch generates them (20 URL-safe base64 characters).
    static func generatedID() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return String((0..<20).map { _ in alphabet.randomElement() ?? "A" })
    }
}
