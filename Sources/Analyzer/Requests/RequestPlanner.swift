import PermissionCatalog

/// Works out, for each console request, the permissions the security plugin will check, in order:
/// the route's actions from the REST table (rest-actions.tsv), refined by the request body where the
/// body names other indices or operations (bulk items, msearch headers, mget docs, reindex source and
/// destination, alias actions, restored indices), plus the conditional follow-ups with their condition.
public struct RequestPlanner: Sendable {
    public let table: RouteTable
    public let catalog: Catalog
    /// The node settings the requirements are worked out for; the plugin's defaults unless given.
    public let settings: NodeSettings

    public init(catalog: Catalog, settings: NodeSettings = NodeSettings()) {
        self.catalog = catalog
        self.settings = settings
        table = RouteTable(profile: catalog.profile)
    }

    var profile: TargetProfile { catalog.profile }

    /// The level the profile checks `action` at (``TargetProfile/check(of:)``).
    func level(_ action: String) -> Requirement.Level {
        switch profile.check(of: action).level {
        case .cluster: .cluster
        case .index: .index
        case .tenant: .tenant
        }
    }

    public func plan(_ request: ConsoleRequest) -> RequestPlan {
        guard let match = table.match(method: request.method, path: request.path) else {
            let methods = table.methods(for: request.path)
            return RequestPlan(request: request, route: nil, closestRoute: methods.isEmpty ? table.closest(method: request.method, path: request.path) : nil,
                               allowedMethods: methods, requirements: [], notes: [], restoreNotes: [])
        }
        var builder = Builder(planner: self, request: request, match: match)
        builder.build()
        return RequestPlan(request: request, route: match.route, closestRoute: nil, allowedMethods: [],
                           requirements: builder.requirements, notes: builder.notes, restoreNotes: builder.restoreNotes)
    }

    /// Accumulates requirements for one request.
    struct Builder {
        let planner: RequestPlanner
        let request: ConsoleRequest
        let match: RouteTable.Match
        var requirements: [Requirement] = []
        var notes: [String] = []
        var restoreNotes: [RestoreNote] = []
        private var nextGroup = 0

        init(planner: RequestPlanner, request: ConsoleRequest, match: RouteTable.Match) {
            self.planner = planner
            self.request = request
            self.match = match
        }

        var route: Route { match.route }
        var path: String { route.path }

        /// Index expressions from the path (`{index}`, or `{alias}` for rollover).
        var pathIndices: [String] {
            (match.parameters["index"] ?? match.parameters["alias"]).map { $0.split(separator: ",").map(String.init).filter { !$0.isEmpty } } ?? []
        }

        mutating func add(_ actions: [String], indices: [String] = [], conditional: String? = nil, dependsOnState: Bool = false,
                          liftedBy: String? = nil, note: String? = nil) {
            let group = nextGroup
            nextGroup += 1
            for action in actions {
                if planner.profile.check(of: action).available == .notInRelease {
                    notes.append("\(action) does not exist on \(planner.profile); not checked there")
                    continue
                }
                let level = planner.level(action)
                requirements.append(Requirement(action: action, level: level, indices: level == .index ? indices : [], group: group,
                                                conditional: conditional, dependsOnState: dependsOnState, liftedBy: liftedBy, note: note))
            }
        }

        mutating func build() {
            let remote = pathIndices.filter { $0.contains(":") && !$0.hasPrefix("<") }
            if !remote.isEmpty {
                notes.append("\(remote.joined(separator: ", ")) \(remote.count == 1 ? "is" : "are") on a remote cluster: checked there, not locally")
            }
            let bodyAware = bulk() || multiSearch() || multiGet() || reindex() || aliases() || restore()
            if !bodyAware { generic() }
            createIndexWithAliases()
            scroll()
            conditionals()
        }

        /// The route's actions in order; `bulk[s]` is checked together with the item action.
        mutating func generic() {
            let itemActions = ["indices:data/write/index", "indices:data/write/delete", "indices:data/write/update"]
            let item = route.actions.first(where: itemActions.contains)
            for action in route.actions {
                switch action {
                case "<rest-api-role>":
                    let group = nextGroup
                    nextGroup += 1
                    requirements.append(Requirement(action: action, level: .rest, indices: [], group: group, conditional: nil,
                                                    note: "the caller needs a role listed in \(planner.profile.settingsPrefix).restapi.roles_enabled, or the admin certificate"))
                case "<authenticated>": notes.append("any authenticated user may call this endpoint")
                case "<none>": notes.append("this endpoint needs no authentication")
                case "<super-admin>": notes.append("only the admin certificate (super admin) may call this endpoint")
                case "<bulk-item-actions>": break
                case "indices:data/write/bulk[s]": add([action] + (item.map { [$0] } ?? []), indices: pathIndices)
                case let name where name == item && route.actions.contains("indices:data/write/bulk[s]") && requirements.contains(where: { $0.action == name }):
                    break
                default: add([action], indices: pathIndices)
                }
            }
        }

