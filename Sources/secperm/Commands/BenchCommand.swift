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
            """)

    @Option(help: "Number of random checks.") var checks = 100_000
    @Option(help: "Roles to generate.") var roles = 1_000
    @Option(help: "Index patterns in all.") var patterns = 10_000
    @Option(help: "Users to generate.") var users = 5_000
    @Option(name: .customLong("action-groups"), help: "Custom action groups to generate.") var actionGroups = 200
    @Flag(help: "Time `secperm audit` on a generated configuration instead (default 10,000 roles, 30,000 patterns).")
    var audit = false

    @OptionGroup var output: FormatOption

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
        var size = SyntheticConfig.Size()
        size.roles = roles
        size.patterns = patterns
        size.users = users
        size.actionGroups = actionGroups
        let clock = ContinuousClock()
        var synthetic: SyntheticConfig?
        let generate = clock.measure { synthetic = SyntheticConfig(size: size) }
        var evaluator: Evaluator?
        // System index protection on, with the profile's demo list, as a default install has it.
        let catalog = Catalog()
        var settings = NodeSettings()
        settings.systemIndicesEnabled = true
        settings.systemIndices = catalog.profile.defaultSystemIndices
        let compile = clock.measure { evaluator = Evaluator(config: synthetic!.config, catalog: catalog, settings: settings) }
        let requests = synthetic!.requests(checks)
        var subjects: [String: PreparedSubject] = [:]
        var prepared: [(subject: PreparedSubject, action: String, indices: [String])] = []
        prepared.reserveCapacity(requests.count)
        let resolve = try clock.measure {
            for request in requests {
                if subjects[request.user] == nil {
                    let resolved = try SubjectResolver.resolve(SubjectRequest(user: request.user), config: evaluator!.config)
                    subjects[request.user] = evaluator!.prepare(resolved)
                }
                prepared.append((subjects[request.user]!, request.action, request.indices))
            }
        }
        var counts = [Int](repeating: 0, count: 4)
        let outcomes: [Decision.Outcome] = [.allow, .deny, .partial, .empty]
        let check = clock.measure {
            for request in prepared {
                let outcome = evaluator!.outcome(request.subject, action: request.action, indices: request.indices)
                counts[outcomes.firstIndex(of: outcome)!] += 1
            }
        }
        var recordCounts = [Int](repeating: 0, count: 4)
        let record = clock.measure {
            for request in prepared {
                let decision = evaluator!.evaluate(request.subject, action: request.action, indices: request.indices, explain: false)
                recordCounts[outcomes.firstIndex(of: decision.outcome)!] += 1
            }
        }
        guard recordCounts == counts else {
            throw ValidationError("the outcome-only and full evaluations disagree (\(counts) vs \(recordCounts)); please report this")
        }
        let figures = Figures(roles: roles, patterns: patterns, users: users, actionGroups: actionGroups, checks: checks,
                              generateSeconds: generate.seconds, compileSeconds: compile.seconds, subjectSeconds: resolve.seconds,
                              checkSeconds: check.seconds, decisionsPerSecond: Double(checks) / max(check.seconds, 1e-9),
                              recordSeconds: record.seconds, recordsPerSecond: Double(checks) / max(record.seconds, 1e-9),
                              allowed: counts[0], denied: counts[1], partial: counts[2], empty: counts[3],
                              peakMemoryMiB: Self.peakMemoryMiB())
        if output.format == .json {
            emit(JSONOutput.render(figures))
        } else {
            emit("""
                configuration  \(roles) roles, \(patterns) index patterns, \(users) users, \(actionGroups) action groups; system indices protected
                generate       \(String(format: "%.3f", figures.generateSeconds)) s
                compile        \(String(format: "%.3f", figures.compileSeconds)) s
                subjects       \(String(format: "%.3f", figures.subjectSeconds)) s (\(subjects.count) users resolved and mapped once)
                checks         \(checks) in \(String(format: "%.3f", figures.checkSeconds)) s = \(Int(figures.decisionsPerSecond)) decisions/s (one core, outcome only)
                with records   \(checks) in \(String(format: "%.3f", figures.recordSeconds)) s = \(Int(figures.recordsPerSecond)) decisions/s (one core, full Decision, explain off)
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
        let clock = ContinuousClock()
        var synthetic: SyntheticConfig?
        let generate = clock.measure { synthetic = SyntheticConfig(size: size) }
        var count = 0
        let auditor = try Auditor()
        let elapsed = clock.measure {
            count = auditor.audit(AuditContext(config: synthetic!.config, catalog: Catalog())).count
        }
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
