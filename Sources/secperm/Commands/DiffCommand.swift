import Analyzer
import ArgumentParser
import Foundation
import PermissionCatalog

extension DiffSubjectSelection: ExpressibleByArgument {}

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Prove that two configurations grant exactly the same, per user, with a counterexample for every difference.",
        discussion: """
            SRC and DST are configurations in any --config form: a securityadmin directory (roles.yml …), a REST API JSON bundle or directory, or security index documents; or a cluster URL (http:// or https://), read in memory as `secperm fetch` reads it, with the connection options of its side: --from-user, --from-password-env, --from-password-file, --from-cert, --from-key, --from-cacert, --from-insecure for SRC, and the same with --to- for DST. With the admin certificate the security index is read (password hashes included); otherwise the Security REST API, which blanks hashes: they are then not compared (a note on standard error says so). A cluster's release is detected from GET / unless --target-from/--target-to is given; a directory written by `secperm fetch` keeps the release it recorded.

            Compared, for every subject — each internal user of either side, one subject per backend role, and_backend_roles set, mapped user name and host the role mappings name (a backend-role pattern also by a name only it matches), and pairs of these where a union of roles decides differently from its parts (protected_indices.roles, ${user.roles} / ${user.securityRoles} templates; at most 2,000 pairs, more make the verdict undecided) — every action of both targets' catalogs and every literal action the files name. Index grants are compared as sets of index names over all possible names (globs, Java regexes, ${…} templates rendered per user, date math at --now), so "equivalent" is a proof; each difference is shown by a concrete request that `secperm check` decides differently on each side (SRC with --target-from, DST with --target-to).

            Verdicts: equivalent, narrower (DST allows a subset), broader (a superset), incomparable (both), undecided (some comparison could not be decided exactly: a regex construct outside the supported subset such as a back-reference or lookaround, or a size bound; never reported as equivalent).

            Examples:
              secperm diff old-backup/ new-backup/
              secperm diff odfe.json opensearch.json --target-from opendistro-1.13 --target-to opensearch-2.19 --format json
              secperm diff old/ new/ --format html --out diff.html
              secperm diff https://old:9200 ./new-config --from-cacert ca.pem --from-cert admin.pem --from-key admin-key.pem

            Exit status: 0 equivalent, 1 any difference or undecided comparison, 2 input error, 3 a cluster unreachable, TLS or authentication failure (the side is named).
            """)

    @Argument(help: ArgumentHelp("The configuration before: a cluster URL, or a directory, JSON bundle or directory, or security index documents.", valueName: "src"))
    var source: String

    @Argument(help: ArgumentHelp("The configuration after (same forms).", valueName: "dst"))
    var destination: String

    @OptionGroup(title: "SRC connection (when SRC is a cluster URL)") var fromConnection: FromConnection
    @OptionGroup(title: "DST connection (when DST is a cluster URL)") var toConnection: ToConnection

    @Option(name: .customLong("target-from"), help: ArgumentHelp("Plugin release of SRC (default: detected from a cluster, recorded by `secperm fetch`, else the newest OpenSearch line).", valueName: "profile"))
    var targetFrom: TargetProfile?

    @Option(name: .customLong("target-to"), help: ArgumentHelp("Plugin release of DST (default: as for --target-from).", valueName: "profile"))
    var targetTo: TargetProfile?

    @Option(name: .customLong("opensearch-yml-from"), help: ArgumentHelp("Node settings of SRC (system/protected indices, mapping resolution).", valueName: "file"))
    var opensearchYMLFrom: String?

    @Option(name: .customLong("opensearch-yml-to"), help: ArgumentHelp("Node settings of DST.", valueName: "file"))
    var opensearchYMLTo: String?

    @Option(help: ArgumentHelp("Subjects: all (default), internal (internal users only), mapped (backend roles, mapped users and hosts only).", valueName: "which"))
    var users: DiffSubjectSelection = .all

    @Option(name: .customLong("user"), help: ArgumentHelp("Compare only this user (repeatable).", valueName: "name"))
    var onlyUsers: [String] = []

    @Option(name: .customLong("max-witnesses"), help: ArgumentHelp("Witnesses listed per subject; 0 lists one for every differing action.", valueName: "n"))
    var maxWitnesses = 10

    @Option(help: ArgumentHelp("The instant date-math patterns (<logs-{now/d}>) are resolved at, ISO 8601 (default: now).", valueName: "time"))
    var now: String?

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }

    @Option(help: "Output format: text (for people), json (for scripts; carries schemaVersion) or html (one self-contained page).")
    var format: Format = .text

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var out: String?

    func validate() throws {
        if maxWitnesses < 0 { throw ValidationError("--max-witnesses must be 0 or more") }
        if let now, ISO8601DateFormatter().date(from: now) == nil {
            throw ValidationError("--now \(now): expected an ISO 8601 time such as 2026-01-31T12:00:00Z")
        }
        if !MigrationConnection.isURL(source) && fromConnection.given { throw ValidationError("--from-… connection options need a cluster URL as SRC") }
        if !MigrationConnection.isURL(destination) && toConnection.given { throw ValidationError("--to-… connection options need a cluster URL as DST") }
        try MigrationConnection.validate(prefix: "from-", user: fromConnection.user, passwordEnv: fromConnection.passwordEnv, passwordFile: fromConnection.passwordFile)
        try MigrationConnection.validate(prefix: "to-", user: toConnection.user, passwordEnv: toConnection.passwordEnv, passwordFile: toConnection.passwordFile)
    }

    func run() async throws {
        let sourceInput = try await input(source, side: .source, profile: targetFrom, settings: opensearchYMLFrom)
        let targetInput = try await input(destination, side: .target, profile: targetTo, settings: opensearchYMLTo)
        for name in DiffSubjects.unknownUsers(onlyUsers, in: [sourceInput.config, targetInput.config]) {
            LiveRun.printError(DiffReport.unknownUserNote(name))
        }
        var diff = ConfigDiff(now: now.flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date())
        diff.selection = users
        diff.users = onlyUsers
        diff.maxWitnesses = maxWitnesses
        // Only the HTML matrix shows each action's own verdict.
        diff.perActionVerdicts = format == .html
        let result = diff.compare(source: sourceInput, target: targetInput)
        ProcessLifetime.keep(result)
        // JSON goes out as the bytes it is written in (a large report is tens of MB).
        let report: String
        switch format {
        case .text: report = DiffReport.text(result)
        case .html: report = DiffHTMLReport.page(result)
        case .json:
            let bytes = DiffReport.jsonBytes(result)
            guard out != nil else {
                emit(bytes)
                if result.verdict != .equivalent { throw ExitStatus.negative.exitCode }
                return
            }
            report = String(decoding: bytes, as: UTF8.self)
        }
        if let out {
            do {
                try report.write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                throw InputError([.error("\(out): cannot write the report (\(error.localizedDescription))", hint: "check the directory exists and is writable")])
            }
        } else {
            emit(report)
        }
        if result.verdict != .equivalent { throw ExitStatus.negative.exitCode }
    }

    /// One side: a cluster read in memory (release detected unless given), or files.
    private func input(_ path: String, side: MigrationSide, profile given: TargetProfile?, settings: String?) async throws -> DiffInput {
        let config: SecurityConfig, profile: TargetProfile
        var hashesKnown = true
        if MigrationConnection.isURL(path) {
            let connection = side == .source ? fromConnection.settings(path) : toConnection.settings(path)
            let fetched = try await LiveRun.run(connection) { cluster in try await MigrationLive.fetch(cluster, side: side, profile: given) }
            if !fetched.hasPasswordHashes, !fetched.config.internalUsers.isEmpty {
                LiveRun.printError("note: \(side == .source ? "SRC" : "DST") was read through the REST API (no admin certificate): password hashes are not compared")
            }
            (config, profile, hashesKnown) = (fetched.config, fetched.info.profile, fetched.hasPasswordHashes)
        } else {
            profile = given ?? FetchedDirectory.recordedProfile(in: path) ?? .default
            config = try ConfigOption(path: path).load(profile: profile)
        }
        let node = try InputFiles.nodeSettings(path: settings, overrides: [], profile: profile)
        return DiffInput(config: config, catalog: Catalog(profile: profile), settings: node, hashesKnown: hashesKnown)
    }
}

extension ConfigOption {
    /// The option as if `--config path` had been given.
    init(path: String) {
        self.init()
        config = path
    }
}
