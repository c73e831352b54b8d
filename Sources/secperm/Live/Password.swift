import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a password from where `PasswordSource` says. The value is held only in memory and goes
/// only into the Authorization header.
enum Password {
    static func read(_ source: PasswordSource, user: String, settings: ConnectionSettings) throws(LiveInputError) -> String? {
        switch source {
        case .none:
            return nil
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name] else {
                throw LiveInputError("\(settings.option("password-env")) \(name): the environment variable is not set")
            }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LiveInputError("\(settings.option("password-file")) \(path): cannot read the file")
            }
            var text = String(decoding: data, as: UTF8.self)
            // The first line is the password: a trailing newline from `echo … > file` is not part of it.
            if let newline = text.firstIndex(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) { text = String(text[..<newline]) }
            return text
        case .prompt:
            return try prompt("Password for \(user): ")
        }
    }

    /// Whether a no-echo prompt is possible.
    static var canPrompt: Bool { isatty(STDIN_FILENO) == 1 }

    private static func prompt(_ text: String) throws(LiveInputError) -> String {
        guard canPrompt else {
            throw LiveInputError("--user needs a password: give --password-env VAR or --password-file FILE (stdin is not a terminal, so secperm cannot prompt)")
        }
        try? StandardStream.error.write(text)
        var saved = termios()
        let haveTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
        if haveTerminal {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        let line = Swift.readLine(strippingNewline: true)
        if haveTerminal { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
        try? StandardStream.error.write("\n")
        guard let line else { throw LiveInputError("no password given at the prompt") }
        return line
    }
}
