/// Dynamic mapping: a write whose document brings fields the index's mapping lacks makes OpenSearch
/// update the mapping itself (`indices:admin/mapping/auto_put`), and the security plugin authorizes
/// that sub-request for the user, renamed to the index action `indices:admin/mapping/put`
/// (rest-actions.md §3.1 "Renames before evaluation" and §4, rest-actions-conditional.tsv "document
/// introduces new fields"; security-layer-responses.md "_bulk"). A denial fails the item: inside
/// the bulk answer, or as the top-level 403 of a single-document write.
///
/// The simulation knows the mapping only of indices created while it serves (from the create
/// request's `mappings`, explicit put-mapping requests and earlier writes); an index that existed
/// at start has an unknown mapping, taken to hold every field written to it.
enum DynamicMapping {
    static let action = "indices:admin/mapping/put"

    /// Field paths of a document: object keys joined with dots, down to the leaves.
    static func fields(_ document: ConfigValue?) -> Set<String> {
        guard let map = document?.map else { return [] }
        var result: Set<String> = []
        for (key, value) in map {
            let nested = fields(value)
            if nested.isEmpty { result.insert(key) } else { result.formUnion(nested.map { "\(key).\($0)" }) }
        }
        return result
    }

    /// Fields a write item puts into the index: the source of index/create, `doc` and `upsert` of
    /// an update (a scripted update maps nothing here).
    static func fields(operation: String, source: ConfigValue?) -> Set<String> {
        switch operation {
        case "delete": []
        case "update": fields(source?.map?["doc"]).union(fields(source?.map?["upsert"]))
        default: fields(source)
        }
    }

    /// Field paths of a mapping's `properties` (`{"a": {"type": …}, "b": {"properties": {…}}}`).
    static func mappedFields(_ properties: ConfigValue?) -> Set<String> {
        guard let map = properties?.map else { return [] }
        var result: Set<String> = []
        for (key, value) in map {
            let nested = mappedFields(value.map?["properties"])
            if nested.isEmpty { result.insert(key) } else { result.formUnion(nested.map { "\(key).\($0)" }) }
        }
        return result
    }

    /// Updates the mapping of `index` for a write of `fields` when it needs one: nil when the write
    /// may go on, else the 403 reason of the denied mapping update. `checked` gets the action when
    /// it was evaluated.
    static func denial(writing fields: Set<String>, to index: String, cluster: SimulatedCluster, checks: Checks,
                       checked: inout [String]) -> String? {
        guard !fields.isEmpty else { return nil }
        // The index is created (auto-create was authorized before the shard write) before its
        // mapping is updated.
        if !cluster.exists(index) { cluster.createIndex(index) }
        let unmapped = cluster.unmappedFields(fields, in: index)
        guard !unmapped.isEmpty else { return nil }
        checked.append(action)
        if let reason = checks.denial(Checks.Group(level: .index, actions: [action], indices: [index])) { return reason }
        cluster.mapFields(unmapped, in: index)
        return nil
    }
}
