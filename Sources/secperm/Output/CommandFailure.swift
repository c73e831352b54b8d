import Analyzer

/// How a command ends when it cannot do its work: thrown, never printed where it happens.
/// ``Secperm/main()`` writes it on standard error and exits with its status, in one place, for
/// every command. Input problems found by the engine are thrown as they come (`InputError`, its
/// diagnostics with file:line and a hint); a failure the command itself words is a `CommandFailure`.
struct CommandFailure: Error {
    /// The lines written on standard error, without the final newline.
    let message: String
    let status: ExitStatus

    /// An input or usage problem (exit 2) worded as one `error: …` line.
    static func input(_ message: String) -> CommandFailure {
        CommandFailure(message: "error: \(message)", status: .inputError)
    }
}

/// The one mapping from a thrown failure to what the user sees and the exit status, for the
/// failures secperm words itself; nil for the rest (ArgumentParser's own, ``ExitCode``).
enum FailureReport {
    static func report(_ error: any Error) -> (text: String, status: ExitStatus)? {
        switch error {
        case let error as InputError:
            guard !error.diagnostics.isEmpty else { return ("", .inputError) }
            return (error.diagnostics.map(\.description).joined(separator: "\n") + "\n", .inputError)
        case let error as CommandFailure:
            return (error.message + "\n", error.status)
        case let error as LiveInputError:
            return ("error: \(error.message)\n", .inputError)
        default:
            return nil
        }
    }
}
