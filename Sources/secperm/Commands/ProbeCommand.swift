import Analyzer
import ArgumentParser
import Dispatch
import Foundation
import PermissionCatalog

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Replay an application's requests as a scratch user and grow the least-privilege role, in few round trips.",
        discussion: """
            Reads requests in Dev Tools console syntax (the input of `secperm actions`, and what `simulate --record` writes), creates a scratch user, role and mapping through the Security REST API, pre-seeds the role with what the request planner predicts for every request (bodies included), replays the requests as the scratch user and grows the role by what the cluster's denials name, until every request passes. On 3.2+ a request whose first transport action decides is checked with ?perform_permission_check=true (nothing executes). The scratch user, role and mapping are removed at the end, also on error and on SIGINT/SIGTERM.

            The result is the minimal role — every grant needed by some request (leave-one-out, checked with the evaluator), built-in action groups only where they grant nothing extra — with the evidence: which request needed which action and the denial that proved it.

            Comment tags on the lines directly above a request:
              # expect: deny          the request must stay denied with the final role (exit 1 if not)
              # index-scope: logs-*   grant on this pattern rather than the literal index
            --index-scope applies a scope to every request without a tag.

            Offline (--config DIR): the same loop against an in-process simulated cluster serving that securityadmin directory for --target; requests that change data are sent there (nothing outside the process changes). Live clusters (--cluster URL) are not accepted yet.

            Examples:
              secperm probe requests.txt --config ./backup --target opensearch-2.19
              secperm probe requests.txt --config ./backup --cluster-metadata indices.json --out role.yml --format json

            Exit status: 0 converged with no must-deny violation, 1 otherwise, 2 input error, 3 the cluster refused the scratch setup.
            """)

    @Argument(help: ArgumentHelp("Console file with the requests, or - for standard input.", valueName: "requests"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("A securityadmin directory (roles.yml …) to probe offline against.", valueName: "dir"))
    var config: String

    @OptionGroup var context: ClusterContextOptions
    @OptionGroup var target: TargetOption
    @OptionGroup var output: FormatOption

    @Option(name: .customLong("role-name"), help: ArgumentHelp("Name of the resulting role.", valueName: "name"))
    var roleName = "probed_role"

    @Option(name: .customLong("index-scope"), help: ArgumentHelp("Grant index actions on this pattern instead of the literal indices (repeatable).", valueName: "pattern"))
    var indexScope: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write the role as a roles.yml document (_meta + the role).", valueName: "file"))
    var out: String?

    /// The identity the probe administers the in-process cluster with (its admin certificate DN).
    static let offlineAdminDN = "CN=secperm-probe-admin,O=secperm"

    func run() async throws {
        let profile = target.target
        let requests = try readRequests()
        let catalog = Catalog(profile: profile)
        let cluster: SimulatedCluster
        var options = ProbeLoop.Options()
        do {
            let settings = try InputFiles.nodeSettings(path: context.opensearchYML, overrides: context.settings, profile: profile)
            let metadata = try context.clusterMetadata.map(InputFiles.clusterMetadata(path:))
            cluster = try SimulatedCluster(configDirectory: config, catalog: catalog, settings: settings, metadata: metadata, adminDNs: [Self.offlineAdminDN])
            options.settings = settings
            options.metadata = metadata
        } catch {
            Diagnostics.printToStandardError(error.diagnostics)
            throw ExitStatus.inputError.exitCode
        }
        if !cluster.initializationProblems.isEmpty {
            // The plugin would not load this configuration on the target: every request gets 503.
            Diagnostics.printToStandardError(cluster.initializationProblems)
            throw ExitStatus.inputError.exitCode
        }
        options.roleName = roleName
        options.indexScope = indexScope
        options.allowWrites = true
        let loop = ProbeLoop(admin: cluster.inProcess(peer: PeerIdentity(clientCertificateDN: Self.offlineAdminDN, remoteAddress: "127.0.0.1:0", isTLS: true)),
                             user: cluster.inProcess(peer: PeerIdentity(remoteAddress: "127.0.0.1:0", isTLS: true)),
                             catalog: catalog, options: options)
        let result = try await Self.runInterruptibly(loop, requests: requests)
        try report(result)
        if !result.converged || !result.mustDenyViolations.isEmpty { throw ExitStatus.negative.exitCode }
    }

    private func readRequests() throws -> [ConsoleRequest] {
        do {
            return try ConsoleParser.parse(try InputText.read(file), file: file == "-" ? "<stdin>" : file)
        } catch {
            Diagnostics.printToStandardError(error.diagnostics)
            throw ExitStatus.inputError.exitCode
        }
    }

    /// Runs the loop in a task that SIGINT and SIGTERM cancel; the loop then removes the scratch
    /// user, role and mapping before it ends.
    static func runInterruptibly(_ loop: ProbeLoop, requests: [ConsoleRequest]) async throws -> ProbeResult {
        let showProgress = isatty(STDERR_FILENO) == 1
        let progress: (@Sendable (ProbeProgress) -> Void)? = showProgress ? Self.showProgress : nil
        let task = Task<ProbeResult, any Error> { try await loop.run(requests, progress: progress) }
        let sources = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        do {
            let result = try await task.value
            if showProgress { try? StandardStream.error.write("\u{1B}[2K") }
            return result
        } catch is CancellationError {
            try? StandardStream.error.write("\nprobe interrupted: the scratch user, role and mapping were removed\n")
            throw ExitStatus.negative.exitCode
        } catch let error as ProbeSetupError {
            try? StandardStream.error.write("error: the cluster refused to \(error.step): HTTP \(error.status) \(error.body)\n")
            throw ExitStatus.clusterUnreachable.exitCode
        }
    }

    @Sendable static func showProgress(_ step: ProbeProgress) {
        let text = "\u{1B}[2Kround \(step.round): request \(step.requestIndex + 1)/\(step.requestCount) \(step.request.method) \(step.request.path)\r"
        try? StandardStream.error.write(text)
    }

    private func report(_ result: ProbeResult) throws {
        var roleConfig = SecurityConfig()
        roleConfig.roles[result.role.name] = result.role
        let writer = ConfigWriter(roleConfig)
        let yaml = try ConfigWriter.rolesSnippet([result.role])
        let restJSON = try writer.restBodies(.roles, asAdmin: false).first?.body ?? "{}"
        if let out {
            do {
                try writer.securityadminFile(.roles).write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                Diagnostics.printToStandardError([.error("\(out): cannot write the role (\(error.localizedDescription))", hint: "check the directory exists and is writable")])
                throw ExitStatus.inputError.exitCode
            }
        }
        emit(output.format == .json ? ProbeReport.json(result) : ProbeReport.text(result, roleYAML: yaml, roleJSON: restJSON))
    }
}
