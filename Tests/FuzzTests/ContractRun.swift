import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of the built `secperm` binary with a deadline, and the CLI contract it must keep
/// (shared/DESIGN.md, "CLI contract"; issue 14): exit 0, 1 or 2 and nothing else; on 0 or 1 with
/// `--format json` a JSON document (JSON Lines for `check --batch`) on stdout; on 2 a diagnostic
/// naming the input as `file:line` on stderr; never a trap, never longer than the deadline
/// (seconds of CPU time).
struct ContractRun {
    enum Output { case text, json, jsonLines }

    /// Where a diagnostic must point when the run ends with exit 2.
    enum Origin {
        /// Any file under this folder, with a line: `<folder>/…:<line>`.
        case file(under: String)
        /// A value given on the command line: an `error:` line is enough.
        case argument
    }

    let arguments: [String]
    let output: Output
    let origin: Origin

    struct Outcome {
        let status: Int32
        let signaled: Bool
        let timedOut: Bool
        let seconds: Double
        /// CPU time last read while the run went on.
        var cpuSeconds = 0.0
        let stdout: Data
        let stderr: String
    }

    func run(binary: URL, in folder: URL, timeout: Int) throws -> Outcome {
        let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        // A trap still prints its "Fatal error" line; the backtracer would only add a second.
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let start = Date()
        try process.run()
        // The deadline is CPU time, read from /proc while the run goes on, so a busy machine cannot
        // turn a fast run into a failure; a wall-clock backstop catches runs that wait instead.
        // (RLIMIT_CPU cannot do it: a child started from a test thread inherits a mask that
        // blocks SIGXCPU.)
        var timedOut = false
        var cpu = 0.0
        let backstop = Date().addingTimeInterval(Double(max(60, 10 * timeout)))
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            cpu = Self.cpuSeconds(of: process.processIdentifier)
            if cpu > Double(timeout) || Date() > backstop {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                done.wait()
                break
            }
        }
        let seconds = Date().timeIntervalSince(start)
        let stdout = (try? Data(contentsOf: outURL)) ?? Data()
        let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        return Outcome(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                       timedOut: timedOut, seconds: seconds, cpuSeconds: cpu, stdout: stdout, stderr: stderr)
    }

    /// User plus system time of a running process (0 when it cannot be read).
    static func cpuSeconds(of pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // Fields after the command name: state is field 3, utime 14, stime 15 (proc(5)).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
    }

    /// The broken rule, if any, as a short stable label (for grouping) and a detail.
    func violation(of outcome: Outcome, timeout: Int) -> (label: String, detail: String)? {
        let fatal = outcome.stderr.split(separator: "\n").first { $0.contains("Fatal error") || $0.contains("Program crashed") }
        if outcome.timedOut {
            return ("timeout", "stopped after \(timeout) s of CPU time (or \(max(60, 10 * timeout)) s waiting)")
        }
        if outcome.signaled {
            return ("signal \(outcome.status)", fatal.map(String.init) ?? firstLine(outcome.stderr))
        }
        guard [0, 1, 2].contains(outcome.status) else {
            return ("exit \(outcome.status)", fatal.map(String.init) ?? firstLine(outcome.stderr))
        }
        if let fatal { return ("trap text with exit \(outcome.status)", String(fatal)) }
        if outcome.status == 2 {
            return diagnosticProblem(outcome.stderr).map { ("exit 2 without a file:line diagnostic", $0) }
        }
        return jsonProblem(outcome.stdout).map { ("exit \(outcome.status) with invalid JSON on stdout", $0) }
    }

    private func diagnosticProblem(_ stderr: String) -> String? {
        switch origin {
        case .argument:
            return stderr.lowercased().contains("error") ? nil : "no error line: \(firstLine(stderr))"
        case .file(let folder):
            for line in stderr.split(separator: "\n") {
                guard let range = line.range(of: folder) else { continue }
                let rest = line[range.upperBound...].drop { $0 != ":" && $0 != " " }
                if rest.first == ":", rest.dropFirst().first?.isNumber == true { return nil }
            }
            return "no <file>:<line> under the input folder: \(firstLine(stderr))"
        }
    }

    private func jsonProblem(_ stdout: Data) -> String? {
        switch output {
        case .text:
            return nil
        case .json:
            do {
                _ = try JSONSerialization.jsonObject(with: stdout)
                return nil
            } catch {
                return "\(stdout.count) bytes: \(firstLine(String(decoding: stdout.prefix(200), as: UTF8.self)))"
            }
        case .jsonLines:
            let lines = stdout.split(separator: 0x0A)
            if lines.isEmpty { return "no line" }
            for (number, line) in lines.enumerated() {
                guard (try? JSONSerialization.jsonObject(with: Data(line))) is [String: Any] else {
                    return "line \(number + 1) is not a JSON object: \(firstLine(String(decoding: line.prefix(200), as: UTF8.self)))"
                }
            }
            return nil
        }
    }

    private func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n").first ?? "(empty)").prefix(300).description
    }
}
