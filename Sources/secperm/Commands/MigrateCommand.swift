import Analyzer
import ArgumentParser
import Foundation
import PermissionCatalog

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy security configuration from SRC to DST safely: a plan by default; --apply backs DST up, writes, and proves parity.",
        discussion: """
            SRC is a cluster URL or a configuration in any --config form (a securityadmin directory such as `secperm fetch` writes, a REST API JSON bundle or directory, or security index documents). DST is a cluster URL, or a directory written as securityadmin files (it may not exist yet). Each cluster side takes the connection options with its prefix (--from-user, --from-password-env, --from-password-file, --from-cert, --from-key, --from-cacert, --from-insecure, and the same with --to-), so one side can use the admin certificate and the other a REST-admin user. Password hashes are read only with the admin certificate (SRC) and compared only when DST is read with it; server certificates are verified unless --…-insecure is given.

            The plan lists every entry of SRC in the order it would be written (action groups, roles, tenants, role mappings, internal users) as add, update (with the fields that change; fields only DST has are removed, since an update replaces the entry), unchanged, or skip with the reason: reserved, static or hidden on either side, a built-in name of DST's release, or an entry DST's Security API would refuse (a mapping of a missing role, an action group named like a role or listing itself, ':' in a user name, a new user without a password hash). Users keep their password hashes; a user whose hash and fields are identical is unchanged. Between releases each entry is translated so that it grants on DST what it grants on SRC, and the plan says how: a built-in action group that grants differently on DST's release (or is not there) is written as what it grants on SRC's; a permission renamed between them is renamed; a permission DST's release lacks with no successor makes the entry a skip naming it. config.yml (authentication domains), nodes_dn, audit and allowlist are node setup and not migrated; the plan says so.

            --apply first backs DST up in the fetch format (--backup DIR, default DST.backup-<time>, or ./secperm-backup-<time> for a cluster), writes DST (PUT per entry on a cluster, each answer checked; the first failure stops the run, which a second run finishes), then runs the `secperm diff` proof of SRC against DST as it now stands: "migration verified: equivalent for N subjects", or the witnesses of every difference. --verify runs the proof alone. A completed migration planned again has nothing to write.

            Examples:
              secperm migrate --from old-fetch/ --to new-config/ --target-from opendistro-1.13 --target-to opensearch-2.19
              secperm migrate --from old-fetch/ --to new-config/ --target-to opensearch-2.19 --apply --backup ./before-migration
              secperm migrate --from https://old:9200 --from-cert admin.pem --from-key admin-key.pem --from-cacert ca.pem \\
                              --to https://new:9200 --to-user os-sec-admin --to-password-env NEW_PW --to-cacert ca.pem \\
                              --backup ./before-migration --apply

            Exit status: 0 done (and equivalent when proved), 1 not equivalent or DST refused a write, 2 input error, 3 a cluster unreachable, a dropped connection, TLS or authentication failure (the side is named), or 503 — also when it stops a write halfway (the report says what was written; run it again to finish).
            """)

    @Option(help: ArgumentHelp("The configuration to copy: a cluster URL, or a directory, JSON bundle or security index documents.", valueName: "src"))
    var from: String

    @Option(help: ArgumentHelp("Where to copy it: a cluster URL, or a directory (securityadmin files; created when missing).", valueName: "dst"))
    var to: String

    @OptionGroup(title: "SRC connection") var fromConnection: FromConnection
    @OptionGroup(title: "DST connection") var toConnection: ToConnection

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
        if !MigrationConnection.isURL(from) && fromConnection.given { throw ValidationError("--from-… connection options need a cluster URL in --from") }
        if !MigrationConnection.isURL(to) && toConnection.given { throw ValidationError("--to-… connection options need a cluster URL in --to") }
        try MigrationConnection.validate(prefix: "from-", user: fromConnection.user, passwordEnv: fromConnection.passwordEnv, passwordFile: fromConnection.passwordFile)
        try MigrationConnection.validate(prefix: "to-", user: toConnection.user, passwordEnv: toConnection.passwordEnv, passwordFile: toConnection.passwordFile)
    }

    func run() async throws {
        let (source, sourceProfile) = try await readSource()
        let report: (text: String, failed: ExitStatus?)
        if MigrationConnection.isURL(to) {
            report = try await LiveRun.run(toConnection.settings(to)) { cluster in try await migrate(source, sourceProfile, to: cluster) }
        } else {
            report = try migrateDirectory(source, sourceProfile)
        }
        emit(report.text)
        if let failed = report.failed { throw failed.exitCode }
    }

    private func readSource() async throws -> (SecurityConfig, TargetProfile) {
        guard MigrationConnection.isURL(from) else {
            let profile = targetFrom ?? FetchedDirectory.recordedProfile(in: from) ?? .default
            return (try ConfigOption(path: from).load(profile: profile), profile)
        }
        let fetched = try await LiveRun.run(fromConnection.settings(from)) { cluster in
            try await MigrationLive.fetch(cluster, side: .source, profile: targetFrom)
        }
        if !fetched.hasPasswordHashes, !fetched.config.internalUsers.isEmpty {
            LiveRun.printError("note: SRC was read without its admin certificate: users carry no password hash (new users are skipped)")
        }
        return (fetched.config, fetched.info.profile)
    }

    private func migrate(_ source: SecurityConfig, _ sourceProfile: TargetProfile, to cluster: any Cluster) async throws -> (text: String, failed: ExitStatus?) {
        let current = try await MigrationLive.fetch(cluster, side: .target, profile: targetTo)
        let plan = MigrationPlanner(source: source, sourceProfile: sourceProfile, target: current.config,
                                    targetCatalog: Catalog(profile: current.info.profile), targetHashesKnown: current.hasPasswordHashes).plan()
        var outcome: MigrationOutcome?
        var after = current.config
        if apply {
            let result = await MigrationApplier().apply(plan, to: cluster, current: current, backupDirectory: backup ?? defaultBackup())
            outcome = result
            // After a failed write the target is not read again: the connection may be gone, and no proof follows.
            if result.completed, !result.written.isEmpty { after = try await MigrationLive.fetch(cluster, side: .target, profile: current.info.profile).config }
        }
        var verification: MigrationVerification?
        if verify || (apply && outcome?.completed == true) {
            verification = MigrationVerification(source: DiffInput(config: source, catalog: Catalog(profile: sourceProfile)),
                                                 target: DiffInput(config: after, catalog: Catalog(profile: current.info.profile),
                                                                   hashesKnown: current.hasPasswordHashes))
        }
        return (render(plan, outcome, verification), Self.exitStatus(outcome, verification))
    }

    /// 3 when a write stopped on the connection, authentication or a 503 (the cluster's side, as for
    /// every live command); 1 when the target refused a write or the proof found differences.
    static func exitStatus(_ outcome: MigrationOutcome?, _ verification: MigrationVerification?) -> ExitStatus? {
        switch outcome?.failure {
        case .transport?, .unreachable?, .notAuthorized?, .notInitialized?: return .clusterUnreachable
        case .some: return .negative
        case nil: return verification?.isEquivalent == false ? .negative : nil
        }
    }

    private func migrateDirectory(_ source: SecurityConfig, _ sourceProfile: TargetProfile) throws -> (text: String, failed: ExitStatus?) {
        let targetProfile = targetTo ?? FetchedDirectory.recordedProfile(in: to) ?? .default
        let target = try DirectoryTarget(path: to, profile: targetProfile)
        let plan = MigrationPlanner(source: source, sourceProfile: sourceProfile, target: target.current,
                                    targetCatalog: Catalog(profile: targetProfile), targetHashesKnown: true).plan()
        var outcome: MigrationOutcome?
        var after = target.current
        if apply {
            let result = target.apply(plan, backupDirectory: backup ?? defaultBackup())
            outcome = result
            if result.completed { after = MigrationApplier().apply(plan, to: target.current) }
        }
        var verification: MigrationVerification?
        if verify || (apply && outcome?.completed == true) {
            verification = MigrationVerification(source: DiffInput(config: source, catalog: Catalog(profile: sourceProfile)),
                                                 target: DiffInput(config: after, catalog: Catalog(profile: targetProfile)))
        }
        return (render(plan, outcome, verification), Self.exitStatus(outcome, verification))
    }

    private func render(_ plan: MigrationPlan, _ outcome: MigrationOutcome?, _ verification: MigrationVerification?) -> String {
        format == .json ? MigrationReport.json(plan, outcome: outcome, verification: verification)
                        : MigrationReport.text(plan, outcome: outcome, verification: verification)
    }

    private func defaultBackup() -> String {
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        if MigrationConnection.isURL(to) { return "secperm-backup-" + stamp }
        return URL(fileURLWithPath: to).standardizedFileURL.path + ".backup-" + stamp
    }
}
