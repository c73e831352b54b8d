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
    ///
    /// A request on all indices (no index, `_all`, `*`) names no index here: the legacy
    /// `IndexResolverReplacer` resolves it to `*` alone, so `SystemIndexAccessEvaluator` finds no
    /// security or system index among its names and lets a read through (its contents are blanked
    /// later); only the write-on-all rules apply to it.
    func check(actions: [ActionPlan], resolution: IndexResolution, hasSystemIndexPermission: (String) -> Bool,
               holdsProtectedRole: () -> Bool) -> Verdict {
        // The write-type action of the set if there is one; it decides and names the denial.
        guard let plan = actions.first(where: \.isWriteType) ?? actions.first else { return .pass }
        let action = plan.name, denied = plan.isWriteType
        let protectedPlan = settings.protectedIndicesEnabled ? actions.first(where: \.isRefusedOnProtectedIndices) : nil
        // Nothing below can apply to a read while permission mode is off.
        if !denied, !permissionMode, protectedPlan == nil { return .pass }
        let names = resolution.isLocalAll ? [] : resolution.names
        if permissionMode {
            if names.contains(where: isSecurityIndex) {
                return .deny(.securityIndexInPermissionMode(index: settings.securityIndexName))
            }
            // A request touching a system index needs the explicit privilege on every index it
            // names, regular ones included (`hasExplicitIndexPrivilege` over the whole resolved set).
            if let system = names.first(where: isSystemIndex), let lacking = names.first(where: { !hasSystemIndexPermission($0) }) {
                return .deny(isSystemIndex(lacking)
                    ? .systemIndex(index: lacking, action: action, permissionMode: true)
                    : .regularIndexBesideSystemIndex(index: lacking, systemIndex: system))
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
        // Protected indices refuse only the listed write-type actions; reads pass and are blanked
        // (legacy `ProtectedIndexAccessEvaluator`, `SystemIndexSearcherWrapper`).
        if let protectedPlan, !holdsProtectedRole() {
            if resolution.isLocalAll { return .deny(.protectedIndex(index: nil, action: protectedPlan.name)) }
            if let index = names.first(where: isProtectedIndex) {
                return .deny(.protectedIndex(index: index, action: protectedPlan.name))
            }
        }
        return .pass
    }

    func isProtectedIndex(_ name: String) -> Bool {
        settings.protectedIndicesEnabled && protectedPatterns.matches(name)
    }

    /// Whether the mapped roles (existing or not, as the plugin's `mappedRoles`) include one of
    /// `protected_indices.roles`.
    func holdsProtectedRole(_ mappedRoles: [String]) -> Bool {
        mappedRoles.contains(where: protectedRoles.matches)
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
