/// Writes a ``SecurityConfig`` back in the forms the plugin reads: securityadmin YAML files (what
/// `securityadmin.sh -backup` writes and `-cd` reads, each with `_meta`) and the JSON bodies of the
/// Security REST API's `PUT` per entry. Entries come out in the order the model holds them (the
/// order they were read in). Password hashes are written: keep the output as private as the
/// configuration it came from.
///
/// Loading what this writes gives the same model again (locations aside); the round-trip tests
/// hold the writer to that for every input form.
public struct ConfigWriter: Sendable {
    /// The YAML or JSON library refused a value (not expected for values read from a file).
    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        init(_ description: String) {
            self.description = description
        }
    }

    public let config: SecurityConfig

    public init(_ config: SecurityConfig) {
        self.config = config
    }

    /// The types that were read or have entries, in the order securityadmin lists them.
    public var writtenTypes: [ConfigType] {
        ConfigType.allCases.filter { config.presentTypes.contains($0.rawValue) || hasContent($0) }
    }

    // MARK: securityadmin YAML

    /// Every type of ``writtenTypes`` as its securityadmin file.
    public func securityadminFiles() throws(Failure) -> [(fileName: String, text: String)] {
        var files: [(fileName: String, text: String)] = []
        for type in writtenTypes { files.append((type.fileName, try securityadminFile(type))) }
        return files
    }

    /// One securityadmin file: `_meta` (type, config_version 2), then each entry as a top-level
    /// key, a blank line between entries.
    public func securityadminFile(_ type: ConfigType) throws(Failure) -> String {
        let meta: EntryFields.Fields = [("_meta", .map([("type", .string(type.rawValue)), ("config_version", .integer(2))]))]
        var sections = [try WrittenValue.map(meta).yaml()]
        for entry in documentEntries(type) { sections.append(try WrittenValue.map([entry]).yaml()) }
        return sections.joined(separator: "\n")
    }

    /// Roles as roles.yml entries without `_meta`: a snippet to paste into a roles.yml, as
    /// `secperm actions --suggest-role` and fix suggestions print it.
    public static func rolesSnippet(_ roles: [Role]) throws(Failure) -> String {
        var sections: [String] = []
        for role in roles { sections.append(try WrittenValue.map([(role.name, .map(EntryFields.role(role, .securityadmin)))]).yaml()) }
        return sections.joined(separator: "\n")
    }

    /// The top-level keys of a type's document after `_meta`.
    func documentEntries(_ type: ConfigType) -> EntryFields.Fields {
        let form = EntryFields.Form.securityadmin
        switch type {
        case .roles: return config.roles.map { ($0.key, .map(EntryFields.role($0.value, form))) }
        case .rolesmapping: return config.roleMappings.map { ($0.key, .map(EntryFields.roleMapping($0.value, form))) }
        case .actiongroups: return config.actionGroups.map { ($0.key, .map(EntryFields.actionGroup($0.value, form))) }
        case .internalusers: return config.internalUsers.map { ($0.key, .map(EntryFields.internalUser($0.value, form))) }
        case .tenants: return config.tenants.map { ($0.key, .map(EntryFields.tenant($0.value, form))) }
        case .nodesdn: return config.nodesDN.map { ($0.key, .map(EntryFields.nodesDN($0.value))) }
        case .config: return [("config", .map([("dynamic", WrittenValue(config.dynamic.raw))]))]
        case .audit, .allowlist, .whitelist: return settingsContent(type).map { ($0.key, $0.value) }
        }
    }

    private func settingsContent(_ type: ConfigType) -> EntryFields.Fields {
        let document: SettingsDocument? = switch type {
        case .audit: config.audit
        case .allowlist: config.allowlist
        case .whitelist: config.whitelist
        default: nil
        }
        guard let document, case .map(let fields) = WrittenValue(document.content) else { return [] }
        return fields
    }

    private func hasContent(_ type: ConfigType) -> Bool {
        switch type {
        case .config: config.dynamic.raw != .map([:])
        case .roles: !config.roles.isEmpty
        case .rolesmapping: !config.roleMappings.isEmpty
        case .actiongroups: !config.actionGroups.isEmpty
        case .internalusers: !config.internalUsers.isEmpty
        case .tenants: !config.tenants.isEmpty
        case .nodesdn: !config.nodesDN.isEmpty
        case .audit: config.audit != nil
        case .allowlist: config.allowlist != nil
        case .whitelist: config.whitelist != nil
        }
    }

    // MARK: REST API bodies

    /// The body of `PUT _plugins/_security/api/<type>/<name>` for every entry of a type, in order.
    /// Static entries are left out (the API refuses to change them). `asAdmin`: the caller holds
    /// the admin certificate, so `reserved` and `hidden` are sent when set. For `config` the one
    /// entry is `config` (`PUT …/securityconfig/config`, body `{"dynamic": …}`); for audit and
    /// allowlist it is `config` too, the body being that document's `config` object.
    public func restBodies(_ type: ConfigType, asAdmin: Bool) throws(Failure) -> [(name: String, body: String)] {
        var bodies: [(name: String, body: String)] = []
        for (name, fields) in restEntries(type, asAdmin: asAdmin) { bodies.append((name, try WrittenValue.map(fields).json())) }
        return bodies
    }

    func restEntries(_ type: ConfigType, asAdmin: Bool) -> [(name: String, fields: EntryFields.Fields)] {
        let form = EntryFields.Form.restBody(asAdmin: asAdmin)
        switch type {
        case .roles:
            return config.roles.filter { !$0.value.flags.isStatic }.map { ($0.key, EntryFields.role($0.value, form)) }
        case .rolesmapping:
            return config.roleMappings.filter { !$0.value.flags.isStatic }.map { ($0.key, EntryFields.roleMapping($0.value, form)) }
        case .actiongroups:
            return config.actionGroups.filter { !$0.value.flags.isStatic }.map { ($0.key, EntryFields.actionGroup($0.value, form)) }
        case .internalusers:
            return config.internalUsers.filter { !$0.value.flags.isStatic }.map { ($0.key, EntryFields.internalUser($0.value, form)) }
        case .tenants:
            return config.tenants.filter { !$0.value.flags.isStatic }.map { ($0.key, EntryFields.tenant($0.value, form)) }
        case .nodesdn:
            return config.nodesDN.map { ($0.key, EntryFields.nodesDN($0.value)) }
        case .config:
            return hasContent(.config) ? [("config", [("dynamic", WrittenValue(config.dynamic.raw))])] : []
        case .audit, .allowlist, .whitelist:
            guard let inner = settingsContent(type).first(where: { $0.key == "config" }), case .map(let fields) = inner.value else { return [] }
            return [("config", fields)]
        }
    }
}
