import Analyzer
import ArgumentParser
import PermissionCatalog

struct WhoamiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Which release is this cluster, who am I there, and which roles do I hold.",
        discussion: """
            Detects the release from GET / and from which REST prefix answers (unless --target is given), then reads the authenticated identity from authinfo: user, backend roles, mapped roles, tenants, and whether the identity is a super admin (the admin certificate).

            Examples:
              secperm whoami --cluster https://localhost:9200 --cacert ca.pem \\
                  --user admin --password-env OPENSEARCH_PASSWORD
              secperm whoami --cluster https://localhost:9200 --cacert ca.pem \\
                  --cert admin.pem --key admin-key.pem --format json

            Exit status: 0 connected, 2 bad options or files (malformed URL, unreadable PEM), 3 cluster unreachable, TLS failure, or authentication failed.
            """)

    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @Option(name: .long, help: ArgumentHelp("Plugin release; skips detection.", valueName: "profile"))
    var target: TargetProfile?
    @OptionGroup var output: FormatOption

    func run() async throws {
        let settings = connection.settings
        let identity = try await LiveRun.run(settings) { cluster in
            try await IdentityLookup.lookUp(cluster, clusterName: cluster.url.display, user: settings.user, target: target)
        }
        emit(output.format == .json ? WhoamiReport.json(identity) : WhoamiReport.text(identity))
    }
}
