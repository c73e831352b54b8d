import PermissionCatalog

/// Text and JSON of `secperm fetch` and `secperm migrate`: the plan, what was written, the parity
/// verdict, and why a run stopped. Secrets never appear: a hash is only ever named as a field.
public enum MigrationReport {
    // MARK: plan

    public static func reason(_ reason: MigrationPlan.SkipReason) -> String {
        switch reason {
        case .reserved(let side): "reserved on the \(side.rawValue) (the REST API changes reserved entries only with the admin certificate)"
        case .hidden(let side): "hidden on the \(side.rawValue)"
        case .staticInSource: "static in the source (built into the source release, not configuration)"
        case .builtInOfTarget(let profile): "a built-in entry of \(profile.name) has this name"
        case .noPasswordHash: "no password hash in the source (read without its admin certificate); the target refuses a new user without 'hash' or 'password'"
        case .roleMissing(let role): "the target would refuse it: role '\(role)' not found."
        case .actionGroupNamedLikeRole: "the target would refuse it: an action group cannot be named with an existing role name"
        case .actionGroupContainsItself: "the target would refuse it: an action group cannot be an allowed_action of itself"
        case .restrictedCharacter: "the target would refuse it: ':' is not allowed in an account name"
        case .untranslatable(let names):
            "\(names.map { "'\($0)'" }.joined(separator: ", ")) \(names.count == 1 ? "does" : "do") not exist in the target release and "
                + "\(names.count == 1 ? "has" : "have") no successor there: written as is, the entry would grant less"
        }
    }

    static func translation(_ translation: MigrationPlan.Translation, target: TargetProfile) -> String {
        switch translation {
        case .builtInGroupExpanded(let group, let names):
            "built-in group '\(group)' grants differently on \(target.name); written as what it grants on the source: \(names.joined(separator: ", "))"
        case .renamed(let from, let to): "'\(from)' is '\(to)' on \(target.name); written renamed"
        }
    }

    static func changes(_ entry: MigrationPlan.Entry) -> String {
        entry.changes.map { change in
            switch change.kind {
            case .added: "\(change.field) set"
            case .changed: "\(change.field) changed"
            case .removed: "\(change.field) removed (only the target has it)"
            }
        }.joined(separator: ", ")
    }