        // MARK: body-aware families

        /// `_bulk`: cluster bulk, then per target index bulk[s] with the item operations.
        mutating func bulk() -> Bool {
            guard path.hasSuffix("/_bulk") || path.hasSuffix("/_bulk/stream") else { return false }
            add(["indices:data/write/bulk"])
            var order: [String] = []
            var operations: [String: [String]] = [:]
            var expectSource = false
            for (line, value) in request.body {
                if expectSource { expectSource = false; continue }
                guard let map = value.map, let (operation, meta) = map.first, map.count == 1 else {
                    notes.append("line \(line): not a bulk action line ({\"index\"|\"create\"|\"update\"|\"delete\": {…}})")
                    continue
                }
                let action: String
                switch operation {
                case "index", "create": action = "indices:data/write/index"
                case "delete": action = "indices:data/write/delete"
                case "update": action = "indices:data/write/update"
                default:
                    notes.append("line \(line): unknown bulk operation '\(operation)'")
                    continue
                }
                expectSource = operation != "delete"
                guard let index = meta.map?["_index"]?.string ?? pathIndices.first else {
                    notes.append("line \(line): bulk item without _index and no index in the path; the request fails")
                    continue
                }
                if operations[index] == nil { order.append(index) }
                if !operations[index, default: []].contains(action) { operations[index, default: []].append(action) }
            }
            // The shard requests' action (§2.4), checked together with the item operations per index.
            let shard = planner.profile.check(of: "indices:data/write/bulk").subActions
            for index in order {
                add(shard + (operations[index] ?? []).sorted(), indices: [index])
            }
            if order.isEmpty, !pathIndices.isEmpty { add(shard, indices: pathIndices) }
            return true
        }

        /// `_msearch`: cluster msearch, then one search per item on the indices its header names.
        mutating func multiSearch() -> Bool {
            guard path.hasSuffix("/_msearch") || path.hasSuffix("/_msearch/template") else { return false }
            for action in route.actions where planner.level(action) == .cluster { add([action]) }
            var seen: [[String]] = []
            for (position, item) in request.body.enumerated() where position % 2 == 0 {
                var indices = pathIndices
                if let header = item.value.map?["index"] {
                    indices = header.list?.compactMap(\.string) ?? header.string.map { $0.split(separator: ",").map(String.init) } ?? indices
                }
                if seen.contains(indices) { continue }
                seen.append(indices)
                add(["indices:data/read/search"], indices: indices, note: indices.isEmpty ? "no index named: all indices" : nil)
            }
            if seen.isEmpty { add(["indices:data/read/search"], indices: pathIndices) }
            return true
        }

        /// `_mget`: cluster mget, then mget[shard] on the indices of the docs.
        mutating func multiGet() -> Bool {
            guard path.hasSuffix("/_mget") else { return false }
            add(["indices:data/read/mget"])
            let shard = planner.profile.check(of: "indices:data/read/mget").subActions
            var indices: [String] = []
            if let docs = request.body.first?.value.map?["docs"]?.list {
                for doc in docs {
                    let index = doc.map?["_index"]?.string ?? pathIndices.first
                    if let index, !indices.contains(index) { indices.append(index) }
                }
            }
            if indices.isEmpty { indices = pathIndices }
            add(shard, indices: indices)
            return true
        }

        /// `_reindex`: search and scroll on the source, bulk on the destination.
        mutating func reindex() -> Bool {
            guard path == "/_reindex" else { return false }
            let body = request.body.first?.value
            let source = body?[path: "source.index"].map { $0.list?.compactMap(\.string) ?? [$0.string ?? ""] } ?? []
            let destination = body?[path: "dest.index"]?.string.map { [$0] } ?? []
            let remote = body?[path: "source.remote"] != nil
            add(["indices:data/write/reindex"])
            if remote {
                notes.append("the source is a remote cluster: its indices are read with the credentials in source.remote and checked there")
            } else {
                add(["indices:data/read/search"], indices: source)
            }
            add(["indices:data/read/scroll"])
            add(["indices:data/read/scroll/clear"])
            add(["indices:data/write/bulk"])
            add(["indices:data/write/bulk[s]", "indices:data/write/index"], indices: destination)
            if destination.isEmpty { notes.append("the body names no dest.index; the request fails") }
            return true
        }

