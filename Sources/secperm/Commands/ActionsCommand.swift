import Analyzer
import ArgumentParser
import Foundation
import PermissionCatalog

struct ActionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actions",
        abstract: "Which permissions does this REST request need? Dev Tools console input, body-aware, explained.",
        discussion: """
            Reads requests in OpenSearch Dashboards Dev Tools console syntax (a file, - for stdin, or --request) and lists, for each, the permissions the security plugin checks, in order, with the indices each applies to and the smallest built-in action groups that grant it. Bodies count: _bulk items, _msearch headers, _mget docs, _reindex source and destination, _aliases actions, restored indices. Conditional follow-ups (auto-create, dynamic mapping …) are listed with their condition. A requirement the target checks under its default settings is required, with the setting that would lift it (a restore's indices:admin/create and indices:data/write/index). --suggest-role grants the required permissions and those that depend on the cluster's state (auto-create of a missing index, dynamic mapping of new fields) unless --assume-existing.

            With --config and a subject (--user …, as for `secperm check`) every requirement is also evaluated: an offline dry run, with the 403 the cluster would send for the first denial.

            Examples:
              secperm actions --request 'GET _cat/shards'
              secperm actions requests.txt --format json
              secperm actions requests.txt --config ./backup --user app_writer
              secperm actions requests.txt --suggest-role app_writer > role.yml
              secperm actions requests.txt --suggest-role app_writer --assume-existing
            """)

    @Argument(help: ArgumentHelp("Console file with requests, or - for standard input.", valueName: "file"))
    var file: String?

    @Option(name: .long, help: ArgumentHelp("One request line, e.g. 'GET _cat/shards' (repeatable).", valueName: "request"))
    var request: [String] = []

    @OptionGroup var configOption: ConfigOption
    @OptionGroup var subjectOptions: SubjectOptions
    @OptionGroup var context: ClusterContextOptions
    @OptionGroup var target: TargetOption
    @OptionGroup var output: FormatOption

    @Option(name: .customLong("suggest-role"), help: ArgumentHelp("Print a roles.yml entry granting exactly what the requests need.", valueName: "name"))
    var suggestRole: String?

    @Flag(name: .customLong("allow-broader"), help: "With --suggest-role: use the smallest built-in groups that cover the actions.")
    var allowBroader = false

    @Flag(name: .customLong("assume-existing"),
          help: "With --suggest-role: leave out what only a new index or new fields need (auto-create, dynamic mapping).")
    var assumeExisting = false

    func validate() throws {
        if assumeExisting && suggestRole == nil { throw ValidationError("--assume-existing only changes --suggest-role; add --suggest-role NAME") }
        if file == nil && request.isEmpty { throw ValidationError("give a console file, - for standard input, or --request 'GET _cat/indices'") }
        if configOption.config != nil && subjectOptions.user == nil && subjectOptions.claims == nil {
            throw ValidationError("--config needs a subject for the dry run: --user NAME or --claims FILE")
        }
    }

    func run() throws {
        let profile = target.target
        let requests = try ConsoleParser.parse(try consoleText(), file: file.map { $0 == "-" ? "<stdin>" : $0 } ?? "--request")
        let catalog = Catalog(profile: profile)
        let config = try configOption.load(profile: profile)
        var evaluator: Evaluator?
        var subject: PreparedSubject?
        if configOption.config != nil {
            let built = try context.evaluator(config: config, profile: profile)
            subject = built.prepare(try SubjectResolver.resolve(try subjectOptions.request(), config: built.config))
            evaluator = built
        }
        let settings = try evaluator?.settings ?? context.nodeSettings(profile: profile)
        let results = ActionsAnalysis(catalog: catalog, config: config, settings: settings).analyze(requests, evaluator: evaluator, subject: subject)
        if let suggestRole {
            let suggestion = RoleSuggestion(name: suggestRole, requirements: results.flatMap(\.plan.requirements), catalog: catalog,
                                            allowBroader: allowBroader, assumeExisting: assumeExisting)
            emit(try suggestion.yaml)
            return
        }
        emit(output.format == .json ? ActionsReport.json(results, target: profile.name) : ActionsReport.text(results, target: profile.name))
        if results.contains(where: { $0.firstDenial != nil }) { throw ExitStatus.negative.exitCode }
        if results.contains(where: { $0.plan.route == nil }) { throw ExitStatus.negative.exitCode }
    }

    /// The console file (or standard input) followed by the --request texts.
    private func consoleText() throws(InputError) -> String {
        let text = request.joined(separator: "\n\n")
        guard let file else { return text }
        return try InputText.read(file) + (text.isEmpty ? "" : "\n\n" + text)
    }
}
