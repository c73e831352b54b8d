import PermissionCatalog

/// The security index, system indices and protected indices (§2.7, legacy
/// `SystemIndexAccessEvaluator` / `ProtectedIndexAccessEvaluator`): rules that hold whatever the
/// roles say. Their denials list no privilege: the 403 reads `no permissions for [] and User […]`.
final class SpecialIndexRules: Sendable {
    let settings: NodeSettings
    let systemPatterns: PatternSet
    let protectedPatterns: PatternSet
    let protectedRoles: PatternSet
    /// First bytes a system index name can start with; nil when a pattern could match any start.
    private let systemFirstBytes: FirstBytes?

    init(settings: NodeSettings, metadata: ClusterMetadata?) {
        self.settings = settings
        var system = settings.systemIndices
        if settings.systemIndicesEnabled { system += (metadata?.systemIndices ?? []).sorted() }
        systemPatterns = PatternSet(system)
        systemFirstBytes = FirstBytes(systemPatterns.patterns)
        protectedPatterns = PatternSet(settings.protectedIndices)
        protectedRoles = PatternSet(settings.protectedIndicesRoles)
    }

    var permissionMode: Bool { settings.systemIndicesEnabled && settings.systemIndexPermissionEnabled }

    /// Code-unit equality, as Java's `String.equals` (no Unicode normalization); the length test
    /// rejects almost every name at once.
    func isSecurityIndex(_ name: String) -> Bool {
        let security = settings.securityIndexName.utf8
        return name.utf8.count == security.count && name.utf8.elementsEqual(security)
    }

    func isSystemIndex(_ name: String) -> Bool {
        guard settings.systemIndicesEnabled else { return false }
        if let systemFirstBytes, !systemFirstBytes.admits(name) { return false }
        return !isSecurityIndex(name) && systemPatterns.matches(name)
    }

    enum Verdict: Equatable {
        case pass
        case deny(SpecialDenial)
    }

    /// Checks the rules in the plugin's order for every action checked together (a write anywhere in
    /// the set makes it a write). `hasSystemIndexPermission` answers whether the subject holds
    /// `system:admin/system_index` explicitly on a system index; `holdsProtectedRole` is asked only
    /// when protected indices are enabled.
    func check(actions: [ActionPlan], resolution: IndexResolution, hasSystemIndexPermission: (String) -> Bool,
               holdsProtectedRole: () -> Bool) -> Verdict {
        let names = resolution.names
        // The write-type action of the set if there is one; it decides and names the denial.
        guard let plan = actions.first(where: \.isWriteType) ?? actions.first else { return .pass }
        let action = plan.name, denied = plan.isWriteType
        // Nothing below can apply to a read while neither mode is on.
        if !denied, !permissionMode, !settings.protectedIndicesEnabled { return .pass }
        if permissionMode {
            if names.contains(where: isSecurityIndex) {
                return .deny(.securityIndexInPermissionMode(index: settings.securityIndexName))
            }
            if let index = names.first(where: { isSystemIndex($0) && !hasSystemIndexPermission($0) }) {
                return .deny(.systemIndex(index: index, action: action, permissionMode: true))
            }
        }
        if denied {
            if resolution.isLocalAll && !settings.filterSecurityIndexFromAllRequests {
                return .deny(.allIndicesWriteIncludesSecurityIndex(action: action, securityIndex: settings.securityIndexName))
            }
            if let index = names.first(where: isSecurityIndex) {
                return .deny(.securityIndexWrite(index: index, action: action))
            }
            if !permissionMode, let index = names.first(where: isSystemIndex) {
                return .deny(.systemIndex(index: index, action: action, permissionMode: false))
            }
        }
        if settings.protectedIndicesEnabled, !holdsProtectedRole() {
            if !resolution.isLocalAll, let index = names.first(where: protectedPatterns.matches) {
                return .deny(.protectedIndex(index: index, action: action))
            }
            if resolution.isLocalAll, denied {
                return .deny(.protectedIndex(index: nil, action: action))
            }
        }
        return .pass
    }

    /// Whether a read of `name` is served empty to a non-admin user (§2.7: empty reader).
    func readIsBlanked(_ name: String, hasSystemIndexPermission: (String) -> Bool) -> Bool {
        if isSecurityIndex(name) { return true }
        guard isSystemIndex(name) else { return false }
        return !(permissionMode && hasSystemIndexPermission(name))
    }
}

/// The bytes a set of patterns' matches can start with, for rejecting most names before any
/// pattern runs. Only exact, prefix and glob patterns with a literal first character qualify.
struct FirstBytes: Sendable {
    private let allowed: [Bool]

    /// Nil when some pattern could match a name starting with anything (a leading wildcard, a
    /// regex, `*`).
    init?(_ patterns: [Pattern]) {
        var allowed = [Bool](repeating: false, count: 256)
        for pattern in patterns {
            switch pattern.form {
            case .nothing: continue
            case .exact, .prefix, .glob:
                guard let first = pattern.source.utf8.first, first != UInt8(ascii: "*"), first != UInt8(ascii: "?") else { return nil }
                allowed[Int(first)] = true
            case .anything, .contains, .regex: return nil
            }
        }
        self.allowed = allowed
    }

    func admits(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        return allowed[Int(first)]
    }
}
