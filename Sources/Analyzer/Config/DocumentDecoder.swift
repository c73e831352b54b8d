import PermissionCatalog

/// Turns one parsed configuration document into entries of a ``SecurityConfig``.
struct DocumentDecoder {
    enum Form {
        /// securityadmin YAML (or the decoded index document): `_meta` required.
        case securityadmin
        /// `GET _plugins/_security/api/<type>`: no `_meta`; built-in entries are included and skipped.
        case restAPI
    }

    let profile: TargetProfile
    let form: Form
    var reader: NodeReader

    init(profile: TargetProfile, form: Form, file: String) {
        self.profile = profile
        self.form = form
        self.reader = NodeReader(file: file)
    }

    var diagnostics: [Diagnostic] { reader.diagnostics }

    mutating func decode(_ type: ConfigType, root: YAMLNode?, into config: inout SecurityConfig) {
        config.presentTypes.insert(type.rawValue)
        guard let root, !NodeReader.isNull(root) else {
            if form == .securityadmin {
                reader.error("the file is empty", at: nil, hint: "a \(type.fileName) starts with _meta: {type: \"\(type.rawValue)\", config_version: 2}")
            }
            return
        }
        guard var pairs = reader.pairs(root, "the top level of \(type.fileName)") else { return }
        if form == .securityadmin {
            guard checkMeta(type, root: root, pairs: pairs) else { return }
        }
        pairs.removeAll { $0.key == "_meta" }
        switch type {
        case .config:
            decodeConfig(pairs, into: &config)
            return
        case .audit, .allowlist, .whitelist:
            decodeSettingsDocument(type, pairs, at: root, into: &config)
            return
        default:
            break
        }
        for pair in pairs {
            guard let entryPairs = reader.pairs(pair.value, "entry '\(pair.key)'") else { continue }
            let location = reader.location(pair.keyNode)
            let flags = readFlags(entryPairs, type: type)
            if form == .restAPI && flags.isStatic { continue }
            switch type {
            case .roles: config.roles[pair.key] = decodeRole(pair.key, entryPairs, location, flags)
            case .rolesmapping: config.roleMappings[pair.key] = decodeMapping(pair.key, entryPairs, location, flags)
            case .actiongroups: config.actionGroups[pair.key] = decodeActionGroup(pair.key, entryPairs, location, flags)
            case .internalusers: config.internalUsers[pair.key] = decodeUser(pair.key, entryPairs, location, flags)
            case .tenants: config.tenants[pair.key] = decodeTenant(pair.key, entryPairs, location, flags)
            case .nodesdn: config.nodesDN[pair.key] = decodeNodesDN(pair.key, entryPairs, location)
            default: break
            }
        }
    }

    // MARK: _meta

