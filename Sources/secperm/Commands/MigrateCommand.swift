import Analyzer
import ArgumentParser
import Foundation
import PermissionCatalog

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy security configuration from SRC to DST safely: a plan by default; --apply backs DST up, writes, and proves parity.",
        discussion: """
            SRC is a configuration in any --config form (a securityadmin directory such as `secperm fetch` writes, a REST API JSON bundle or directory, or security index documents). DST is a directory, written as securityadmin files; it may not exist yet. Cluster URLs are not accepted yet (the connection layer has not landed).

            The plan lists every entry of SRC in the order it would be written (action groups, roles, tenants, role mappings, internal users) as add, update (with the fields that change; fields only DST has are removed, since an update replaces the entry), unchanged, or skip with the reason: reserved, static or hidden on either side, a built-in name of DST's release, or an entry DST's Security API would refuse (a mapping of a missing role, an action group named like a role or listing itself, ':' in a user name, a new user without a password hash). Users keep their password hashes; a user whose hash and fields are identical is unchanged. Names SRC's release knows and DST's does not are reported per entry.

            --apply first backs DST up (--backup DIR, default DST.backup-<time>), writes DST, then runs the `secperm diff` proof of SRC against DST as it now stands: "migration verified: equivalent for N subjects", or the witnesses of every difference. --verify runs the proof alone. A completed migration planned again has nothing to write.

            Examples:
              secperm migrate --from old-fetch/ --to new-config/ --target-from opendistro-1.13 --target-to opensearch-2.19
              secperm migrate --from old-fetch/ --to new-config/ --target-to opensearch-2.19 --apply --backup ./before-migration

            Exit status: 0 done (and equivalent when proved), 1 not equivalent or a write failed, 2 input error.
            """)

    @Option(help: ArgumentHelp("The configuration to copy (directory, JSON bundle or directory, or security index documents).", valueName: "src"))
    var from: String

    @Option(help: ArgumentHelp("The directory to write (securityadmin files; created when missing).", valueName: "dst"))
    var to: String

    @Option(name: .customLong("target-from"), help: ArgumentHelp("Plugin release of SRC (default: the one recorded by `secperm fetch`, else the newest OpenSearch line).", valueName: "profile"))
    var targetFrom: TargetProfile?

    @Option(name: .customLong("target-to"), help: ArgumentHelp("Plugin release of DST (default: as for --target-from).", valueName: "profile"))
    var targetTo: TargetProfile?

    @Flag(help: "Write DST (after a backup) and prove parity; without it only the plan is shown.")
    var apply = false

    @Option(help: ArgumentHelp("Where --apply backs DST up first (default: DST.backup-<time>).", valueName: "dir"))
    var backup: String?

    @Flag(help: "Prove parity of SRC and DST as they stand (with `secperm diff`'s engine); exit 1 if not equivalent.")
    var verify = false

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "Output format: text (for people) or json (for scripts; carries schemaVersion).")
    var format: Format = .text

    func validate() throws {
        if backup != nil && !apply { throw ValidationError("--backup needs --apply") }
    }

    func run() throws {
        let sourceProfile = targetFrom ?? FetchedDirectory.recordedProfile(in: from) ?? .default
        let targetProfile = targetTo ?? FetchedDirectory.recordedProfile(in: to) ?? .default
        let source = try ConfigOption(path: from).load(profile: sourceProfile)
        let target: DirectoryTarget
        do {
            target = try DirectoryTarget(path: to, profile: targetProfile)
        } catch {
            Diagnostics.printToStandardError(error.diagnostics)
            throw ExitStatus.inputError.exitCode
        }
        let plan = MigrationPlanner(source: source, sourceProfile: sourceProfile, target: target.current,
                                    targetCatalog: Catalog(profile: targetProfile), targetHashesKnown: true).plan()
        var outcome: MigrationOutcome?
        var after = target.current
        if apply {
            let result = target.apply(plan, source: source, backupDirectory: backup ?? defaultBackup())
            outcome = result
            if result.completed { after = MigrationApplier(source: source).apply(plan, to: target.current) }
        }
        var verification: MigrationVerification?
        if verify || (apply && outcome?.completed == true) {
            verification = MigrationVerification(source: DiffInput(config: source, catalog: Catalog(profile: sourceProfile)),
                                                 target: DiffInput(config: after, catalog: Catalog(profile: targetProfile)))
        }
        emit(format == .json ? MigrationReport.json(plan, outcome: outcome, verification: verification)
                             : MigrationReport.text(plan, outcome: outcome, verification: verification))
        if outcome?.completed == false || verification?.isEquivalent == false { throw ExitStatus.negative.exitCode }
    }

    private func defaultBackup() -> String {
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        return URL(fileURLWithPath: to).standardizedFileURL.path + ".backup-" + stamp
    }
}
