import PermissionCatalog

/// `secperm catalog` output: the permissions and built-in action groups of a profile.
public struct CatalogReport: Sendable {
    public let catalog: Catalog
    public let kind: PermissionKind?

    public init(catalog: Catalog, kind: PermissionKind?) {
        self.catalog = catalog
        self.kind = kind
    }

    var permissions: [Permission] { kind.map(catalog.permissions(ofKind:)) ?? catalog.permissions }

    func level(_ permission: Permission) -> String {
        if permission.isPattern { return "pattern" }
        return catalog.profile.check(of: permission.name).level.rawValue
    }

    public func text() -> String {
        var out = "Permissions of \(catalog.profile) (\(permissions.count))\n\n"
        var rows = [["NAME", "KIND", "CHECKED AS", "DESCRIPTION"]]
        rows += permissions.map { [$0.name, $0.kind.rawValue, level($0), $0.description] }
        out += TextTable.render(rows)
        if kind == nil {
            out += "\nBuilt-in action groups (\(catalog.staticActionGroups.count))\n\n"
            out += TextTable.render([["NAME", "ALLOWED ACTIONS"]] + catalog.staticActionGroups.map {
                [$0.name, $0.allowedActions.joined(separator: ", ")]
            })
            out += "\nBuilt-in roles: \(catalog.staticRoles.map(\.name).joined(separator: ", "))\n"
            out += "Built-in tenants: \(catalog.staticTenants.map(\.name).joined(separator: ", "))\n"
        }
        return out
    }

    struct JSONPermission: Encodable {
        let name: String, kind: String, checkedAs: String, description: String, pattern: Bool
    }

    struct JSONGroup: Encodable {
        let name: String, allowedActions: [String], type: String?, description: String?
    }

    struct JSONRoot: Encodable {
        let schemaVersion = 1
        let target: String
        let permissions: [JSONPermission]
        let actionGroups: [JSONGroup]
        let roles: [String]
        let tenants: [String]
    }

    public func json() -> String {
        JSONOutput.render(JSONRoot(
            target: catalog.profile.name,
            permissions: permissions.map {
                JSONPermission(name: $0.name, kind: $0.kind.rawValue, checkedAs: level($0), description: $0.description, pattern: $0.isPattern)
            },
            actionGroups: kind == nil ? catalog.staticActionGroups.map {
                JSONGroup(name: $0.name, allowedActions: $0.allowedActions, type: $0.type, description: $0.description)
            } : [],
            roles: kind == nil ? catalog.staticRoles.map(\.name) : [],
            tenants: kind == nil ? catalog.staticTenants.map(\.name) : []))
    }
}
