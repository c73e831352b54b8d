import Analyzer
import ArgumentParser
import Foundation

/// How a live command runs: the `--insecure` warning, the connection, and the CLI contract's
/// exits for what goes wrong (2 for bad options or files, 3 for the cluster), each one line.
enum LiveRun {
    static func run<T: Sendable>(_ settings: ConnectionSettings, _ body: (HTTPCluster) async throws -> T) async throws -> T {
        if settings.insecure {
            printError("warning: \(settings.option("insecure")): the server's certificate and host name are NOT verified")
        }
        do {
            return try await HTTPCluster.with(settings, body)
        } catch let error as LiveInputError {
            printError("error: \(error.message)")
            throw ExitStatus.inputError.exitCode
        } catch let error as ClusterError {
            printError(ClusterErrorReport.line(error, optionPrefix: settings.optionPrefix))
            throw ExitStatus.clusterUnreachable.exitCode
        } catch let error as ReleaseDetectionFailure {
            printError(ClusterErrorReport.line(error))
            // No security plugin answering is the cluster's side; an untold release needs --target.
            throw error == .noSecurityPlugin ? ExitStatus.clusterUnreachable.exitCode : ExitStatus.inputError.exitCode
        } catch let error as ExitCode {
            throw error
        } catch {
            // Not classified: still one line and exit 3, never a stack of parser usage.
            printError("error: talking to \(settings.cluster) failed: \(String(describing: type(of: error))): \(error)")
            throw ExitStatus.clusterUnreachable.exitCode
        }
    }

    static func printError(_ line: String) {
        try? StandardStream.error.write(line + "\n")
    }
}
