import Analyzer
import ArgumentParser
import Foundation
import PermissionCatalog

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the evaluator on a generated large configuration (numbers only; never a pass/fail).",
        discussion: """
            Generates a deterministic configuration (default: 1,000 roles, 10,000 index patterns mixing exact, prefix, glob, regex and ${…} templates, 5,000 users, 200 action groups), compiles it, and times random checks on one core. Build with -c release for meaningful figures:
              swift build -c release && .build/release/secperm bench

            With --batch DIR it writes that configuration as a securityadmin directory and the checks as DIR/cases.jsonl, then times the whole process `secperm check --config DIR --batch DIR/cases.jsonl --format json` (loading, subjects, decisions, output) --runs times and prints the median:
              .build/release/secperm bench --batch /tmp/workload

            With --diff DIR it writes that configuration, a migrated copy of it (roles and mappings renamed, some prefixes narrowed, some mappings dropped) and an unrelated one of the same shape as DIR/a.json, DIR/migrated.json and DIR/b.json, then times the whole process `secperm diff DIR/a.json X --format json` against each of the three --runs times and prints the medians:
              .build/release/secperm bench --diff /tmp/diff-workload
            """)

    @Option(help: "Number of random checks.") var checks = 100_000
    @Option(help: "Roles to generate.") var roles = 1_000
    @Option(help: "Index patterns in all.") var patterns = 10_000
    @Option(help: "Users to generate.") var users = 5_000
    @Option(name: .customLong("action-groups"), help: "Custom action groups to generate.") var actionGroups = 200
    @Flag(help: "Time `secperm audit` on a generated configuration instead (default 10,000 roles, 30,000 patterns).")
    var audit = false
    @Option(help: ArgumentHelp("Write the configuration and checks to this directory and time `secperm check --batch` on them as a whole process.", valueName: "dir"))
    var batch: String?
    @Option(help: ArgumentHelp("Write three generated configurations to this directory and time `secperm diff` on them as a whole process.", valueName: "dir"))
    var diff: String?
    @Option(help: "With --batch or --diff: how many times to run the process (the median is reported).") var runs = 3
    @Option(help: "With --batch: the --jobs given to `secperm check` (1 = one core).") var jobs = 1

    @OptionGroup var output: FormatOption

    /// Generated sizes secperm accepts: at least one of each (the generator picks among them), at
    /// most 100 times the defaults, so a typo cannot exhaust the machine's memory.
    static let limits: KeyValuePairs<String, ClosedRange<Int>> = [
        "--checks": 1...10_000_000, "--roles": 1...100_000, "--patterns": 1...1_000_000,
        "--users": 1...500_000, "--action-groups": 1...20_000, "--runs": 1...100, "--jobs": 1...256,
    ]

    func validate() throws {
        let given = ["--checks": checks, "--roles": roles, "--patterns": patterns, "--users": users, "--action-groups": actionGroups,
                     "--runs": runs, "--jobs": jobs]
        for (flag, range) in Self.limits {
            guard let value = given[flag], !range.contains(value) else { continue }
            throw ValidationError("\(flag) must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
        }
    }

    struct Figures: Encodable {
        let schemaVersion = 1
        let roles: Int, patterns: Int, users: Int, actionGroups: Int, checks: Int
        let generateSeconds: Double, compileSeconds: Double, subjectSeconds: Double
        /// `Evaluator.outcome`: the decision alone.
        let checkSeconds: Double, decisionsPerSecond: Double
        /// `Evaluator.evaluate(explain: false)`: the same decision with its Decision record.
        let recordSeconds: Double, recordsPerSecond: Double
        let allowed: Int, denied: Int, partial: Int, empty: Int
        let peakMemoryMiB: Double
    }

    func run() throws {
        if audit {
            try runAudit()
            return
        }
        if let batch {
            try runBatch(directory: batch)
            return
        }
        if let diff {
            try runDiff(directory: diff)
            return
        }
        var size = SyntheticConfig.Size()
        size.roles = roles
        size.patterns = patterns
        size.users = users
        size.actionGroups = actionGroups
        let (synthetic, generate) = timed { SyntheticConfig(size: size) }
        // System index protection on, with the profile's demo list, as a default install has it.
        let catalog = Catalog()
        var settings = NodeSettings()
        settings.systemIndicesEnabled = true
        settings.systemIndices = catalog.profile.defaultSystemIndices
        let (evaluator, compile) = timed { Evaluator(config: synthetic.config, catalog: catalog, settings: settings) }
        let requests = synthetic.requests(checks)
        var subjects: [String: PreparedSubject] = [:]
        var prepared: [(subject: PreparedSubject, action: String, indices: [String])] = []
        prepared.reserveCapacity(requests.count)
        let ((), resolve) = try timed {
            for request in requests {
                let subject: PreparedSubject
                if let known = subjects[request.user] {
                    subject = known
                } else {
                    subject = evaluator.prepare(try SubjectResolver.resolve(SubjectRequest(user: request.user), config: evaluator.config))
                    subjects[request.user] = subject
                }
                prepared.append((subject, request.action, request.indices))
            }
        }
        var counts: [Decision.Outcome: Int] = [:]
        let ((), check) = timed {
            for request in prepared {
                counts[evaluator.outcome(request.subject, action: request.action, indices: request.indices), default: 0] += 1
            }
        }
        var recordCounts: [Decision.Outcome: Int] = [:]
        let ((), record) = timed {
            for request in prepared {
                let decision = evaluator.evaluate(request.subject, action: request.action, indices: request.indices, explain: false)
                recordCounts[decision.outcome, default: 0] += 1
            }
        }
        guard recordCounts == counts else {
            throw ValidationError("the outcome-only and full evaluations disagree (\(counts) vs \(recordCounts)); please report this")
        }
        let figures = Figures(roles: roles, patterns: patterns, users: users, actionGroups: actionGroups, checks: checks,
                              generateSeconds: generate.seconds, compileSeconds: compile.seconds, subjectSeconds: resolve.seconds,
                              checkSeconds: check.seconds, decisionsPerSecond: Double(checks) / max(check.seconds, 1e-9),
                              recordSeconds: record.seconds, recordsPerSecond: Double(checks) / max(record.seconds, 1e-9),
                              allowed: counts[.allow, default: 0], denied: counts[.deny, default: 0], partial: counts[.partial, default: 0], empty: counts[.empty, default: 0],
                              peakMemoryMiB: Self.peakMemoryMiB())
        if output.format == .json {
            emit(JSONOutput.render(figures))
        } else {
            emit("""
                configuration  \(roles) roles, \(patterns) index patterns, \(users) users, \(actionGroups) action groups; system indices protected
                generate       \(String(format: "%.3f", figures.generateSeconds)) s
                compile        \(String(format: "%.3f", figures.compileSeconds)) s
                subjects       \(String(format: "%.3f", figures.subjectSeconds)) s (\(subjects.count) users resolved and mapped once)
                checks         \(checks) in \(String(format: "%.3f", figures.checkSeconds)) s = \(String(format: "%.0f", figures.decisionsPerSecond)) decisions/s (one core, outcome only)
                with records   \(checks) in \(String(format: "%.3f", figures.recordSeconds)) s = \(String(format: "%.0f", figures.recordsPerSecond)) decisions/s (one core, full Decision, explain off)
                outcomes       \(figures.allowed) allow, \(figures.denied) deny, \(figures.partial) partial, \(figures.empty) empty
                peak memory    \(String(format: "%.1f", figures.peakMemoryMiB)) MiB

                """)
        }
    }

    struct AuditFigures: Encodable {
        let schemaVersion = 1
        let roles: Int, patterns: Int, users: Int, actionGroups: Int
        let generateSeconds: Double, auditSeconds: Double, findings: Int
        let peakMemoryMiB: Double
    }

    /// Audit timing; roles and patterns default to 10,000 and 30,000 unless given.
    private func runAudit() throws {
        var size = SyntheticConfig.Size()
        size.roles = roles == 1_000 ? 10_000 : roles
        size.patterns = patterns == 10_000 ? 30_000 : patterns
        size.users = users
        size.actionGroups = actionGroups
        let (synthetic, generate) = timed { SyntheticConfig(size: size) }
        let auditor = try Auditor()
        let (count, elapsed) = timed { auditor.audit(AuditContext(config: synthetic.config, catalog: Catalog())).count }
        let figures = AuditFigures(roles: size.roles, patterns: size.patterns, users: size.users, actionGroups: size.actionGroups,
                                   generateSeconds: generate.seconds, auditSeconds: elapsed.seconds, findings: count,
                                   peakMemoryMiB: Self.peakMemoryMiB())
        if output.format == .json {
            emit(JSONOutput.render(figures))
        } else {
            emit("""
                configuration  \(size.roles) roles, \(size.patterns) index patterns, \(size.users) users, \(size.actionGroups) action groups
                audit          \(String(format: "%.3f", figures.auditSeconds)) s, all \(AuditRules.all.count) rules, \(count) findings
                peak memory    \(String(format: "%.1f", figures.peakMemoryMiB)) MiB

                """)
        }
    }

    /// Runs `body` once; its result and how long it took.
    private func timed<T>(_ body: () throws -> T) rethrows -> (T, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try body()
        return (value, clock.now - start)
    }

    static func peakMemoryMiB() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // KiB on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576  // bytes on macOS
        #endif
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
