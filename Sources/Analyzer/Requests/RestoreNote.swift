/// The security plugin's special rules for a snapshot restore (`POST _snapshot/<repo>/<snap>/_restore`),
/// as they apply to one request: values here, sentences in Reporting (``ActionsReport``).
///
/// Followed: shared/reference/opensearch-security-semantics.md, "Snapshot restore
/// (`SnapshotRestoreEvaluator`)" — `include_global_state` refused; a source list holding the security
/// index, `_all` or `*` refused — and its settings table (`unsupported.restore.securityindex.enabled`,
/// `enable_snapshot_restore_privilege`, `check_snapshot_restore_write_privileges`, defaults false,
/// true, true); security-layer-responses.md "Snapshot restore" (the 403s). The evaluator applies the
/// same rules (Evaluation/EvaluationRun `passesRestoreRules`, `restoreWritePrivileges`).
public enum RestoreNote: Hashable, Sendable {
    /// `enable_snapshot_restore_privilege: false`: only the super admin (admin certificate) restores.
    case restoreByUsersDisabled(setting: String)
    /// The index list restores every index (no list, `*`, `_all`) or names the security index: the
    /// plugin refuses the restore for everyone but the super admin, unless `setting` is true.
    case securityIndexInSource(securityIndex: String, setting: String)
    /// The list leaves the security index out (`-<index>`): that rule passes.
    case securityIndexExcluded(securityIndex: String)
    /// The list names neither every index nor the security index: that rule passes.
    case securityIndexNotListed(securityIndex: String)
    /// The rules on the source list and the global state are off (`setting: true`).
    case securityIndexRestoreAllowed(setting: String)
    /// `include_global_state: true`: refused for everyone but the super admin, unless `setting` is true.
    case globalStateRefused(setting: String)
    /// `include_global_state` false or absent: that rule passes.
    case globalStateNotRestored
    /// The restored indices also need `indices:admin/create` and `indices:data/write/index`
    /// (`setting` true, the default); `lifted`: the settings given turn that off.
    case writePrivilegesOnRestoredIndices(setting: String, lifted: Bool)
    /// `rename_pattern`: the write check applies to the names after renaming.
    case renamedIndices
}

extension RestoreNote {
    /// The notes for a restore of `indices` (as the body lists them; empty = every index of the
    /// snapshot) under `settings`, in the plugin's order of checks.
    static func notes(indices: [String], includeGlobalState: Bool, renames: Bool, settings: NodeSettings, prefix: String) -> [RestoreNote] {
        guard settings.snapshotRestorePrivilegeEnabled else { return [.restoreByUsersDisabled(setting: "\(prefix).enable_snapshot_restore_privilege")] }
        var notes: [RestoreNote] = []
        let security = settings.securityIndexName
        if settings.restoreSecurityIndexEnabled {
            notes.append(.securityIndexRestoreAllowed(setting: "\(prefix).unsupported.restore.securityindex.enabled"))
        } else {
            let setting = "\(prefix).unsupported.restore.securityindex.enabled"
            if includeGlobalState { notes.append(.globalStateRefused(setting: setting)) } else { notes.append(.globalStateNotRestored) }
            notes.append(securityIndexRule(indices: indices, securityIndex: security, setting: setting))
        }
        notes.append(.writePrivilegesOnRestoredIndices(setting: "\(prefix).check_snapshot_restore_write_privileges",
                                                       lifted: !settings.checkSnapshotRestoreWritePrivileges))
        if renames { notes.append(.renamedIndices) }
        return notes
    }

    /// Whether the list takes the security index in: an exclusion `-<pattern>` matching it wins
    /// (OpenSearch's wildcard exclusion); else no list, `*`, `_all` or a pattern matching it.
    private static func securityIndexRule(indices: [String], securityIndex: String, setting: String) -> RestoreNote {
        let excluded = indices.contains { $0.hasPrefix("-") && PatternSet([String($0.dropFirst())]).matches(securityIndex) }
        if excluded { return .securityIndexExcluded(securityIndex: securityIndex) }
        let positive = indices.filter { !$0.hasPrefix("-") }
        if positive.isEmpty || positive.contains(where: { $0 == "_all" || PatternSet([$0]).matches(securityIndex) }) {
            return .securityIndexInSource(securityIndex: securityIndex, setting: setting)
        }
        return .securityIndexNotListed(securityIndex: securityIndex)
    }
}
