import Analyzer
import ArgumentParser
import Foundation
import PermissionCatalog

extension Diagnostic.Severity: ExpressibleByArgument {}

enum AuditFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Find what is wrong or dangerous in role files: typos, dead entries, over-broad and sensitive grants.",
        discussion: """
            Runs every rule (secperm audit --list-rules) over a configuration, for --target. Without a path it audits the bundled sample configuration.

            Examples:
              secperm audit ./securityconfig
              secperm audit ./securityconfig --format sarif > secperm.sarif
              secperm audit ./securityconfig --write-baseline accepted.json      accept today's findings
              secperm audit ./securityconfig --baseline accepted.json            fail only on new ones
              secperm audit ./securityconfig --rule SP001 --rule SP003 --fail-on warning

            Exit status: 0 when no finding at or above --fail-on (default error) is left after the baseline, 1 otherwise, 2 for input errors.
            """)

    @Argument(help: ArgumentHelp("Configuration to audit (same forms as --config).", valueName: "path"))
    var path: String?

    @OptionGroup var configOption: ConfigOption
    @OptionGroup var target: TargetOption
    @OptionGroup var context: ClusterContextOptions

    @Option(name: .long, help: "Output format: text, json or sarif (SARIF 2.1.0).")
    var format: AuditFormat = .text

    @Option(name: .customLong("fail-on"), help: "Lowest severity that makes the audit fail: error, warning or note.")
    var failOn: Diagnostic.Severity = .error

    @Option(name: .long, help: ArgumentHelp("Accepted findings; only findings not in it count.", valueName: "file"))
    var baseline: String?

    @Option(name: .customLong("write-baseline"), help: ArgumentHelp("Write the current findings as a baseline and exit 0.", valueName: "file"))
    var writeBaseline: String?

    @Option(name: .customLong("rule"), help: ArgumentHelp("Run only this rule (ID or name; repeatable).", valueName: "id"))
    var rules: [String] = []

    @Option(name: .customLong("disable"), help: ArgumentHelp("Skip this rule (repeatable).", valueName: "id"))
    var disabled: [String] = []

    @Flag(name: .customLong("list-rules"), help: "List the rules with their severity and summary.")
    var listRules = false

    func validate() throws {
        if path != nil && configOption.config != nil { throw ValidationError("give the configuration either as a path or with --config, not both") }
    }

    func run() throws {
        if listRules {
            emit(TextTable.render(AuditRules.all.map { [$0.id, $0.name, $0.severity.rawValue, $0.summary] }))
            return
        }
        let profile = target.target
        let auditor = try Auditor(only: rules, disabled: disabled)
        let settings = try context.nodeSettings(profile: profile)
        let loader = ConfigLoader(profile: profile)
        let loaded = try (path ?? configOption.config).map(loader.load(from:)) ?? loader.loadBundledSample()
        let config = ConfigOption.config(of: loaded)
        let findings = auditor.audit(AuditContext(config: config, catalog: Catalog(profile: profile), settings: settings))
        if let writeBaseline {
            do {
                try Baseline(findings: findings).json().write(toFile: writeBaseline, atomically: true, encoding: .utf8)
            } catch {
                throw InputError(.error("\(writeBaseline): cannot write the baseline: \(error.localizedDescription)"))
            }
            emit("wrote \(findings.count) findings to \(writeBaseline)\n")
            return
        }
        let verdict = BaselineVerdict(findings: findings, baseline: try baseline.map(Baseline.read(path:)), failOn: failOn)
        switch format {
        case .text: emit(AuditReport.text(verdict.reported, suppressed: verdict.suppressed))
        case .json: emit(AuditReport.json(verdict.reported, target: profile.name, suppressed: verdict.suppressed))
        case .sarif: emit(AuditReport.sarif(verdict.reported, rules: auditor.rules, version: Secperm.configuration.version))
        }
        if verdict.failed { throw ExitStatus.negative.exitCode }
    }
}
