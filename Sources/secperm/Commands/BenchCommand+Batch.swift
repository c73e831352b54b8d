import Analyzer
import ArgumentParser
import Foundation
import Synchronization

/// `secperm bench --batch DIR`: the whole process, timed from outside as a user runs it.
extension BenchCommand {
    struct BatchFigures: Encodable {
        let schemaVersion = 1
        let roles: Int, patterns: Int, users: Int, actionGroups: Int, checks: Int, jobs: Int
        let directory: String
        let command: String
        /// Wall-clock seconds of each run, in order, and their median.
        let runSeconds: [Double]
        let medianSeconds: Double
        let decisionsPerSecond: Double
        /// User + system CPU seconds of the median run's process.
        let cpuSeconds: Double
        /// The largest resident set of any run, in MiB.
        let peakMemoryMiB: Double
        let outputLines: Int
    }

    func runBatch(directory: String) throws {
        var size = SyntheticConfig.Size()
        size.roles = roles
        size.patterns = patterns
        size.users = users
        size.actionGroups = actionGroups
        let workload = BatchWorkload(synthetic: SyntheticConfig(size: size), checks: checks)
        let casesPath = (directory as NSString).appendingPathComponent(BatchWorkload.casesFileName)
        do {
            _ = try workload.write(to: directory)
        } catch {
            throw ValidationError("cannot write the workload to \(directory): \(error)")
        }
        let executable = Self.ownExecutable()
        let arguments = ["check", "--config", directory, "--batch", casesPath, "--format", "json", "--jobs", String(jobs)]
        let outputPath = (directory as NSString).appendingPathComponent("output.jsonl")
        var samples: [(seconds: Double, cpu: Double)] = []
        for _ in 0..<runs {
            samples.append(try timeProcess(executable, arguments, outputPath: outputPath))
        }
        let ordered = samples.sorted { $0.seconds < $1.seconds }
        let median = ordered[ordered.count / 2]
        let lines = (try? String(contentsOfFile: outputPath, encoding: .utf8))?.utf8.count { $0 == UInt8(ascii: "\n") } ?? 0
        let figures = BatchFigures(roles: roles, patterns: patterns, users: users, actionGroups: actionGroups, checks: checks, jobs: jobs,
                                   directory: directory, command: (["secperm"] + arguments).joined(separator: " "),
                                   runSeconds: samples.map(\.seconds), medianSeconds: median.seconds,
                                   decisionsPerSecond: Double(checks) / max(median.seconds, 1e-9), cpuSeconds: median.cpu,
                                   peakMemoryMiB: Self.childrenPeakMemoryMiB(), outputLines: lines)
        if output.format == .json {
            emit(JSONOutput.render(figures))
        } else {
            emit("""
                workload       \(directory): \(roles) roles, \(patterns) index patterns, \(users) users, \(actionGroups) action groups, \(checks) checks
                command        \(figures.command) > \(outputPath)
                runs           \(samples.map { String(format: "%.3f", $0.seconds) }.joined(separator: ", ")) s
                median         \(String(format: "%.3f", median.seconds)) s = \(String(format: "%.0f", figures.decisionsPerSecond)) decisions/s (whole process, \(String(format: "%.3f", median.cpu)) s CPU)
                peak memory    \(String(format: "%.1f", figures.peakMemoryMiB)) MiB (largest run)
                output         \(lines) lines

                """)
        }
    }

    /// Runs the command once with its output going to a file; wall-clock and CPU seconds.
    func timeProcess(_ executable: String, _ arguments: [String], outputPath: String) throws -> (seconds: Double, cpu: Double) {
        guard FileManager.default.createFile(atPath: outputPath, contents: nil), let sink = FileHandle(forWritingAtPath: outputPath) else { throw ValidationError("cannot write \(outputPath)") }
        defer { try? sink.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = sink
        let cpuBefore = Self.childrenCPUSeconds()
        let clock = ContinuousClock()
        // The end is taken when the process is seen to exit: `waitUntilExit` looks every 50 ms
        // (swift-corelibs-foundation), which would round each run up by as much.
        let ended = Mutex<ContinuousClock.Instant?>(nil)
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in
            ended.withLock { $0 = clock.now }
            exited.signal()
        }
        let start = clock.now
        try process.run()
        process.waitUntilExit()
        _ = exited.wait(timeout: .now() + 5)
        let elapsed = ((ended.withLock { $0 } ?? clock.now) - start).seconds
        // Exit 1 means some case was denied: expected here. Anything else is a failure to report.
        guard process.terminationReason == .exit, [0, 1].contains(process.terminationStatus) else {
            throw ValidationError("`secperm \(arguments.joined(separator: " "))` failed (status \(process.terminationStatus))")
        }
        return (elapsed, Self.childrenCPUSeconds() - cpuBefore)
    }

    /// This program's own path, to run `check` with the same build.
    static func ownExecutable() -> String {
        #if os(Linux)
        return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        #else
        return Bundle.main.executablePath ?? CommandLine.arguments.first ?? "secperm"
        #endif
    }

    static func childrenUsage() -> rusage {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        #else
        getrusage(RUSAGE_CHILDREN, &usage)
        #endif
        return usage
    }

    static func childrenCPUSeconds() -> Double {
        let usage = childrenUsage()
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    static func childrenPeakMemoryMiB() -> Double {
        #if os(Linux)
        return Double(childrenUsage().ru_maxrss) / 1024  // KiB on Linux
        #else
        return Double(childrenUsage().ru_maxrss) / 1_048_576  // bytes on macOS
        #endif
    }
}
