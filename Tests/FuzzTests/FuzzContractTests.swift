import Foundation
import Testing

/// Mutation fuzzing of the built `secperm` binary against the CLI contract (issue 14).
///
/// A short round with a fixed seed runs in every `swift test`. A long round on demand:
///
///     SECPERM_FUZZ_ITERATIONS=20000 swift test --filter FuzzTests
///
/// Knobs: SECPERM_FUZZ_ITERATIONS (per family, default 40), SECPERM_FUZZ_SEED (default 14),
/// SECPERM_FUZZ_TIMEOUT (CPU seconds per run, default 5), SECPERM_FUZZ_OUT (where reproducers are
/// kept; default a folder in the temporary directory, named in the failure).
@Suite("Fuzz: the CLI contract holds for mutated inputs")
struct FuzzContractTests {
    struct Settings {
        let iterations: Int
        let seed: UInt64
        let timeout: Int
        let output: URL

        static let current: Settings = {
            let environment = ProcessInfo.processInfo.environment
            let seed = environment["SECPERM_FUZZ_SEED"].flatMap { UInt64($0) } ?? 14
            let output = environment["SECPERM_FUZZ_OUT"].map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("secperm-fuzz-\(seed)-\(ProcessInfo.processInfo.processIdentifier)")
            return Settings(iterations: environment["SECPERM_FUZZ_ITERATIONS"].flatMap { Int($0) }.map { max(0, $0) } ?? 40,
                            seed: seed,
                            timeout: environment["SECPERM_FUZZ_TIMEOUT"].flatMap { Int($0) }.map { min(3_600, max(1, $0)) } ?? 5,
                            output: output)
        }()
    }