    private mutating func checkMeta(_ type: ConfigType, root: YAMLNode, pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)]) -> Bool {
        let expected = "_meta: {type: \"\(type.rawValue)\", config_version: 2}"
        guard let meta = pairs.first(where: { $0.key == "_meta" }) else {
            if profile.configVersionWithoutMeta == 1 {
                reader.error("no _meta section: \(profile) reads this file as config_version 1", at: root,
                             hint: "add \(expected) at the top; if the file really is config_version 1, see the migration hint of config_version 1 files")
                return false
            }
            reader.warning("no _meta section; \(profile) assumes config_version 2", at: root, hint: "add \(expected) at the top")
            return true
        }
        guard let metaPairs = reader.pairs(meta.value, "_meta") else { return false }
        reader.rejectUnknownKeys(metaPairs, allowed: ["type", "config_version"], in: "_meta")
        guard let typeNode = metaPairs.first(where: { $0.key == "type" })?.value else {
            reader.error("_meta has no type", at: meta.keyNode, hint: "expected \(expected)")
            return false
        }
        let declared = reader.string(typeNode, "_meta.type") ?? ""
        guard declared == type.rawValue else {
            let other = ConfigType(rawValue: declared).map { " (that is the type of \($0.fileName))" } ?? ""
            reader.error("_meta.type is '\(declared)' but \(type.fileName) must have type '\(type.rawValue)'\(other)",
                         at: typeNode, hint: "expected \(expected)")
            return false
        }
        guard let versionNode = metaPairs.first(where: { $0.key == "config_version" })?.value else {
            reader.error("_meta has no config_version", at: meta.keyNode, hint: "expected \(expected)")
            return false
        }
        switch versionNode.int {
        case 2:
            return true
        case 1:
            let hint = profile.acceptsConfigVersion1
                ? "convert it first: run `securityadmin.sh -migrate <dir>` against a cluster of \(profile) (it rewrites roles, mappings, users and action groups as config_version 2), then `securityadmin.sh -backup <dir>` and point secperm at the result"
                : "\(profile) cannot load config_version 1 at all (support was removed in OpenSearch 3.0); migrate it on an OpenSearch 1.x/2.x cluster with `securityadmin.sh -migrate`, then back it up with `-backup`"
            reader.error("\(type.fileName) is config_version 1 (the Search Guard 6 / Open Distro 0.x format); secperm reads config_version 2", at: versionNode, hint: hint)
            return false
        default:
            reader.error("_meta.config_version must be 2, found \(NodeReader.describe(versionNode)) '\(versionNode.string ?? "")'", at: versionNode, hint: "expected \(expected)")
            return false
        }
    }

    // MARK: entries

    private mutating func readFlags(_ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], type: ConfigType) -> EntryFlags {
        var flags = EntryFlags()
        for pair in pairs {
            switch pair.key {
            case "reserved": flags.reserved = reader.bool(pair.value, "reserved") ?? false
            case "hidden": flags.hidden = reader.bool(pair.value, "hidden") ?? false
            case "static": flags.isStatic = reader.bool(pair.value, "static") ?? false
            case "readonly":
                reader.error("'readonly' is the config_version 1 name of this flag", at: pair.keyNode, hint: "config_version 2 uses 'reserved: true'")
            default: break
            }
        }
        return flags
    }

    private static let roleKeys = ["reserved", "hidden", "static", "description", "cluster_permissions", "index_permissions", "tenant_permissions"]

    private mutating func decodeRole(_ name: String, _ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], _ location: SourceLocation, _ flags: EntryFlags) -> Role {
        reader.rejectUnknownKeys(pairs, allowed: Self.roleKeys, in: "role '\(name)'") { key in
            ["cluster": "config_version 1 syntax; config_version 2 uses 'cluster_permissions'",
             "indices": "config_version 1 syntax; config_version 2 uses 'index_permissions' (a list of {index_patterns, allowed_actions})",
             "tenants": "config_version 1 syntax; config_version 2 uses 'tenant_permissions'"][key]
        }
        var description: String?
        var cluster: [Located<String>] = []
        var index: [IndexPermission] = []
        var tenant: [TenantPermission] = []
        for pair in pairs {
            switch pair.key {
            case "description": description = reader.string(pair.value, "description")
            case "cluster_permissions": cluster = reader.strings(pair.value, "cluster_permissions of role '\(name)'")
            case "index_permissions":
                index = reader.mappings(pair.value, "index_permissions of role '\(name)'").map { decodeIndexPermission(name, $0) }
            case "tenant_permissions":
                tenant = reader.mappings(pair.value, "tenant_permissions of role '\(name)'").map { decodeTenantPermission(name, $0) }
            default: break
            }
        }
        return Role(name: name, location: location, flags: flags, description: description,
                    clusterPermissions: cluster, indexPermissions: index, tenantPermissions: tenant)
    }

    private mutating func decodeIndexPermission(_ role: String, _ node: YAMLNode) -> IndexPermission {
        let pairs = reader.pairs(node, "index permission") ?? []
        let what = "an index_permissions entry of role '\(role)'"
        reader.rejectUnknownKeys(pairs, allowed: ["index_patterns", "allowed_actions", "dls", "fls", "masked_fields"], in: what)
        var patterns: [Located<String>] = [], actions: [Located<String>] = []
        var dls: String?, fls: [String] = [], masked: [String] = []
        for pair in pairs {
            switch pair.key {
            case "index_patterns": patterns = reader.strings(pair.value, "index_patterns")
            case "allowed_actions": actions = reader.strings(pair.value, "allowed_actions")
            case "dls": dls = reader.string(pair.value, "dls")
            case "fls": fls = reader.strings(pair.value, "fls").map(\.value)
            case "masked_fields": masked = reader.strings(pair.value, "masked_fields").map(\.value)
            default: break
            }
        }
        if dls?.allSatisfy(\.isWhitespace) == true { dls = nil }
        return IndexPermission(location: reader.location(node), indexPatterns: patterns, allowedActions: actions,
                               dls: dls, fls: fls, maskedFields: masked)
    }

    private mutating func decodeTenantPermission(_ role: String, _ node: YAMLNode) -> TenantPermission {
        let pairs = reader.pairs(node, "tenant permission") ?? []
        reader.rejectUnknownKeys(pairs, allowed: ["tenant_patterns", "allowed_actions"], in: "a tenant_permissions entry of role '\(role)'")
        var patterns: [Located<String>] = [], actions: [Located<String>] = []
        for pair in pairs {
            if pair.key == "tenant_patterns" { patterns = reader.strings(pair.value, "tenant_patterns") }
            if pair.key == "allowed_actions" { actions = reader.strings(pair.value, "allowed_actions") }
        }
        return TenantPermission(location: reader.location(node), tenantPatterns: patterns, allowedActions: actions)
    }

    private mutating func decodeMapping(_ name: String, _ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], _ location: SourceLocation, _ flags: EntryFlags) -> RoleMapping {
        reader.rejectUnknownKeys(pairs, allowed: ["reserved", "hidden", "description", "users", "backend_roles", "and_backend_roles", "hosts"],
                                 in: "role mapping '\(name)'") { key in
            ["backendroles": "config_version 1 syntax; config_version 2 uses 'backend_roles'",
             "and_backendroles": "config_version 1 syntax; config_version 2 uses 'and_backend_roles'"][key]
        }
        var description: String?
        var users: [Located<String>] = [], backend: [Located<String>] = [], andBackend: [Located<String>] = [], hosts: [Located<String>] = []
        for pair in pairs {
            switch pair.key {
            case "description": description = reader.string(pair.value, "description")
            case "users": users = reader.strings(pair.value, "users of mapping '\(name)'")
            case "backend_roles": backend = reader.strings(pair.value, "backend_roles of mapping '\(name)'")
            case "and_backend_roles": andBackend = reader.strings(pair.value, "and_backend_roles of mapping '\(name)'")
            case "hosts": hosts = reader.strings(pair.value, "hosts of mapping '\(name)'")
            default: break
            }
        }
        return RoleMapping(roleName: name, location: location, flags: flags, description: description,
                           users: users, backendRoles: backend, andBackendRoles: andBackend, hosts: hosts)
    }

    private mutating func decodeActionGroup(_ name: String, _ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], _ location: SourceLocation, _ flags: EntryFlags) -> ActionGroup {
        reader.rejectUnknownKeys(pairs, allowed: ["reserved", "hidden", "static", "allowed_actions", "type", "description"],
                                 in: "action group '\(name)'") { key in
            key == "permissions" ? "config_version 1 syntax; config_version 2 uses 'allowed_actions'" : nil
        }
        var actions: [Located<String>] = []
        var type: String?, description: String?
        for pair in pairs {
            switch pair.key {
            case "allowed_actions": actions = reader.strings(pair.value, "allowed_actions of action group '\(name)'")
            case "type": type = reader.string(pair.value, "type")
            case "description": description = reader.string(pair.value, "description")
            default: break
            }
        }
        return ActionGroup(name: name, location: location, flags: flags, allowedActions: actions, type: type, description: description)
    }

    private mutating func decodeUser(_ name: String, _ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], _ location: SourceLocation, _ flags: EntryFlags) -> InternalUser {
        reader.rejectUnknownKeys(pairs, allowed: ["hash", "password", "reserved", "hidden", "static", "service", "enabled", "backend_roles",
                                                  "attributes", "opendistro_security_roles", "description"],
                                 in: "internal user '\(name)'") { key in
            key == "roles" ? "config_version 1 syntax; config_version 2 uses 'backend_roles'" : nil
        }
        var hash: Secret?, password: Secret?
        var enabled = true, service = false
        var backend: [Located<String>] = [], securityRoles: [Located<String>] = []
        var attributes: ConfigEntries<String> = [:]
        var description: String?
        for pair in pairs {
            switch pair.key {
            case "hash": hash = reader.string(pair.value, pair.key).map(Secret.init)
            case "password": password = reader.string(pair.value, pair.key).map(Secret.init)
            case "enabled": enabled = reader.bool(pair.value, "enabled") ?? true
            case "service": service = reader.bool(pair.value, "service") ?? false
            case "backend_roles": backend = reader.strings(pair.value, "backend_roles of user '\(name)'")
            case "opendistro_security_roles": securityRoles = reader.strings(pair.value, "opendistro_security_roles of user '\(name)'")
            case "description": description = reader.string(pair.value, "description")
            case "attributes":
                if NodeReader.isNull(pair.value) { continue }
                for attribute in reader.pairs(pair.value, "attributes of user '\(name)'") ?? [] {
                    if let value = reader.string(attribute.value, "attribute '\(attribute.key)'") { attributes[attribute.key] = value }
                }
            default: break
            }
        }
        return InternalUser(name: name, location: location, flags: flags, passwordHash: hash, password: password, enabled: enabled,
                            isService: service, backendRoles: backend, attributes: attributes, securityRoles: securityRoles,
                            description: description)
    }

    private mutating func decodeTenant(_ name: String, _ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], _ location: SourceLocation, _ flags: EntryFlags) -> Tenant {
        reader.rejectUnknownKeys(pairs, allowed: ["reserved", "hidden", "static", "description"], in: "tenant '\(name)'")
        let description = pairs.first { $0.key == "description" }.flatMap { reader.string($0.value, "description") }
        return Tenant(name: name, location: location, flags: flags, description: description)
    }

    /// nodes_dn.yml entries: upstream `NodesDn` has the one property `nodes_dn`, and the plugin's
    /// `DefaultObjectMapper` fails on unknown properties, so any other key is an error.
    private mutating func decodeNodesDN(_ name: String, _ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)],
                                        _ location: SourceLocation) -> NodesDistinguishedNames {
        reader.rejectUnknownKeys(pairs, allowed: ["nodes_dn"], in: "nodes_dn entry '\(name)'")
        let names = pairs.first { $0.key == "nodes_dn" }.map { reader.strings($0.value, "nodes_dn of '\(name)'") } ?? []
        return NodesDistinguishedNames(name: name, location: location, nodesDN: names)
    }

    /// audit.yml, allowlist.yml, whitelist.yml: kept whole, as values.
    private func decodeSettingsDocument(_ type: ConfigType, _ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], at root: YAMLNode,
                                        into config: inout SecurityConfig) {
        let content = ConfigValue.map(Dictionary(pairs.map { ($0.key, NodeReader.value($0.value)) }) { first, _ in first })
        let document = SettingsDocument(location: reader.location(root), content: content)
        switch type {
        case .audit: config.audit = document
        case .allowlist: config.allowlist = document
        case .whitelist: config.whitelist = document
        default: break
        }
    }

    // MARK: config.yml

    private mutating func decodeConfig(_ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], into config: inout SecurityConfig) {
        // A bundle may hold the `config` object itself ({"dynamic": …}) rather than the GET response.
        if form == .restAPI, pairs.contains(where: { $0.key == "dynamic" }) {
            decodeConfigObject(pairs, into: &config)
            return
        }
        reader.rejectUnknownKeys(pairs, allowed: ["config"], in: "config.yml") { key in
            key == "opendistro_security" || key == "searchguard" ? "config_version 1 syntax; config_version 2 nests settings under 'config: dynamic:'" : nil
        }
        guard let configNode = pairs.first(where: { $0.key == "config" })?.value,
              let configPairs = reader.pairs(configNode, "config") else { return }
        decodeConfigObject(configPairs, into: &config)
    }

    private mutating func decodeConfigObject(_ configPairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], into config: inout SecurityConfig) {
        reader.rejectUnknownKeys(configPairs, allowed: ["dynamic"], in: "config")
        guard let dynamicNode = configPairs.first(where: { $0.key == "dynamic" })?.value,
              let dynamicPairs = reader.pairs(dynamicNode, "config.dynamic") else { return }
        var settings = DynamicSettings()
        settings.location = reader.location(dynamicNode)
        settings.raw = NodeReader.value(dynamicNode)
        for pair in dynamicPairs {
            switch pair.key {
            case "do_not_fail_on_forbidden": settings.doNotFailOnForbidden = reader.bool(pair.value, pair.key) ?? false
            case "do_not_fail_on_forbidden_empty": settings.doNotFailOnForbiddenEmpty = reader.bool(pair.value, pair.key) ?? false
            case "hosts_resolver_mode": settings.hostsResolverMode = reader.string(pair.value, pair.key) ?? "ip-only"
            case "kibana":
                if case .bool(let enabled)? = NodeReader.value(pair.value)[path: "multitenancy_enabled"] { settings.multitenancyEnabled = enabled }
            case "authc": settings.authc = decodeDomains(pair.value, "config.dynamic.authc", authenticator: true)
            case "authz": settings.authz = decodeDomains(pair.value, "config.dynamic.authz", authenticator: false)
            default: break
            }
        }
        config.dynamic = settings
    }

    private mutating func decodeDomains(_ node: YAMLNode, _ what: String, authenticator: Bool) -> [SecurityDomain] {
        if NodeReader.isNull(node) { return [] }
        var domains: [SecurityDomain] = []
        for pair in reader.pairs(node, what) ?? [] {
            guard reader.pairs(pair.value, "\(what).\(pair.key)") != nil else { continue }
            let raw = NodeReader.value(pair.value)
            let order = raw[path: "order"].flatMap { $0.string }.flatMap { Int($0) } ?? 0
            domains.append(SecurityDomain(
                name: pair.key, location: reader.location(pair.keyNode), order: order,
                httpEnabled: raw[path: "http_enabled"]?.bool ?? true,
                transportEnabled: raw[path: "transport_enabled"]?.bool ?? true,
                authenticatorType: authenticator ? raw[path: "http_authenticator.type"]?.string : nil,
                backendType: (authenticator ? raw[path: "authentication_backend.type"] : raw[path: "authorization_backend.type"])?.string,
                raw: raw))
        }
        return domains.sorted { ($0.order, $0.name) < ($1.order, $1.name) }
    }
}
