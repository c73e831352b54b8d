import PermissionCatalog

/// Builds a ``MigrationPlan`` from the source configuration and the target's current one.
///
/// Entries are compared as the REST API bodies `migrate` would send (ConfigWriter's REST form
/// without `reserved`/`hidden`), so `unchanged` means "a PUT would change nothing". The checks
/// that can be made before writing follow the target's own validation: AbstractApiAction
/// (reserved, hidden, static), the role-existence checks of RolesMappingApiAction and
/// InternalUsersApiAction, ActionGroupsApiAction's name checks (2.10+), UserService's ':' check
/// (2.10+) — as the simulated cluster implements them (Cluster/Simulation/SecurityAPI.swift).
public struct MigrationPlanner: Sendable {
    public let source: SecurityConfig
    public let sourceProfile: TargetProfile
    public let target: SecurityConfig
    public let targetCatalog: Catalog
    /// The target was read with its admin certificate, so its users' hashes are known.
    public let targetHashesKnown: Bool

    public init(source: SecurityConfig, sourceProfile: TargetProfile, target: SecurityConfig, targetCatalog: Catalog, targetHashesKnown: Bool) {
        self.source = source
        self.sourceProfile = sourceProfile
        self.target = target
        self.targetCatalog = targetCatalog
        self.targetHashesKnown = targetHashesKnown
    }

    typealias Fields = [String: String]

    public func plan() -> MigrationPlan {
        let translator = MigrationTranslator(source: source, sourceProfile: sourceProfile, target: target, targetCatalog: targetCatalog)
        let (written, results) = translator.translate(source)
        var entries: [MigrationPlan.Entry] = []
        // Roles the target will have once the plan is done: for mappings and users that name them.
        var roles = Set(target.roles.keys).union(targetCatalog.staticRoles.map(\.name))
        for type in MigrationPlan.typeOrder {
            let sourceFields = Self.fields(written, type), targetFields = Self.fields(target, type)
            for name in Self.names(source, type) {
                let entry = plan(type, name, sourceFields[name] ?? [:], targetFields[name], roles: roles, translation: results[type]?[name])
                if type == .roles, entry.operation == .add { roles.insert(name) }
                entries.append(entry)
            }
        }
        let notMigrated = MigrationPlan.notMigratedTypes.filter { source.presentTypes.contains($0.rawValue) }
        return MigrationPlan(sourceProfile: sourceProfile, targetProfile: targetCatalog.profile, entries: entries, source: written, notMigrated: notMigrated)
    }

    private func plan(_ type: ConfigType, _ name: String, _ fields: Fields, _ existing: Fields?, roles: Set<String>,
                      translation: MigrationTranslator.Result?) -> MigrationPlan.Entry {
        let translations = translation?.translations ?? []
        func skip(_ reason: MigrationPlan.SkipReason) -> MigrationPlan.Entry {
            MigrationPlan.Entry(type: type, name: name, operation: .skip, skipReason: reason, changes: [], translations: [], hashNotCompared: false)
        }
        if let reason = skipReason(type, name, exists: existing != nil, roles: roles) { return skip(reason) }
        if let missing = translation?.untranslatable, !missing.isEmpty { return skip(.untranslatable(missing)) }
        var compared = fields, current = existing ?? [:]
        var hashNotCompared = false
        if type == .internalusers {
            if fields["hash"] == nil {
                guard existing != nil else { return skip(.noPasswordHash) }
                // A PUT without a hash keeps the target's (SecurityAPI.storedForm).
                current["hash"] = nil
            } else if !targetHashesKnown, existing != nil {
                compared["hash"] = nil
                current["hash"] = nil
                hashNotCompared = true
            }
        }
        guard existing != nil else {
            return MigrationPlan.Entry(type: type, name: name, operation: .add, skipReason: nil, changes: [], translations: translations, hashNotCompared: false)
        }
        let changes = Self.changes(from: current, to: compared)
        return MigrationPlan.Entry(type: type, name: name, operation: changes.isEmpty ? .unchanged : .update, skipReason: nil, changes: changes,
                                   translations: translations, hashNotCompared: hashNotCompared)
    }

    // MARK: skip reasons