    public static func planText(_ plan: MigrationPlan) -> String {
        var lines = ["plan: \(plan.sourceProfile.name) → \(plan.targetProfile.name): \(plan.count(.add)) add, \(plan.count(.update)) update, "
            + "\(plan.count(.unchanged)) unchanged, \(plan.count(.skip)) skip"]
        let nameWidth = min(32, plan.entries.map(\.name.count).max() ?? 0)
        for entry in plan.entries {
            var line = "  " + [pad(entry.operation.rawValue, 9), pad(entry.type.rawValue, 13), pad(entry.name, nameWidth)].joined(separator: " ")
            if let reason = entry.skipReason { line += "  " + self.reason(reason) }
            if entry.operation == .update { line += "  " + changes(entry) }
            if entry.hashNotCompared { line += "  (password hash not compared: the target was read without its admin certificate)" }
            lines.append(line.trimmingTrailingSpaces())
            for translation in entry.translations { lines.append("      note: " + self.translation(translation, target: plan.targetProfile)) }
        }
        for type in plan.notMigrated { lines.append("  not migrated: \(type.fileName): " + notMigrated(type)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Why a type the source has is not copied (MigrationPlan.notMigratedTypes).
    static func notMigrated(_ type: ConfigType) -> String {
        switch type {
        case .config: "authentication and authorization domains are node setup (hosts, keys, bind passwords), and the target's "
            + "Security API refuses to change them by default; set them up on the target"
        case .nodesdn: "the nodes' transport identities belong to each cluster"
        case .audit: "audit logging is set up per cluster"
        case .allowlist, .whitelist: "the API allowlist is set up per cluster"
        default: "not copied by migrate"
        }
    }

    // MARK: run

    /// The whole report of one `migrate` run.
    public static func text(_ plan: MigrationPlan, outcome: MigrationOutcome?, verification: MigrationVerification?) -> String {
        var text = planText(plan)
        if let outcome {
            if let backup = outcome.backupDirectory { text += "backup of the target written to \(backup)\n" }
            text += "written: \(outcome.written.count) of \(plan.writes.count)\n"
            if let failure = outcome.failure {
                if let entry = outcome.failedEntry { text += "stopped at \(entry.type.rawValue) '\(entry.name)': " } else { text += "stopped: " }
                text += describe(failure) + "\n"
                text += "nothing else was written; run the same command again to finish the plan\n"
            }
        } else if !plan.writes.isEmpty {
            text += "nothing written (a plan); add --apply to write\n"
        }
        if let verification { text += verificationText(verification) }
        return text
    }

    public static func verificationText(_ verification: MigrationVerification) -> String {
        if verification.isEquivalent { return "migration verified: equivalent for \(verification.subjectCount) subjects\n" }
        return "migration NOT verified: \(verification.result.verdict.rawValue)\n" + DiffReport.text(verification.result)
    }

    private struct JSONChange: Encodable {
        let field: String
        let change: String
    }

    private struct JSONEntry: Encodable {
        let type: String
        let name: String
        let op: String
        let reason: JSONNullable<String>
        let diff: [JSONChange]
        let translations: [String]
        let hashCompared: Bool
    }

    private struct JSONVerification: Encodable {
        let verdict: String
        let subjects: Int
        let equivalentSubjects: Int
    }

    private struct JSONRun: Encodable {
        let schemaVersion = 1
        let source: String
        let target: String
        let plan: [JSONEntry]
        let notMigrated: [String]
        let applied: Bool
        let written: [String]
        let backup: JSONNullable<String>
        let stopped: JSONNullable<String>
        let verification: JSONNullable<JSONVerification>
    }

    public static func json(_ plan: MigrationPlan, outcome: MigrationOutcome?, verification: MigrationVerification?) -> String {
        let entries = plan.entries.map { entry in
            JSONEntry(type: entry.type.rawValue, name: entry.name, op: entry.operation.rawValue, reason: JSONNullable(entry.skipReason.map(reason)),
                      diff: entry.changes.map { JSONChange(field: $0.field, change: $0.kind.rawValue) },
                      translations: entry.translations.map { translation($0, target: plan.targetProfile) }, hashCompared: !entry.hashNotCompared)
        }
        let stopped = outcome?.failure.map { failure in
            (outcome?.failedEntry.map { "\($0.type.rawValue) '\($0.name)': " } ?? "") + describe(failure)
        }
        let check = verification.map {
            JSONVerification(verdict: $0.result.verdict.rawValue, subjects: $0.subjectCount, equivalentSubjects: $0.result.equivalentSubjects)
        }
        return JSONOutput.render(JSONRun(source: plan.sourceProfile.name, target: plan.targetProfile.name, plan: entries,
                                         notMigrated: plan.notMigrated.map(\.rawValue), applied: outcome?.completed ?? false,
                                         written: outcome?.written.map { "\($0.type.rawValue)/\($0.name)" } ?? [],
                                         backup: JSONNullable(outcome?.backupDirectory), stopped: JSONNullable(stopped), verification: JSONNullable(check)))
    }

    // MARK: fetch

    public static func fetchText(_ fetched: FetchedConfiguration, directory: String) -> String {
        let config = fetched.config
        let how = fetched.access == .securityIndex ? "the security index (admin certificate)" : "the Security REST API"
        var text = "fetched \(fetched.info.profile.name) (version \(fetched.info.versionNumber)) through \(how) into \(directory): "
            + "\(config.roles.count) roles, \(config.roleMappings.count) role mappings, \(config.actionGroups.count) action groups, "
            + "\(config.internalUsers.count) internal users, \(config.tenants.count) tenants\n"
        if !fetched.hasPasswordHashes, !config.internalUsers.isEmpty {
            text += "users were written without password hashes: the REST API blanks them; fetch with the admin certificate to keep passwords\n"
        }
        let hidden = fetched.hiddenEntries
        if !hidden.isEmpty { text += "hidden entries (need admin access on a target): " + hidden.map { "\($0.type.rawValue)/\($0.name)" }.joined(separator: ", ") + "\n" }
        if !fetched.unavailableTypes.isEmpty {
            text += "not readable with these credentials: " + fetched.unavailableTypes.map(\.rawValue).joined(separator: ", ") + "\n"
        }
        if fetched.metadata == nil { text += "cluster_metadata.json not written: GET _alias was refused\n" }
        return text
    }

    private struct JSONFetch: Encodable {
        let schemaVersion = 1
        let directory: String
        let target: String
        let version: String
        let restPrefix: String
        let readFrom: String
        let passwordHashes: Bool
        let counts: [String: Int]
        let usersWithoutHash: [String]
        let hidden: [String]
        let unavailableTypes: [String]
        let metadataWritten: Bool
    }

    public static func fetchJSON(_ fetched: FetchedConfiguration, directory: String) -> String {
        let config = fetched.config
        return JSONOutput.render(JSONFetch(
            directory: directory, target: fetched.info.profile.name, version: fetched.info.versionNumber, restPrefix: fetched.info.restPrefix,
            readFrom: fetched.access.rawValue, passwordHashes: fetched.hasPasswordHashes,
            counts: ["roles": config.roles.count, "rolesmapping": config.roleMappings.count, "actiongroups": config.actionGroups.count,
                     "internalusers": config.internalUsers.count, "tenants": config.tenants.count],
            usersWithoutHash: fetched.usersWithoutHash, hidden: fetched.hiddenEntries.map { "\($0.type.rawValue)/\($0.name)" },
            unavailableTypes: fetched.unavailableTypes.map(\.rawValue), metadataWritten: fetched.metadata != nil))
    }

    // MARK: errors

    public static func describe(_ error: MigrationError) -> String {
        switch error {
        case .unreachable(let side, let detail): "the \(side.rawValue) cluster could not be reached: \(detail)"
        case .notAuthorized(let side, let request, let status, let message):
            "the \(side.rawValue) cluster refused \(request) (\(status))\(message.isEmpty ? "" : ": \(message)")"
        case .notInitialized(let side, let message): "the \(side.rawValue) cluster answered 503: \(message)"
        case .unexpected(let side, let request, let status, let message):
            "\(request) on the \(side.rawValue)\(status == 0 ? "" : " answered \(status)")\(message.isEmpty ? "" : ": \(message)")"
        case .transport(let side, let error): "the \(side.rawValue) cluster: \(withoutLead(ClusterErrorReport.line(error, optionPrefix: side == .source ? "from-" : "to-")))"
        case .release(let side, let failure): "the \(side.rawValue) cluster: \(ClusterErrorReport.reason(failure))"
        case .invalidConfiguration(let side, let error): "the \(side.rawValue) configuration does not load:\n\(error.description)"
        }
    }

    /// A cluster error's line inside a migrate sentence, which has its own lead ("error: the target cluster: …").
    private static func withoutLead(_ line: String) -> String {
        line.hasPrefix("error: ") ? String(line.dropFirst("error: ".count)) : line
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
