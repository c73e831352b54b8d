/// `_bulk`: the cluster action `indices:data/write/bulk` (a denial is a top-level 403), then per
/// target index the auto-create of a missing index and `bulk[s]` with the item operations; a denied
/// index fails its items inside a 200 (security-layer-responses.md, "_bulk").
struct BulkExecution {
    let context: RequestContext
    let plan: RequestPlan
    let checks: Checks
    let route: String

    struct Item {
        let operation: String
        let index: String?
        let id: String?
        /// The source line of index/create/update.
        var source: ConfigValue?
    }

    func answer() -> SimulatedExchange {
        var checked = ["indices:data/write/bulk"]
        if let reason = checks.denial(Checks.Group(level: .cluster, actions: ["indices:data/write/bulk"], indices: [])) {
            return context.exchange(Responses.forbidden(reason), route: route, actions: checked, reason: reason)
        }
        let items = parseItems()
        if items.contains(where: { $0.index == nil }) {
            let reason = "Validation Failed: 1: index is missing;"
            return context.exchange(Responses.exception(400, type: "action_request_validation_exception", reason: reason), route: route, actions: checked)
        }
        var verdicts: [String: String?] = [:]
        for (index, operations) in targets(items) {
            if !context.cluster.exists(index) {
                checked.append("indices:admin/create")
                if let reason = checks.denial(Checks.Group(level: .index, actions: ["indices:admin/create"], indices: [index])) {
                    verdicts[index] = .some(reason)
                    continue
                }
            }
            // The shard request's required actions: bulk[s], then the items' operations in the
            // order the items bring them (PrivilegesEvaluator.evaluateAdditionalIndexPermissions).
            let group = Checks.Group(level: .index, actions: ["indices:data/write/bulk[s]"] + operations, indices: [index])
            checked += group.actions
            verdicts[index] = .some(checks.denial(group))
        }
        var results: [JSON] = []
        var firstDenial: String?
        for item in items {
            let index = item.index ?? ""
            let id = item.id ?? Execution.generatedID()
            let mappingDenial = (verdicts[index] ?? nil) == nil ? dynamicMappingDenial(item, index: index, id: id, checked: &checked) : nil
            if let reason = (verdicts[index] ?? nil) ?? mappingDenial {
                firstDenial = firstDenial ?? reason
                let error = JSON.object([("type", .string("security_exception")), ("reason", .string(reason))])
                results.append(.object([(item.operation, .object([("_index", .string(index)), ("_id", .string(id)), ("status", .number(403)), ("error", error)]))]))
            } else {
                results.append(.object([(item.operation, perform(item, index: index, id: id))]))
            }
        }
        let body = JSON.object([("took", .number(1)), ("errors", .bool(firstDenial != nil)), ("items", .array(results))])
        return context.exchange(Responses.json(200, body), route: route, actions: checked, outcome: firstDenial == nil ? .allowed : .denied, reason: firstDenial)
    }

    /// The item's dynamic mapping update (``DynamicMapping``); an update of a missing document
    /// fails before it maps anything.
    private func dynamicMappingDenial(_ item: Item, index: String, id: String, checked: inout [String]) -> String? {
        if item.operation == "update", !context.cluster.documentExists(index: index, id: id) { return nil }
        return DynamicMapping.denial(writing: DynamicMapping.fields(operation: item.operation, source: item.source), to: index,
                                     cluster: context.cluster, checks: checks, checked: &checked)
    }

    private func perform(_ item: Item, index: String, id: String) -> JSON {
        let cluster = context.cluster
        let result: String, status: Int
        switch item.operation {
        case "delete":
            let found = cluster.exists(index) && cluster.deleteDocument(index: index, id: id)
            (result, status) = found ? ("deleted", 200) : ("not_found", 404)
        case "update":
            guard cluster.documentExists(index: index, id: id) else {
                let error = JSON.object([("type", .string("document_missing_exception")), ("reason", .string("[\(id)]: document missing")),
                                         ("index", .string(index)), ("shard", .string("0")), ("index_uuid", .string("_na_"))])
                return .object([("_index", .string(index)), ("_id", .string(id)), ("status", .number(404)), ("error", error)])
            }
            (result, status) = ("updated", 200)
        default:
            let created = cluster.putDocument(index: index, id: id)
            (result, status) = created ? ("created", 201) : ("updated", 200)
        }
        return .object([("_index", .string(index)), ("_id", .string(id)), ("_version", .number(1)), ("result", .string(result)),
                        ("_shards", .object([("total", .number(2)), ("successful", .number(1)), ("failed", .number(0))])),
                        ("_seq_no", .number(0)), ("_primary_term", .number(1)), ("status", .number(Double(status)))])
    }

    /// Target indices in the order items first name them, each with its item actions.
    private func targets(_ items: [Item]) -> [(index: String, operations: [String])] {
        var order: [String] = []
        var operations: [String: [String]] = [:]
        for item in items {
            guard let index = item.index else { continue }
            let action = switch item.operation {
            case "delete": "indices:data/write/delete"
            case "update": "indices:data/write/update"
            default: "indices:data/write/index"
            }
            if operations[index] == nil { order.append(index) }
            if !(operations[index]?.contains(action) ?? false) { operations[index, default: []].append(action) }
        }
        return order.map { ($0, operations[$0] ?? []) }
    }

    /// Action lines with their target; source lines skipped.
    private func parseItems() -> [Item] {
        let pathIndex = Checks.pathIndices(plan).first
        var items: [Item] = []
        var expectSource = false
        for (_, value) in plan.request.body {
            if expectSource {
                expectSource = false
                if !items.isEmpty { items[items.count - 1].source = value }
                continue
            }
            guard let map = value.map, map.count == 1, let (operation, meta) = map.first,
                  ["index", "create", "update", "delete"].contains(operation) else { continue }
            expectSource = operation != "delete"
            items.append(Item(operation: operation, index: meta.map?["_index"]?.string ?? pathIndex, id: meta.map?["_id"]?.string))
        }
        return items
    }
}
