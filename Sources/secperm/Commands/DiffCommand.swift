import Analyzer
import ArgumentParser
import Foundation
import PermissionCatalog

extension DiffSubjectSelection: ExpressibleByArgument {}

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Prove that two configurations grant exactly the same, per user, with a counterexample for every difference.",
        discussion: """
            SRC and DST are configurations in any --config form: a securityadmin directory (roles.yml …), a REST API JSON bundle or directory, or security index documents. Live clusters are not accepted yet (the connection layer has not landed).

            Compared, for every subject — each internal user of either side, one subject per backend role, and_backend_roles set, mapped user name and host the role mappings name — every action of both targets' catalogs and every literal action the files name. Index grants are compared as sets of index names over all possible names (globs, Java regexes, ${…} templates rendered per user, date math at --now), so "equivalent" is a proof; each difference is shown by a concrete request that `secperm check` decides differently on each side (SRC with --target-from, DST with --target-to).

            Verdicts: equivalent, narrower (DST allows a subset), broader (a superset), incomparable (both), undecided (some comparison could not be decided exactly: a regex construct outside the supported subset such as a back-reference or lookaround, or a size bound; never reported as equivalent).

            Examples:
              secperm diff old-backup/ new-backup/
              secperm diff odfe.json opensearch.json --target-from opendistro-1.13 --target-to opensearch-2.19 --format json
              secperm diff old/ new/ --format html --out diff.html

            Exit status: 0 equivalent, 1 any difference or undecided comparison, 2 input error.
            """)

    @Argument(help: ArgumentHelp("The configuration before (directory, JSON bundle or directory, or security index documents).", valueName: "src"))
    var source: String

    @Argument(help: ArgumentHelp("The configuration after.", valueName: "dst"))
    var destination: String

    @Option(name: .customLong("target-from"), help: ArgumentHelp("Plugin release of SRC (default: the newest OpenSearch line).", valueName: "profile"))
    var targetFrom: TargetProfile = .default

    @Option(name: .customLong("target-to"), help: ArgumentHelp("Plugin release of DST.", valueName: "profile"))
    var targetTo: TargetProfile = .default

    @Option(name: .customLong("opensearch-yml-from"), help: ArgumentHelp("Node settings of SRC (system/protected indices, mapping resolution).", valueName: "file"))
    var opensearchYMLFrom: String?

    @Option(name: .customLong("opensearch-yml-to"), help: ArgumentHelp("Node settings of DST.", valueName: "file"))
    var opensearchYMLTo: String?

    @Option(help: ArgumentHelp("Subjects: all (default), internal (internal users only), mapped (backend roles, mapped users and hosts only).", valueName: "which"))
    var users: DiffSubjectSelection = .all

    @Option(name: .customLong("user"), help: ArgumentHelp("Compare only this user (repeatable).", valueName: "name"))
    var onlyUsers: [String] = []

    @Option(name: .customLong("max-witnesses"), help: ArgumentHelp("Witnesses listed per subject; 0 lists one for every differing action.", valueName: "n"))
    var maxWitnesses = 10

    @Option(help: ArgumentHelp("The instant date-math patterns (<logs-{now/d}>) are resolved at, ISO 8601 (default: now).", valueName: "time"))
    var now: String?

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }

    @Option(help: "Output format: text (for people), json (for scripts; carries schemaVersion) or html (one self-contained page).")
    var format: Format = .text

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var out: String?

    func validate() throws {
        if maxWitnesses < 0 { throw ValidationError("--max-witnesses must be 0 or more") }
        if let now, ISO8601DateFormatter().date(from: now) == nil {
            throw ValidationError("--now \(now): expected an ISO 8601 time such as 2026-01-31T12:00:00Z")
        }
    }

    func run() throws {
        let sourceInput = try input(source, profile: targetFrom, settings: opensearchYMLFrom)
        let targetInput = try input(destination, profile: targetTo, settings: opensearchYMLTo)
        var diff = ConfigDiff(now: now.flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date())
        diff.selection = users
        diff.users = onlyUsers
        diff.maxWitnesses = maxWitnesses
        let result = diff.compare(source: sourceInput, target: targetInput)
        let report = switch format {
        case .text: DiffReport.text(result)
        case .json: DiffReport.json(result)
        case .html: DiffHTMLReport.page(result)
        }
        if let out {
            do {
                try report.write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                Diagnostics.printToStandardError([.error("\(out): cannot write the report (\(error.localizedDescription))", hint: "check the directory exists and is writable")])
                throw ExitStatus.inputError.exitCode
            }
        } else {
            emit(report)
        }
        if result.verdict != .equivalent { throw ExitStatus.negative.exitCode }
    }

    private func input(_ path: String, profile: TargetProfile, settings: String?) throws -> DiffInput {
        let config = try ConfigOption(path: path).load(profile: profile)
        do {
            let node = try InputFiles.nodeSettings(path: settings, overrides: [], profile: profile)
            return DiffInput(config: config, catalog: Catalog(profile: profile), settings: node)
        } catch {
            Diagnostics.printToStandardError(error.diagnostics)
            throw ExitStatus.inputError.exitCode
        }
    }
}

extension ConfigOption {
    /// The option as if `--config path` had been given.
    init(path: String) {
        self.init()
        config = path
    }
}
