import Analyzer
import ArgumentParser
import Foundation
import PermissionCatalog

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Can user X do action Y on index Z? The plugin's decision, why, and the smallest fix.",
        discussion: """
            Evaluates one request, or every case of a JSON Lines file (--batch), the way the security plugin's default evaluator does for --target. Decisions: allow, deny, partial (do_not_fail_on_forbidden left some indices out), empty (allowed, but the indices are system, security or protected indices whose contents this user is served empty). Dashboards tenant actions (kibana:saved_objects/*/read|write) are decided for --tenant (none: the global tenant), and so are requests on the Dashboards index (.kibana, or config.yml kibana.index): served from the tenant's index when the tenant grant allows, refused when it does not.

            Examples:
              secperm check --config data/samples/acme --user alice \\
                  --action indices:data/read/search --index sales-2024
              secperm check --config ./backup --user bob --backend-role devs \\
                  --action cluster:monitor/health
              secperm check --config ./backup --batch who-may-do-what.jsonl \\
                  --cluster-metadata aliases.json

            A cases file has one JSON object per line: {"id": "…", "user": "…", "backend_roles": […], "attributes": {…}, "roles": […], "host": "…", "tenant": "…", "action": "…", "indices": […], "expected": "allow|deny|partial|empty", "allowed_indices": […]}; "tenant" is what --tenant gives a single check (the securitytenant header). A field of the wrong type, an unknown field or value, and a file without cases are input errors (exit 2, with the line). With "expected" it is an assertion file: disagreements are listed and the exit status is 1. --backend-role, --attribute, --role and --host given beside --batch are added to every case; --user, --claims, --tenant, --action and --index are refused there (each case names its own).

            With --format json, --batch writes JSON Lines (schemaVersion 2): one object per case: {"id", "line", "decision", "user": {"name"}, "action", "checkedAction", "indices", "allowedIndices", "expected", "disagreement"}; a case that disagrees, or every case with --explain, is instead the single-check object (grants, forbiddenMessage, fix, notes) plus those fields. Then one last line {"summary": {…}} with the counts ("cases", "allow", "deny", "partial", "empty", and with expectations "asExpected" and "unexpected"). A run whose last line is not the summary was cut short.

            Exit status: 0 allow/partial/empty, 1 deny (or a disagreeing case), 2 input error.
            """)

    @OptionGroup var configOption: ConfigOption
    @OptionGroup var subjectOptions: SubjectOptions

    @Option(name: .long, help: ArgumentHelp("The action, e.g. indices:data/read/search or cluster:monitor/health.", valueName: "action"))
    var action: String?

    @Option(name: .long, help: ArgumentHelp("Index, alias, data stream or expression (repeatable; commas allowed).", valueName: "name"))
    var index: [String] = []

    @Option(name: .long, help: ArgumentHelp("Check every case of a JSON Lines file instead of one request.", valueName: "cases.jsonl"))
    var batch: String?

    @Flag(name: .long, help: "With --batch: explain every case (grants, 403 text, fix), not only those that disagree with \"expected\".")
    var explain = false

    @Option(name: .long, help: ArgumentHelp("With --batch: threads deciding the cases (default: the cores present); the output order is the cases' order.", valueName: "n"))
    var jobs: Int?

    @OptionGroup var context: ClusterContextOptions
    @OptionGroup var target: TargetOption
    @OptionGroup var output: FormatOption

    func validate() throws {
        if let jobs, !(1...256).contains(jobs) { throw ValidationError("--jobs must be between 1 and 256, found \(jobs)") }
        if batch == nil, explain || jobs != nil { throw ValidationError("--explain and --jobs go with --batch (a single check is always explained)") }
        if configOption.config == nil { throw ValidationError("--config is required: the security configuration to check against") }
        if batch != nil {
            let refused = [("--action", action != nil), ("--index", !index.isEmpty), ("--user", subjectOptions.user != nil), ("--claims", subjectOptions.claims != nil),
                           ("--tenant", subjectOptions.tenant != nil)]
            let given = refused.filter(\.1).map(\.0)
            if !given.isEmpty {
                throw ValidationError("\(given.joined(separator: ", ")) cannot be combined with --batch: each case gives its own user, action and indices")
            }
        } else {
            if action == nil { throw ValidationError("give --action (or --batch FILE)") }
            if subjectOptions.user == nil && subjectOptions.claims == nil { throw ValidationError("give --user NAME or --claims FILE (or --batch FILE)") }
        }
    }

    func run() throws {
        let profile = target.target
        let evaluator = try context.evaluator(config: try configOption.load(profile: profile), profile: profile)
        if let batch {
            try runBatch(batch, evaluator: evaluator)
            return
        }
        guard let action else { throw ValidationError("give --action (or --batch FILE)") }
        let subject = try SubjectResolver.resolve(try subjectOptions.request(), config: evaluator.config)
        let decision = evaluator.evaluate(subject, action: action, indices: index)
        emit(output.format == .json ? DecisionReport.json(decision) : DecisionReport.text(decision))
        if !decision.isAllowed { throw ExitStatus.negative.exitCode }
    }

    private func runBatch(_ path: String, evaluator: Evaluator) throws {
        let cases = try BatchCase.read(path: path)
        let runner = BatchRunner(evaluator: evaluator, common: try subjectOptions.request(), explain: explain,
                                 jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let failed: Bool
        if output.format == .json {
            // Written a chunk at a time as the cases are decided: no run holds every line.
            let writer = BatchLineWriter(cases: cases)
            var counts = BatchCounts()
            try runner.run(cases, render: { writer.lines($0) }, deliver: { lines in
                emit(lines.bytes)
                counts += lines.counts
            })
            emit(writer.summary(counts, file: path))
            failed = counts.failed(hasExpectations: cases.hasExpectations)
        } else {
            // The table's columns are as wide as their widest cell, so the rows are kept, not the decisions.
            var text = BatchTextPart(hasExpectations: cases.hasExpectations)
            try runner.run(cases, render: { BatchReport.textPart($0, file: path) }, deliver: { text.append($0) })
            emit(BatchReport.text(text))
            failed = text.failed
        }
        // The evaluator (its compiled roles and every prepared subject's tables) stays until the
        // process ends: taking it apart would cost as much as deciding thousands of cases, for
        // memory the system takes back at exit anyway.
        _ = Unmanaged.passRetained(evaluator)
        if failed { throw ExitStatus.negative.exitCode }
    }
}