    private func skipReason(_ type: ConfigType, _ name: String, exists: Bool, roles: Set<String>) -> MigrationPlan.SkipReason? {
        let newStyle = ReleaseBehaviour(profile: targetCatalog.profile).hasNewRestMessages
        let flags = Self.flags(source, type, name), targetFlags = Self.flags(target, type, name)
        if flags?.isStatic == true { return .staticInSource }
        if flags?.reserved == true { return .reserved(.source) }
        if flags?.hidden == true { return .hidden(.source) }
        if isBuiltInOfTarget(type, name) { return .builtInOfTarget(targetCatalog.profile) }
        if targetFlags?.reserved == true { return .reserved(.target) }
        if targetFlags?.hidden == true { return .hidden(.target) }
        switch type {
        case .rolesmapping:
            if !roles.contains(name) { return .roleMissing(name) }
        case .internalusers:
            if newStyle, name.contains(":") { return .restrictedCharacter }
            if let missing = source.internalUsers[name]?.securityRoles.map(\.value).first(where: { !roles.contains($0) }) { return .roleMissing(missing) }
        case .actiongroups where newStyle:
            if roles.contains(name) || source.roles[name] != nil { return .actionGroupNamedLikeRole }
            if source.actionGroups[name]?.allowedActions.contains(where: { $0.value == name }) == true { return .actionGroupContainsItself }
        default:
            break
        }
        return nil
    }

    private func isBuiltInOfTarget(_ type: ConfigType, _ name: String) -> Bool {
        switch type {
        case .roles: targetCatalog.staticRole(named: name) != nil
        case .actiongroups: targetCatalog.staticActionGroup(named: name) != nil
        case .tenants: targetCatalog.staticTenants.contains { $0.name == name }
        default: false
        }
    }

    // MARK: built-in groups

    /// A built-in action group's names after following the built-in groups it lists (to a fixpoint).
    static func flattened(_ group: String, _ catalog: Catalog) -> Set<String>? {
        guard catalog.staticActionGroup(named: group) != nil else { return nil }
        var result = Set<String>(), pending = [group], seen = Set<String>()
        while let next = pending.popLast() {
            guard seen.insert(next).inserted else { continue }
            if let nested = catalog.staticActionGroup(named: next) { pending += nested.allowedActions } else { result.insert(next) }
        }
        return result
    }

    // MARK: fields

    static func names(_ config: SecurityConfig, _ type: ConfigType) -> [String] {
        switch type {
        case .roles: config.roles.keys
        case .rolesmapping: config.roleMappings.keys
        case .actiongroups: config.actionGroups.keys
        case .internalusers: config.internalUsers.keys
        case .tenants: config.tenants.keys
        default: []
        }
    }

    static func flags(_ config: SecurityConfig, _ type: ConfigType, _ name: String) -> EntryFlags? {
        switch type {
        case .roles: config.roles[name]?.flags
        case .rolesmapping: config.roleMappings[name]?.flags
        case .actiongroups: config.actionGroups[name]?.flags
        case .internalusers: config.internalUsers[name]?.flags
        case .tenants: config.tenants[name]?.flags
        default: nil
        }
    }

    /// Each entry's REST body fields as JSON text per key (hash included: compared, never shown).
    static func fields(_ config: SecurityConfig, _ type: ConfigType) -> [String: Fields] {
        var result: [String: Fields] = [:]
        for (name, fields) in ConfigWriter(config).restEntries(type, asAdmin: false) {
            var texts: Fields = [:]
            for field in fields { texts[field.key] = (try? field.value.json()) ?? "" }
            result[name] = texts
        }
        return result
    }

    static func changes(from current: Fields, to wanted: Fields) -> [MigrationPlan.FieldChange] {
        var changes: [MigrationPlan.FieldChange] = []
        for key in Set(current.keys).union(wanted.keys).sorted() {
            switch (current[key], wanted[key]) {
            case (nil, _?): changes.append(MigrationPlan.FieldChange(field: key, kind: .added))
            case (_?, nil): changes.append(MigrationPlan.FieldChange(field: key, kind: .removed))
            case (let a?, let b?) where a != b: changes.append(MigrationPlan.FieldChange(field: key, kind: .changed))
            default: break
            }
        }
        return changes
    }
}
