import Analyzer
import ArgumentParser
import Foundation
import PermissionCatalog

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Replay an application's requests as a scratch user and grow the least-privilege role, in few round trips.",
        discussion: """
            Reads requests in Dev Tools console syntax (the input of `secperm actions`, and what `simulate --record` writes), creates a scratch user (random name and password, never printed), role and mapping through the Security REST API, pre-seeds the role with what the request planner predicts for every request (bodies included), replays the requests as the scratch user and grows the role by what the cluster's denials name, until every request passes. On 3.2+ a request whose first transport action decides is checked with ?perform_permission_check=true (nothing executes). The scratch user, role and mapping are removed at the end, also on error and on SIGINT/SIGTERM.

            The result is the minimal role — every grant needed by some request (leave-one-out, checked with the evaluator), built-in action groups only where they grant nothing extra — with the evidence: which request needed which action and the denial that proved it.

            Comment tags on the lines directly above a request:
              # expect: deny          the request must stay denied with the final role (exit 1 if not)
              # index-scope: logs-*   grant on this pattern rather than the literal index
            --index-scope applies a scope to every request without a tag.

            Give exactly one of --cluster and --config.

            Live (--cluster URL): the admin side is the connection options' identity — a user whose roles may use the Security REST API (restapi.roles_enabled), or the admin certificate (--cert/--key). The scratch user is sent over the same URL with the same trust settings (--cacert, --insecure) and no client certificate. The release is read from GET / unless --target is given; the evaluator that re-checks denials and proves minimality reads aliases and data streams from --cluster-metadata (e.g. the cluster_metadata.json of secperm fetch), else from the cluster (GET _alias, GET _data_stream as the admin side), else takes every name for an index. Only dry runs and reads (GET/HEAD, searches) are sent unless --allow-writes; a request that would change data is reported as needing it. Nothing on the cluster but the scratch entries is touched, unless --apply: after a converged probe with no must-deny violation, the role is installed under --role-name, and a role of that name that exists is first saved to --backup (a roles.yml document, mode 0600) and the path printed.

            Offline (--config DIR): the same loop against an in-process simulated cluster serving that securityadmin directory for --target; every request is sent there, writes included (--allow-writes is implied; nothing outside the process changes).

            Examples:
              secperm probe requests.txt --cluster https://localhost:9200 --cacert ca.pem \\
                  --user admin --password-env OPENSEARCH_PASSWORD --out role.yml
              secperm probe requests.txt --cluster https://localhost:9200 --cacert ca.pem \\
                  --cert admin.pem --key admin-key.pem --allow-writes --apply --role-name app_writer
              secperm probe requests.txt --config ./backup --target opensearch-2.19 --cluster-metadata indices.json --format json

            Exit status: 0 converged with no must-deny violation, 1 otherwise (or interrupted), 2 input error, 3 the cluster was unreachable, refused the connection's credentials or TLS, or refused the scratch setup or --apply.
            """)

    @Argument(help: ArgumentHelp("Console file with the requests, or - for standard input.", valueName: "requests"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("A securityadmin directory (roles.yml …) to probe offline against.", valueName: "dir"))
    var config: String?

    @OptionGroup(title: "Live cluster") var live: ProbeConnection

    @Option(name: .long, help: ArgumentHelp(
        "Plugin release: opendistro-1.13, opensearch-2.11, opensearch-2.19, opensearch-3 … Offline default opensearch-3; live default: read from GET /.",
        valueName: "profile"))
    var target: TargetProfile?

    @OptionGroup var context: ClusterContextOptions
    @OptionGroup var output: FormatOption

    @Option(name: .customLong("role-name"), help: ArgumentHelp("Name of the resulting role.", valueName: "name"))
    var roleName = "probed_role"

    @Option(name: .customLong("index-scope"), help: ArgumentHelp("Grant index actions on this pattern instead of the literal indices (repeatable).", valueName: "pattern"))
    var indexScope: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write the role as a roles.yml document (_meta + the role).", valueName: "file"))
    var out: String?

    @Flag(name: .customLong("allow-writes"), help: "Live: also send requests that change data (default: only dry runs and reads). Offline every request is sent.")
    var allowWrites = false

    @Flag(name: .long, help: "Live: install the final role under --role-name (an existing one is backed up first).")
    var apply = false

    @Option(name: .long, help: ArgumentHelp("With --apply: where to save the role it replaces (default ./<role-name>.backup-<UTC time>.yml; never overwritten).", valueName: "file"))
    var backup: String?

    /// For the comparison in the docs: runs the one-403-at-a-time loop people run by hand instead
    /// (real requests only, from an empty role; writes need --allow-writes live) and reports its
    /// round trips. Not a way to make roles, so not in --help.
    @Flag(name: .customLong("one-at-a-time"), help: .hidden)
    var oneAtATime = false

    /// The identity the probe administers the in-process cluster with (its admin certificate DN).
    static let offlineAdminDN = "CN=secperm-probe-admin,O=secperm"

    func validate() throws {
        switch (config, live.cluster) {
        case (nil, nil): throw ValidationError("give --cluster URL (a live cluster) or --config DIR (offline)")
        case (_?, _?): throw ValidationError("give --cluster or --config, not both")
        case (_?, nil):
            if live.given { throw ValidationError("the connection options (--user, --cert, --cacert …) need --cluster") }
            if apply { throw ValidationError("--apply needs --cluster: offline there is no cluster to install the role on") }
        case (nil, _?):
            try live.validateForLive()
        }
        if backup != nil && !apply { throw ValidationError("--backup goes with --apply") }
        if oneAtATime && (apply || out != nil) { throw ValidationError("--one-at-a-time only measures; it takes no --apply or --out") }
        if roleName.isEmpty || roleName.contains("/") { throw ValidationError("--role-name must be a non-empty name without '/'") }
    }

    func run() async throws {
        let requests = try readRequests()
        if let url = live.cluster {
            try await runLive(url: url, requests: requests)
        } else {
            try await runOffline(requests: requests)
        }
    }

    private func runOffline(requests: [ConsoleRequest]) async throws {
        let profile = target ?? .default
        let catalog = Catalog(profile: profile)
        let cluster: SimulatedCluster
        var options = probeOptions()
        let settings = try InputFiles.nodeSettings(path: context.opensearchYML, overrides: context.settings, profile: profile)
        let metadata = try context.clusterMetadata.map(InputFiles.clusterMetadata(path:))
        // The scratch password never leaves this process: bcrypt's lowest cost is enough.
        cluster = try SimulatedCluster(configDirectory: config ?? "", catalog: catalog, settings: settings, metadata: metadata,
                                       adminDNs: [Self.offlineAdminDN], hasher: SystemCryptHasher(cost: 4))
        options.settings = settings
        options.metadata = metadata
        if !cluster.initializationProblems.isEmpty {
            // The plugin would not load this configuration on the target: every request gets 503.
            throw InputError(cluster.initializationProblems)
        }
        options.allowWrites = true
        let loop = ProbeLoop(admin: cluster.inProcess(peer: PeerIdentity(clientCertificateDN: Self.offlineAdminDN, remoteAddress: "127.0.0.1:0", isTLS: true)),
                             user: cluster.inProcess(peer: PeerIdentity(remoteAddress: "127.0.0.1:0", isTLS: true)),
                             catalog: catalog, options: options)
        if oneAtATime {
            let baseline = try await Self.runInterruptibly { _ in try await loop.runOneAtATime(requests) }
            return try reportBaseline(baseline)
        }
        let result = try await Self.runInterruptibly { try await loop.run(requests, progress: $0) }
        try report(result, applied: nil)
        if !result.converged || !result.mustDenyViolations.isEmpty { throw ExitStatus.negative.exitCode }
    }

    private func reportBaseline(_ baseline: ProbeBaselineResult) throws {
        emit(output.format == .json ? ProbeReport.baselineJSON(baseline) : ProbeReport.baselineText(baseline))
        if !baseline.converged { throw ExitStatus.negative.exitCode }
    }

    /// Admin channel: the connection options. Scratch channel: the same URL and trust settings,
    /// no client certificate, basic auth of the scratch user (its password handed to the client
    /// directly, never through argv, the environment or a file).
    private func runLive(url: String, requests: [ConsoleRequest]) async throws {
        let settings = live.settings(url)
        let metadata = try context.clusterMetadata.map(InputFiles.clusterMetadata(path:))
        let (outcome, applied) = try await LiveRun.run(settings) { admin -> (Outcome, ProbeApplyOutcome?) in
            let identity = try await IdentityLookup.lookUp(admin, clusterName: admin.url.display, user: settings.user, target: target)
            let profile = try identity.release.get().profile
            var options = probeOptions()
            do throws(InputError) {
                options.settings = try InputFiles.nodeSettings(path: context.opensearchYML, overrides: context.settings, profile: profile)
            } catch {
                Diagnostics.printToStandardError(error.diagnostics)
                throw ExitStatus.inputError.exitCode
            }
            // The cluster's own indices, aliases and data streams when no file names them, so that
            // leave-one-out on the evaluator resolves names as the cluster does.
            options.metadata = metadata
            if metadata == nil {
                options.metadata = try? await ConfigFetcher(cluster: admin, side: .target, profile: profile).clusterMetadata()
            }
            options.allowWrites = allowWrites
            let catalog = Catalog(profile: profile)
            let scratch = ScratchIdentity()
            var userSettings = settings
            userSettings.user = scratch.user
            userSettings.password = .none
            userSettings.certificate = nil
            userSettings.key = nil
            let outcome = try await HTTPCluster.with(userSettings, password: scratch.password) { user -> Outcome in
                let loop = ProbeLoop(admin: admin, user: user, catalog: catalog, options: options)
                if oneAtATime {
                    return .baseline(try await Self.runInterruptibly { _ in try await loop.runOneAtATime(requests, identity: scratch) })
                }
                return .probe(try await Self.runInterruptibly { try await loop.run(requests, identity: scratch, progress: $0) })
            }
            if options.metadata == nil {
                // Said once the probe has run, so that a refused setup stays a one-line error.
                LiveRun.printError("note: GET _alias was refused, so the re-checks counted every name as an index; give --cluster-metadata for aliases and data streams")
            }
            guard case .probe(let result) = outcome, apply else { return (outcome, nil) }
            guard result.converged, result.mustDenyViolations.isEmpty else {
                LiveRun.printError("not applied: the probe did not converge without must-deny violations, so role \(roleName) was left as it is")
                return (outcome, nil)
            }
            return (outcome, try await install(result.role, admin: admin, profile: profile))
        }
        switch outcome {
        case .baseline(let baseline):
            try reportBaseline(baseline)
        case .probe(let result):
            try report(result, applied: applied)
            if !result.converged || !result.mustDenyViolations.isEmpty { throw ExitStatus.negative.exitCode }
        }
    }

    enum Outcome: Sendable {
        case probe(ProbeResult)
        case baseline(ProbeBaselineResult)
    }

    private func probeOptions() -> ProbeLoop.Options {
        var options = ProbeLoop.Options()
        options.roleName = roleName
        options.indexScope = indexScope
        return options
    }

    /// `--apply`: the existing role's definition goes to the backup file first (nothing is
    /// installed when it cannot be written), then the PUT.
    private func install(_ role: Role, admin: HTTPCluster, profile: TargetProfile) async throws -> ProbeApplyOutcome {
        let applier = ProbeApply(admin: admin, profile: profile)
        var backupPath: String?
        do {
            if let existing = try await applier.existing(role.name) {
                let path = backup ?? Self.defaultBackupPath(roleName: role.name, now: Date())
                try Self.writePrivate(try ConfigWriter(existing).securityadminFile(.roles), to: path)
                backupPath = path
            }
            try await applier.install(role)
        } catch let error as ProbeSetupError {
            LiveRun.printError("error: the cluster refused to \(error.step): HTTP \(error.status) \(error.body)")
            throw ExitStatus.clusterUnreachable.exitCode
        } catch let error as BackupWriteError {
            LiveRun.printError("error: \(error.message); the role was not installed")
            throw ExitStatus.inputError.exitCode
        }
        return ProbeApplyOutcome(roleName: role.name, backupPath: backupPath)
    }

    struct BackupWriteError: Error {
        let message: String
    }

    static func defaultBackupPath(roleName: String, now: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return "\(roleName).backup-\(formatter.string(from: now)).yml"
    }

    /// A new file, mode 0600 from its creation; an existing file is never replaced.
    static func writePrivate(_ text: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw BackupWriteError(message: "--backup \(path): cannot create the file (\(reason))")
        }
        defer { close(descriptor) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw BackupWriteError(message: "--backup \(path): cannot write the file (\(String(cString: strerror(errno))))")
            }
            bytes = bytes.dropFirst(written)
        }
    }

    private func readRequests() throws -> [ConsoleRequest] {
        try ConsoleParser.parse(try InputText.read(file), file: file == "-" ? "<stdin>" : file)
    }

    /// Runs the loop in a task that SIGINT and SIGTERM cancel; the loop then removes the scratch
    /// user, role and mapping before it ends. Whatever a cancelled request throws (the HTTP
    /// client's own cancellation error included), a cancelled run ends as interrupted.
    static func runInterruptibly<T: Sendable>(_ body: @escaping @Sendable ((@Sendable (ProbeProgress) -> Void)?) async throws -> T) async throws -> T {
        let showProgress = isatty(STDERR_FILENO) == 1
        let progress: (@Sendable (ProbeProgress) -> Void)? = showProgress ? Self.showProgress : nil
        let task = Task<T, any Error> { try await body(progress) }
        let stop = SignalStop { task.cancel() }
        defer { withExtendedLifetime(stop) {} }
        do {
            let result = try await task.value
            if showProgress { try? StandardStream.error.write("\u{1B}[2K") }
            return result
        } catch let failure as ProbeCleanupFailure {
            LiveRun.printError("error: the scratch user, role or mapping could not all be removed; remove these by hand:")
            for problem in failure.problems { LiveRun.printError("  \(problem)") }
            throw stopped(failure.cause, cancelled: task.isCancelled, cleanedUp: false)
        } catch {
            throw stopped(error, cancelled: task.isCancelled, cleanedUp: true)
        }
    }

    /// The exit for a probe that stopped early: interrupted (1), the cluster refused a setup step
    /// (3), or the error itself for the live error mapping (connection, TLS, authentication: 3).
    private static func stopped(_ error: any Error, cancelled: Bool, cleanedUp: Bool) -> any Error {
        if cancelled {
            if cleanedUp { LiveRun.printError("\nprobe interrupted: the scratch user, role and mapping were removed") }
            return ExitStatus.negative.exitCode
        }
        if let error = error as? ProbeSetupError {
            LiveRun.printError("error: the cluster refused to \(error.step): HTTP \(error.status) \(error.body)")
            return ExitStatus.clusterUnreachable.exitCode
        }
        return error
    }

    @Sendable static func showProgress(_ step: ProbeProgress) {
        let text = "\u{1B}[2Kround \(step.round): request \(step.requestIndex + 1)/\(step.requestCount) \(step.request.method) \(step.request.path)\r"
        try? StandardStream.error.write(text)
    }

    private func report(_ result: ProbeResult, applied: ProbeApplyOutcome?) throws {
        var roleConfig = SecurityConfig()
        roleConfig.roles[result.role.name] = result.role
        let writer = ConfigWriter(roleConfig)
        let yaml = try ConfigWriter.rolesSnippet([result.role])
        let restJSON = try writer.restBodies(.roles, asAdmin: false).first?.body ?? "{}"
        if let out {
            do {
                try writer.securityadminFile(.roles).write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                throw InputError([.error("\(out): cannot write the role (\(error.localizedDescription))", hint: "check the directory exists and is writable")])
            }
        }
        emit(output.format == .json ? ProbeReport.json(result, applied: applied)
             : ProbeReport.text(result, roleYAML: yaml, roleJSON: restJSON, applied: applied))
    }
}

/// `probe`'s connection options: ConnectionOptions with `--cluster` optional, because `--config`
/// is the other way to run the probe. `--cert` is used for the admin side only, never for the
/// scratch user; `--max-rate` applies per channel (admin, scratch user).
struct ProbeConnection: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The live cluster, e.g. https://localhost:9200 (instead of --config). Its admin side authenticates with --user (a user whose roles may use the Security REST API) or --cert/--key (the admin certificate).", valueName: "url"))
    var cluster: String?

    @OptionGroup var access: ClusterAccessOptions

    var given: Bool { access.given }

    /// The live run's own check on top of the options' (`ProbeCommand.validate` calls it).
    func validateForLive() throws {
        if access.user == nil && access.cert == nil {
            throw ValidationError("the admin side needs --user (a REST-API-privileged user) or --cert/--key (the admin certificate)")
        }
    }

    func settings(_ url: String) -> ConnectionSettings { access.settings(url) }
}
