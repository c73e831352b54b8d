import Foundation
import Testing
import PermissionCatalog
@testable import Analyzer

/// Runs a scenario folder (config/, optional opensearch.yml and cluster_metadata.json, cases.jsonl)
/// and returns every case that disagrees with its expectation.
enum ScenarioRunner {
    struct Failure: CustomStringConvertible {
        let id: String
        let problem: String
        let decision: Decision
        var description: String {
            "\(id): \(problem) [\(decision.subject.name) \(decision.action) \(decision.requestedIndices); roles \(decision.roles.map(\.name)); notes \(decision.notes)]"
        }
    }

    static func scenarios(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("cases.jsonl").path) }
    }

    /// A scenario may pin its profile in a `target` file (e.g. `opensearch-2.11`).
    /// `strict`: an `allow` expectation is met by `allow` only, not by `empty` (secperm's own
    /// scenarios say `empty` where they mean it).
    static func run(_ scenario: URL, strict: Bool = false) throws -> (count: Int, failures: [Failure]) {
        let targetFile = scenario.appendingPathComponent("target")
        var profile = TargetProfile.default
        if let text = try? String(contentsOf: targetFile, encoding: .utf8) {
            profile = try #require(TargetProfile(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let config = try ConfigLoader(profile: profile).load(from: scenario.appendingPathComponent("config").path).config
        let yml = scenario.appendingPathComponent("opensearch.yml").path
        let settings = try InputFiles.nodeSettings(path: FileManager.default.fileExists(atPath: yml) ? yml : nil, overrides: [], profile: profile)
        let metadataPath = scenario.appendingPathComponent("cluster_metadata.json").path
        let metadata = FileManager.default.fileExists(atPath: metadataPath) ? try InputFiles.clusterMetadata(path: metadataPath) : nil
        let evaluator = Evaluator(config: config, catalog: Catalog(profile: profile), settings: settings, metadata: metadata)
        let text = try String(contentsOf: scenario.appendingPathComponent("cases.jsonl"), encoding: .utf8)
        let cases = try BatchCase.parse(text, file: "cases.jsonl")
        var failures: [Failure] = []
        for item in cases {
            let subject = try SubjectResolver.resolve(item.subject, config: evaluator.config)
            let decision = evaluator.evaluate(subject, action: item.action, indices: item.indices)
            if let problem = item.disagreement(with: decision) {
                failures.append(Failure(id: item.id, problem: problem, decision: decision))
            } else if strict, item.expected == .allow, decision.outcome == .empty {
                failures.append(Failure(id: item.id, problem: "expected allow, got empty", decision: decision))
            }
        }
        return (cases.count, failures)
    }
}
