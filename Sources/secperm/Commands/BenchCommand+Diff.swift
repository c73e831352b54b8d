import Analyzer
import ArgumentParser
import Foundation

/// `secperm bench --diff DIR`: `secperm diff` timed as a whole process on the generated
/// configuration against itself, a migrated copy and an unrelated configuration (issue 12).
extension BenchCommand {
    struct DiffFigures: Encodable {
        let name: String
        let command: String
        let verdict: String
        let differingSubjects: Int
        let equivalentSubjects: Int
        let runSeconds: [Double]
        let medianSeconds: Double
        /// User + system CPU seconds of the median run's process.
        let cpuSeconds: Double
    }

    struct DiffBenchFigures: Encodable {
        let schemaVersion = 1
        let roles: Int, patterns: Int, users: Int, actionGroups: Int
        let directory: String
        let pairs: [DiffFigures]
        /// The largest resident set of any run, in MiB.
        let peakMemoryMiB: Double
    }

    func runDiff(directory: String) throws {
        var size = SyntheticConfig.Size()
        size.roles = roles
        size.patterns = patterns
        size.users = users
        size.actionGroups = actionGroups
        do {
            _ = try DiffWorkload(size: size).write(to: directory)
        } catch {
            throw ValidationError("cannot write the workload to \(directory): \(error)")
        }
        let executable = Self.ownExecutable()
        let outputPath = (directory as NSString).appendingPathComponent("diff.json")
        var pairs: [DiffFigures] = []
        for pair in DiffWorkload.pairs {
            let source = (directory as NSString).appendingPathComponent(pair.source)
            let target = (directory as NSString).appendingPathComponent(pair.target)
            let arguments = ["diff", source, target, "--format", "json"]
            var samples: [(seconds: Double, cpu: Double)] = []
            for _ in 0..<runs {
                samples.append(try timeProcess(executable, arguments, outputPath: outputPath))
            }
            let median = samples.sorted { $0.seconds < $1.seconds }[samples.count / 2]
            let report = (try? Data(contentsOf: URL(fileURLWithPath: outputPath)))
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
            pairs.append(DiffFigures(name: pair.name, command: (["secperm"] + arguments).joined(separator: " "),
                                     verdict: report["verdict"] as? String ?? "?",
                                     differingSubjects: (report["subjects"] as? [Any])?.count ?? 0,
                                     equivalentSubjects: report["equivalentSubjects"] as? Int ?? 0,
                                     runSeconds: samples.map(\.seconds), medianSeconds: median.seconds, cpuSeconds: median.cpu))
        }
        let figures = DiffBenchFigures(roles: roles, patterns: patterns, users: users, actionGroups: actionGroups, directory: directory,
                                       pairs: pairs, peakMemoryMiB: Self.childrenPeakMemoryMiB())
        if output.format == .json {
            emit(JSONOutput.render(figures))
            return
        }
        var text = "workload       \(directory): \(roles) roles, \(patterns) index patterns, \(users) users, \(actionGroups) action groups per side\n"
        for pair in pairs {
            text += """
                \(pair.name)
                  command      \(pair.command) > \(outputPath)
                  verdict      \(pair.verdict): \(pair.differingSubjects) subjects differ, \(pair.equivalentSubjects) equivalent
                  runs         \(pair.runSeconds.map { String(format: "%.3f", $0) }.joined(separator: ", ")) s
                  median       \(String(format: "%.3f", pair.medianSeconds)) s (whole process, \(String(format: "%.3f", pair.cpuSeconds)) s CPU)

                """
        }
        text += "peak memory    \(String(format: "%.1f", figures.peakMemoryMiB)) MiB (largest run)\n"
        emit(text)
    }
}