    static var binary: URL {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("secperm"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("secperm"),
            FuzzCorpus.packageRoot.appendingPathComponent(".build/debug/secperm"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[candidates.count - 1]
    }

    @Test("the corpus is there")
    func corpus() {
        #expect(FuzzCorpus.scenarios.map(\.name).first == "acme")
        #expect(FuzzCorpus.scenarios.count == 10)
        #expect(FuzzCorpus.consoleFiles.count == 3)
        #expect(FuzzCorpus.claimsFiles.count == 1)
    }

    @Test("the contract checks catch what they guard")
    func checksCanFail() {
        let file = ContractRun(arguments: [], output: .jsonLines, origin: .file(under: "/in"))
        func outcome(_ status: Int32, signaled: Bool = false, stdout: String = "", stderr: String = "") -> ContractRun.Outcome {
            .init(status: status, signaled: signaled, timedOut: false, seconds: 0, stdout: Data(stdout.utf8), stderr: stderr)
        }
        #expect(file.violation(of: outcome(4, signaled: true, stderr: "x\nFatal error: boom"), timeout: 5)?.label == "signal 4")
        #expect(file.violation(of: outcome(3), timeout: 5)?.label == "exit 3")
        #expect(file.violation(of: outcome(2, stderr: "error: /in/b.jsonl: bad"), timeout: 5)?.label == "exit 2 without a file:line diagnostic")
        #expect(file.violation(of: outcome(2, stderr: "/in/b.jsonl:3: error: bad"), timeout: 5) == nil)
        #expect(file.violation(of: outcome(1, stdout: "{\"a\":1}\n{\"b\""), timeout: 5)?.label == "exit 1 with invalid JSON on stdout")
        #expect(file.violation(of: outcome(0, stdout: "{\"a\":1}\n{\"summary\":{}}\n"), timeout: 5) == nil)
        #expect(file.violation(of: outcome(0), timeout: 5)?.label == "exit 0 with invalid JSON on stdout")
        let json = ContractRun(arguments: [], output: .json, origin: .argument)
        #expect(json.violation(of: outcome(0, stdout: "{\"a\":"), timeout: 5)?.label == "exit 0 with invalid JSON on stdout")
        #expect(json.violation(of: outcome(2, stderr: "Error: Missing value"), timeout: 5) == nil)
        #expect(json.violation(of: outcome(2, stderr: "usage"), timeout: 5)?.label == "exit 2 without a file:line diagnostic")
        let timedOut = ContractRun.Outcome(status: 9, signaled: true, timedOut: true, seconds: 5, stdout: Data(), stderr: "")
        #expect(json.violation(of: timedOut, timeout: 5)?.label == "timeout")
    }

    @Test("a run past its CPU deadline is stopped, a trap is seen as a signal")
    func deadlineAndSignal() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("secperm-fuzz-self-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let shell = URL(fileURLWithPath: "/bin/sh")
        let spin = ContractRun(arguments: ["-c", "while :; do :; done"], output: .text, origin: .argument)
        let spun = try spin.run(binary: shell, in: folder, timeout: 1)
        #expect(spun.timedOut && spun.cpuSeconds > 1, "stopped by the CPU deadline, not the wall-clock backstop")
        #expect(spin.violation(of: spun, timeout: 1)?.label == "timeout")
        let trap = ContractRun(arguments: ["-c", "kill -ILL $$"], output: .text, origin: .argument)
        let trapped = try trap.run(binary: shell, in: folder, timeout: 5)
        #expect(trap.violation(of: trapped, timeout: 5)?.label == "signal 4")
    }

    @Test("a fixed-seed round per input family", arguments: FuzzFamily.allCases)
    func round(_ family: FuzzFamily) throws {
        let settings = Settings.current
        let binary = Self.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build secperm first: \(binary.path)")
        let root = settings.output.appendingPathComponent(family.rawValue)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var findings: [String: (count: Int, first: String)] = [:]
        var slowest = 0.0
        for iteration in 0..<settings.iterations {
            var random = SeededRandom(seed: settings.seed, family: family.rawValue, iteration: iteration)
            let folder = root.appendingPathComponent("\(iteration)")
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let run = try family.prepare(in: folder, random: &random)
            let outcome = try run.run(binary: binary, in: folder, timeout: settings.timeout)
            slowest = max(slowest, outcome.seconds)
            guard let violation = run.violation(of: outcome, timeout: settings.timeout) else {
                try? FileManager.default.removeItem(at: folder)
                continue
            }
            let key = "\(violation.label) | \(run.arguments.first ?? "") | \(Self.normalized(violation.detail))"
            if let known = findings[key] {
                findings[key] = (known.count + 1, known.first)
                try? FileManager.default.removeItem(at: folder)
            } else {
                let command = (["secperm"] + run.arguments).map(Self.quoted).joined(separator: " ")
                try Data((command + "\n").utf8).write(to: folder.appendingPathComponent("command.sh"))
                findings[key] = (1, "\(violation.label): \(violation.detail)\n  reproduce: cd \(folder.path) && \(command)\n  (seed \(settings.seed), family \(family), iteration \(iteration))")
            }
        }
        print("fuzz \(family): \(settings.iterations) runs, seed \(settings.seed), slowest \(String(format: "%.2f", slowest)) s, \(findings.count) distinct violations")
        for (_, finding) in findings.sorted(by: { $0.key < $1.key }) {
            Issue.record("\(finding.count)× \(finding.first)")
        }
    }

    /// Groups findings that differ only in numbers, paths or quoted names.
    static func normalized(_ detail: String) -> String {
        var text = detail.replacingOccurrences(of: #"/[^\s:']*"#, with: "<path>", options: .regularExpression)
        text = text.replacingOccurrences(of: #"'[^']*'|`[^`]*`|"[^"]*""#, with: "<name>", options: .regularExpression)
        return text.replacingOccurrences(of: #"[0-9]+"#, with: "#", options: .regularExpression).prefix(160).description
    }

    static func quoted(_ argument: String) -> String {
        argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,".contains($0) } ? argument
            : "'" + argument.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