        /// `POST _aliases`: aliases on every index an action names; remove_index also needs delete.
        mutating func aliases() -> Bool {
            guard request.method == "POST", path == "/_aliases" else { return false }
            var indices: [String] = [], removed: [String] = []
            for action in request.body.first?.value.map?["actions"]?.list ?? [] {
                guard let (kind, spec) = action.map?.first else { continue }
                let names = spec[path: "indices"]?.list?.compactMap(\.string) ?? spec[path: "index"]?.string.map { [$0] } ?? []
                for name in names where !indices.contains(name) { indices.append(name) }
                if kind == "remove_index" { removed += names }
            }
            add(["indices:admin/aliases"], indices: indices)
            if !removed.isEmpty { add(["indices:admin/delete"], indices: removed, note: "remove_index deletes the index") }
            return true
        }

        /// `_restore`: the restored indices need create and index. The target checks them under its
        /// default settings (`check_snapshot_restore_write_privileges` defaults to true, legacy
        /// `PrivilegesEvaluatorImpl`), so they are required, with the setting that would lift them.
        mutating func restore() -> Bool {
            guard path.hasSuffix("/_restore"), path.hasPrefix("/_snapshot/") else { return false }
            add(["cluster:admin/snapshot/restore"])
            let body = request.body.first?.value
            let indices = body?[path: "indices"].map { $0.list?.compactMap(\.string) ?? ($0.string?.split(separator: ",").map(String.init) ?? []) } ?? []
            restoreNotes = RestoreNote.notes(indices: indices, includeGlobalState: body?[path: "include_global_state"]?.bool == true,
                                             renames: body?[path: "rename_pattern"] != nil, settings: planner.settings, prefix: planner.profile.settingsPrefix)
            // Listed even when the given settings lift the check: the restore decision reads the
            // restored indices from these rows.
            let setting = "\(planner.profile.settingsPrefix).check_snapshot_restore_write_privileges"
            let lifted = !planner.settings.checkSnapshotRestoreWritePrivileges
            add(["indices:admin/create", "indices:data/write/index"], indices: indices,
                conditional: lifted ? "\(setting) is true (it is false here)" : nil, liftedBy: lifted ? nil : "\(setting): false",
                note: indices.isEmpty ? "no indices named: every index of the snapshot" : nil)
            return true
        }

        /// `PUT /{index}` with aliases in the body also needs indices:admin/aliases.
        mutating func createIndexWithAliases() {
            guard request.method == "PUT", path == "/{index}", request.body.first?.value.map?["aliases"] != nil else { return }
            add(["indices:admin/aliases"], indices: pathIndices, note: "the body creates aliases")
        }

        /// A search with `scroll` needs the scroll actions to continue and clear it.
        mutating func scroll() {
            guard request.query["scroll"] != nil, path.hasSuffix("/_search") else { return }
            add(["indices:data/read/scroll"], conditional: "continuing the scroll (GET _search/scroll)")
            add(["indices:data/read/scroll/clear"], conditional: "clearing the scroll (DELETE _search/scroll)")
        }

        /// Actions OpenSearch issues itself when the cluster state calls for them: auto-create of a
        /// missing index, and the dynamic mapping update for new fields (checked as
        /// `indices:admin/create` and `indices:admin/mapping/put`, reference §2.4; `TracingTests`
        /// shows the auto-create inside a single-document index request).
        static func isIssuedByClusterState(_ action: String) -> Bool {
            action == "indices:admin/auto_create" || action == "indices:admin/mapping/auto_put"
        }

        /// Conditional rows of the table for this route, with their condition.
        mutating func conditionals() {
            let key = "\(route.method) \(route.path)"
            let handled = ["request body contains aliases", "an action of type remove_index is present", "continuing a scroll",
                           "plugins.security.check_snapshot_restore_write_privileges=true (default)"]
            for row in planner.table.conditional where row.routes.contains(key) && !row.actions.isEmpty {
                if handled.contains(where: row.condition.hasPrefix) { continue }
                if row.condition.contains("privileges_evaluation_type=v4") { continue }
                if row.condition.hasPrefix("remote cluster targets"), !pathIndices.contains(where: { $0.contains(":") }) { continue }
                let indices = path.hasPrefix("/_bulk") || path == "/_reindex" ? requirements.filter { $0.level == .index }.flatMap(\.indices) : pathIndices
                add(row.actions.map { planner.profile.check(of: $0).checkedAs }, indices: Array(Set(indices)).sorted(), conditional: row.condition,
                    dependsOnState: row.actions.contains(where: Self.isIssuedByClusterState))
            }
        }
    }
}
