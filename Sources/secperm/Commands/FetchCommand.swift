import Analyzer
import ArgumentParser
import Foundation
import PermissionCatalog

struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Read a cluster's security configuration into a directory that --config reads.",
        discussion: """
            Writes a securityadmin directory (config.yml, roles.yml, roles_mapping.yml, action_groups.yml, internal_users.yml, tenants.yml, each with _meta), cluster.json (flavor, release, REST prefix, fetched-at, how it was read) and cluster_metadata.json (indices, aliases, data streams from GET _alias?expand_wildcards=all and GET _data_stream; what --metadata reads). Static entries are not written: they come with the release.

            With the admin certificate (--cert/--key) the configuration is read from the security index (.opendistro_security/_doc/<type>), password hashes and hidden entries included. Otherwise the Security REST API is read, which blanks every hash: users are written without one, and the output says so. Files are written to a temporary folder and moved into place at the end; every file is 0600.

            Examples:
              secperm fetch --cluster https://old:9200 --cacert ca.pem --cert admin.pem --key admin-key.pem --out ./old-config
              secperm fetch --cluster https://new:9200 --cacert ca.pem --user admin --password-env NEW_PW --out ./new-config

            Exit status: 0 written, 2 bad options or files (or --out exists and is not empty), 3 cluster unreachable, TLS failure, or authentication failed.
            """)

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Option(name: .long, help: ArgumentHelp("Plugin release; skips detection from GET /.", valueName: "profile"))
    var target: TargetProfile?

    @Option(help: ArgumentHelp("The directory to write (must not exist or be empty).", valueName: "dir"))
    var out: String

    @Option(name: .customLong("security-index"), help: ArgumentHelp("Name of the security index.", valueName: "name"))
    var securityIndex = ".opendistro_security"

    @OptionGroup var output: FormatOption

    func run() async throws {
        let fetched = try await LiveRun.run(connection.settings) { cluster in
            try await MigrationLive.fetch(cluster, side: .source, profile: target, securityIndex: securityIndex)
        }
        do {
            try FetchedDirectory.write(fetched, to: out)
        } catch {
            throw CommandFailure.input(error.description)
        }
        emit(output.format == .json ? MigrationReport.fetchJSON(fetched, directory: out) : MigrationReport.fetchText(fetched, directory: out))
    }
}

/// The live edge of fetch and migrate: engine failures as one line on stderr and the CLI's exit codes.
enum MigrationLive {
    static func fetch(_ cluster: any Cluster, side: MigrationSide, profile: TargetProfile?, securityIndex: String = ".opendistro_security") async throws -> FetchedConfiguration {
        do {
            return try await ConfigFetcher(cluster: cluster, side: side, profile: profile, securityIndex: securityIndex).fetch()
        } catch {
            throw exit(error)
        }
    }

    /// Prints the failure and returns the exit: 2 for what the user can fix in the options
    /// (an unknown release, a configuration that does not load), 3 for the cluster.
    static func exit(_ error: MigrationError) -> ExitCode {
        LiveRun.printError("error: " + MigrationReport.describe(error))
        switch error {
        case .invalidConfiguration: return ExitStatus.inputError.exitCode
        case .release(_, let failure): return failure == .noSecurityPlugin ? ExitStatus.clusterUnreachable.exitCode : ExitStatus.inputError.exitCode
        default: return ExitStatus.clusterUnreachable.exitCode
        }
    }
}
