import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// The pairs under Tests/Fixtures/diff: each `expected.json` names what the pair plants, the
/// verdict, the non-equivalent subjects (a user name, or `[backend roles]`) and optionally one
/// witness that must be found. Every witness any pair produces is re-checked here with the
/// evaluator on each side, as `secperm check` runs it (issue 12: "Every witness is a real
/// difference").
@Suite("Diff: fixture pairs")
struct DiffCorpusTests {
    static let root = Paths.fixtures.appendingPathComponent("diff")
    static let pairs = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    /// Date math and everything else evaluated at one fixed instant.
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    struct Expected: Decodable {
        struct Witness: Decodable {
            let subject: String
            let action: String
            let index: String?
            let source: String
            let target: String
        }

        let plants: String
        let args: [String]
        let verdict: String
        let subjects: [String: String]
        let witness: Witness?
    }

    static func expected(_ pair: String) throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: root.appendingPathComponent("\(pair)/expected.json")))
    }

    static func profile(_ args: [String], _ flag: String) -> TargetProfile {
        guard let position = args.firstIndex(of: flag), position + 1 < args.count else { return .default }
        return TargetProfile(parsing: args[position + 1]) ?? .default
    }

    static func inputs(_ pair: String, _ expected: Expected) throws -> (DiffInput, DiffInput) {
        func load(_ side: String, _ profile: TargetProfile, settings flag: String) throws -> DiffInput {
            let config = try ConfigLoader(profile: profile).load(from: root.appendingPathComponent("\(pair)/\(side)").path).config
            // Node settings as `--opensearch-yml-from/-to` give them, relative to the pair's folder.
            let path = expected.args.firstIndex(of: flag).flatMap { $0 + 1 < expected.args.count ? expected.args[$0 + 1] : nil }
            let settings = try InputFiles.nodeSettings(path: path.map { root.appendingPathComponent("\(pair)/\($0)").path }, overrides: [], profile: profile)
            return DiffInput(config: config, catalog: Catalog(profile: profile), settings: settings)
        }
        return (try load("src", profile(expected.args, "--target-from"), settings: "--opensearch-yml-from"),
                try load("dst", profile(expected.args, "--target-to"), settings: "--opensearch-yml-to"))
    }

    static func run(_ pair: String, maxWitnesses: Int = 10) throws -> (Expected, DiffInput, DiffInput, DiffResult) {
        let expected = try expected(pair)
        let (source, target) = try inputs(pair, expected)
        var diff = ConfigDiff(now: now)
        diff.maxWitnesses = maxWitnesses
        return (expected, source, target, diff.compare(source: source, target: target))
    }

    static func key(_ subject: DiffResult.SubjectDiff) -> String {
        subject.user ?? "[\(subject.backendRoles.joined(separator: ","))]"
    }

    @Test("the pair's verdict and non-equivalent subjects", arguments: pairs)
    func verdicts(_ pair: String) throws {
        let (expected, _, _, result) = try Self.run(pair)
        #expect(!expected.plants.isEmpty)
        #expect(result.verdict.rawValue == expected.verdict, "\(pair)")
        let subjects = Dictionary(result.subjects.map { (Self.key($0), $0.verdict.rawValue) }) { first, _ in first }
        #expect(subjects == expected.subjects, "\(pair)")
        if let wanted = expected.witness {
            let found = result.subjects.filter { Self.key($0) == wanted.subject }.flatMap(\.witnesses).contains {
                $0.action == wanted.action && $0.index == wanted.index && $0.source.outcome.rawValue == wanted.source
                    && $0.target.outcome.rawValue == wanted.target
            }
            #expect(found, "\(pair): expected witness \(wanted.action) on \(wanted.index ?? "-")")
        }
    }

    @Test("every witness is decided as named by each side's evaluator", arguments: pairs)
    func witnessesAreReal(_ pair: String) throws {
        let (_, source, target, result) = try Self.run(pair, maxWitnesses: 0)
        let sides = [source, target].map { Evaluator(config: $0.config, catalog: $0.catalog, settings: $0.settings, now: Self.now) }
        for subject in result.subjects {
            #expect(!subject.witnesses.isEmpty || subject.verdict == .undecided, "\(pair): \(Self.key(subject)) has no witness")
            for witness in subject.witnesses {
                var request = SubjectRequest(user: subject.evaluatedName)
                request.backendRoles = subject.user == nil ? subject.backendRoles : []
                request.host = subject.host
                let outcomes = try sides.map { evaluator in
                    let resolved = try SubjectResolver.resolve(request, config: evaluator.config)
                    return evaluator.evaluate(resolved, action: witness.action, indices: witness.index.map { [$0] } ?? []).outcome
                }
                #expect(outcomes == [witness.source.outcome, witness.target.outcome], "\(pair): \(Self.key(subject)) \(witness.action) on \(witness.index ?? "-")")
                #expect(outcomes[0] != outcomes[1])
                if let index = witness.index { #expect(index == "*" || IndexResolution.isPlainName(index)) }
            }
        }
    }

    @Test("a configuration against itself is equivalent", arguments: pairs)
    func selfEquivalence(_ pair: String) throws {
        let expected = try Self.expected(pair)
        let (source, _) = try Self.inputs(pair, expected)
        let result = ConfigDiff(now: Self.now).compare(source: source, target: source)
        #expect(result.verdict == .equivalent)
        #expect(result.subjects.isEmpty)
    }
}
