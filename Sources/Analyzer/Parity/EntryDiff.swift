import PermissionCatalog

/// The entry-level difference of two configurations: what was added, removed or changed, field by
/// field, compared by content (source locations and ordering of lists do not count). Built-in
/// entries of each target and changed password hashes are listed here; they change the verdict
/// only through the decisions they change.
enum EntryDiff {
    typealias Entry = DiffResult.Entry

    static func compare(source: DiffInput, target: DiffInput) -> DiffResult.Entries {
        var entries = DiffResult.Entries()
        let a = source.config, b = target.config
        add(.role, a.roles.mapValues(fields), b.roles.mapValues(fields), builtIn: { flagged(a.roles[$0]?.flags, b.roles[$0]?.flags) }, &entries)
        add(.roleMapping, a.roleMappings.mapValues(fields), b.roleMappings.mapValues(fields),
            builtIn: { flagged(a.roleMappings[$0]?.flags, b.roleMappings[$0]?.flags) }, &entries)
        add(.actionGroup, a.actionGroups.mapValues(fields), b.actionGroups.mapValues(fields),
            builtIn: { flagged(a.actionGroups[$0]?.flags, b.actionGroups[$0]?.flags) }, &entries)
        let hashes = source.hashesKnown && target.hashesKnown
        add(.internalUser, a.internalUsers.mapValues { fields($0, hash: hashes) }, b.internalUsers.mapValues { fields($0, hash: hashes) },
            builtIn: { flagged(a.internalUsers[$0]?.flags, b.internalUsers[$0]?.flags) }, &entries)
        add(.tenant, a.tenants.mapValues(fields), b.tenants.mapValues(fields),
            builtIn: { flagged(a.tenants[$0]?.flags, b.tenants[$0]?.flags) }, &entries)
        add(.setting, settings(source), settings(target), builtIn: { _ in false }, &entries)
        let groups = { (catalog: Catalog) in
            Dictionary(catalog.staticActionGroups.map { ($0.name, ["allowed_actions": $0.allowedActions.sorted().joined(separator: "\n")]) }) { x, _ in x }
        }
        add(.staticActionGroup, groups(source.catalog), groups(target.catalog), builtIn: { _ in true }, &entries)
        return entries
    }

    private static func flagged(_ first: EntryFlags?, _ second: EntryFlags?) -> Bool {
        [first, second].contains { flags in flags.map { $0.reserved || $0.hidden || $0.isStatic } ?? false }
    }

    /// Adds the entries of one kind; each entry is a map of field → comparable text.
    private static func add(_ kind: Entry.Kind, _ first: [String: [String: String]], _ second: [String: [String: String]],
                            builtIn: (String) -> Bool, _ entries: inout DiffResult.Entries) {
        for name in Set(first.keys).union(second.keys).sorted() {
            switch (first[name], second[name]) {
            case (nil, _?): entries.added.append(Entry(kind: kind, name: name, fields: [], builtIn: builtIn(name)))
            case (_?, nil): entries.removed.append(Entry(kind: kind, name: name, fields: [], builtIn: builtIn(name)))
            case (let from?, let to?):
                // Fields that differ or are on one side only (entries of a kind mostly share their fields).
                var changed = from.compactMap { field, value in to[field] == value ? nil : field }
                changed += to.keys.filter { from[$0] == nil }
                changed.sort()
                if !changed.isEmpty { entries.changed.append(Entry(kind: kind, name: name, fields: changed, builtIn: builtIn(name))) }
            default: continue
            }
        }
    }

    private static func list(_ values: [Located<String>]) -> String { values.map(\.value).sorted().joined(separator: "\n") }

    private static func flagFields(_ flags: EntryFlags) -> [String: String] {
        ["reserved": "\(flags.reserved)", "hidden": "\(flags.hidden)", "static": "\(flags.isStatic)"]
    }

    static func fields(_ role: Role) -> [String: String] {
        let index = role.indexPermissions.map { permission in
            [list(permission.indexPatterns), list(permission.allowedActions), permission.dls ?? "", permission.fls.sorted().joined(separator: ","),
             permission.maskedFields.sorted().joined(separator: ",")].joined(separator: "|")
        }.sorted().joined(separator: "\n")
        let tenants = role.tenantPermissions.map { "\(list($0.tenantPatterns))|\(list($0.allowedActions))" }.sorted().joined(separator: "\n")
        return flagFields(role.flags).merging(["cluster_permissions": list(role.clusterPermissions), "index_permissions": index,
                                               "tenant_permissions": tenants, "description": role.description ?? ""]) { x, _ in x }
    }

    static func fields(_ mapping: RoleMapping) -> [String: String] {
        flagFields(mapping.flags).merging(["users": list(mapping.users), "backend_roles": list(mapping.backendRoles),
                                           "and_backend_roles": list(mapping.andBackendRoles), "hosts": list(mapping.hosts),
                                           "description": mapping.description ?? ""]) { x, _ in x }
    }

    static func fields(_ group: ActionGroup) -> [String: String] {
        flagFields(group.flags).merging(["allowed_actions": list(group.allowedActions), "type": group.type ?? "",
                                         "description": group.description ?? ""]) { x, _ in x }
    }

    /// Only whether a hash is set is kept (secperm never reads hashes into its model, so a changed
    /// hash with the same presence is not visible here); nothing about it when `hash` is false (a
    /// side read without hashes).
    static func fields(_ user: InternalUser, hash: Bool = true) -> [String: String] {
        let attributes = user.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        return flagFields(user.flags).merging(["hash": hash ? "\(user.hasPasswordHash)" : "", "enabled": "\(user.enabled)", "service": "\(user.isService)",
                                               "backend_roles": list(user.backendRoles), "attributes": attributes,
                                               "opendistro_security_roles": list(user.securityRoles),
                                               "description": user.description ?? ""]) { x, _ in x }
    }

    static func fields(_ tenant: Tenant) -> [String: String] {
        flagFields(tenant.flags).merging(["description": tenant.description ?? ""]) { x, _ in x }
    }

    /// Settings as one pseudo-entry each, so that a change shows as `changed` with its name.
    private static func settings(_ input: DiffInput) -> [String: [String: String]] {
        let dynamic = input.config.dynamic, node = input.settings
        let values: [String: String] = [
            "config.dynamic.do_not_fail_on_forbidden": "\(dynamic.doNotFailOnForbidden)",
            "config.dynamic.do_not_fail_on_forbidden_empty": "\(dynamic.doNotFailOnForbiddenEmpty)",
            "config.dynamic.multitenancy_enabled": "\(dynamic.multitenancyEnabled)",
            "roles_mapping_resolution": node.rolesMappingResolution.rawValue,
            "security_index": node.securityIndexName,
            "system_indices.enabled": "\(node.systemIndicesEnabled)",
            "system_indices.permission.enabled": "\(node.systemIndexPermissionEnabled)",
            "system_indices.indices": node.systemIndices.sorted().joined(separator: ","),
            "protected_indices.enabled": "\(node.protectedIndicesEnabled)",
            "protected_indices.indices": node.protectedIndices.sorted().joined(separator: ","),
            "protected_indices.roles": node.protectedIndicesRoles.sorted().joined(separator: ","),
            "restapi.admin.enabled": "\(node.restAdminEnabled)",
        ]
        return values.mapValues { ["value": $0] }
    }
}
