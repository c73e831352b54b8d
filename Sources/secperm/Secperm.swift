import ArgumentParser
import Foundation

/// The `secperm` command line: one subcommand per file under Commands/.
@main
struct Secperm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secperm",
        abstract: "Understand OpenSearch Security permissions exactly as the security plugin does.",
        discussion: """
            secperm reads security configurations (securityadmin YAML, REST API JSON, security index documents) and answers questions about them offline, for a chosen plugin release (--target).

            Exit codes: 0 success, 1 denied / findings / differences, 2 usage or input error, 3 cluster unreachable or authentication failed.
            """,
        version: "0.1.0",
        subcommands: [AuditCommand.self, CheckCommand.self, ActionsCommand.self, CatalogCommand.self, ExpandCommand.self,
                      DiffCommand.self, ProbeCommand.self, WhoamiCommand.self, SimulateCommand.self, FetchCommand.self,
                      MigrateCommand.self, BenchCommand.self])

    /// Parses, runs, and maps every failure to the exit codes of the CLI contract. Commands do not
    /// print their failures: they throw them (``CommandFailure``, the engine's `InputError`) and
    /// this is the one place that writes them and picks the exit status.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            // Input errors and command failures: every command throws them, only this prints them.
            if let (text, status) = FailureReport.report(error) {
                if !text.isEmpty { try? StandardStream.error.write(text) }
                Foundation.exit(status.rawValue)
            }
            let code = exitCode(for: error)
            if code == .success {
                emit(fullMessage(for: error) + "\n")
                Foundation.exit(0)
            }
            try? StandardStream.error.write(fullMessage(for: error) + "\n")
            Foundation.exit(code == .validationFailure || code == .failure ? ExitStatus.inputError.rawValue : code.rawValue)
        }
    }
}

/// Exit codes (shared/DESIGN.md, "CLI contract").
enum ExitStatus: Int32 {
    /// Success, allowed, or no findings at or above --fail-on.
    case success = 0
    /// Denied, findings, or differences.
    case negative = 1
    /// Usage or input error (message with file:line and a hint on stderr).
    case inputError = 2
    /// Cluster unreachable or authentication failed.
    case clusterUnreachable = 3

    var exitCode: ExitCode { ExitCode(rawValue) }
}
