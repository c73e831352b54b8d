import Foundation
import Testing
@testable import Analyzer

/// Every scenario of shared/conformance (translated from the plugin's own tests) must pass.
@Suite("Conformance corpus (shared/conformance)")
struct ConformanceTests {
    static let scenarios = ScenarioRunner.scenarios(in: Paths.shared.appendingPathComponent("conformance"))

    @Test("the corpus is there", .tags())
    func present() {
        #expect(Self.scenarios.count >= 9)
    }

    @Test("scenario passes", arguments: scenarios)
    func scenario(_ folder: URL) throws {
        let result = try ScenarioRunner.run(folder)
        #expect(result.count > 0)
        #expect(result.failures.isEmpty, "\(folder.lastPathComponent): \(result.failures.count) of \(result.count) cases disagree:\n\(result.failures.map(\.description).joined(separator: "\n"))")
    }
}

/// secperm's own scenarios (Tests/Fixtures/scenarios): each README names the rule and the section
/// of shared/reference/opensearch-security-semantics.md it follows.
@Suite("Own scenarios (Tests/Fixtures/scenarios)")
struct OwnScenarioTests {
    static let scenarios = ScenarioRunner.scenarios(in: Paths.fixtures.appendingPathComponent("scenarios"))

    @Test("every scenario names its upstream section")
    func documented() throws {
        #expect(Self.scenarios.count >= 8)
        for folder in Self.scenarios {
            let readme = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
            #expect(readme.contains("§"), "\(folder.lastPathComponent)/README.md names no section")
        }
    }

    /// Strict: an `allow` expectation means allow, not `empty`.
    @Test("scenario passes", arguments: scenarios)
    func scenario(_ folder: URL) throws {
        let result = try ScenarioRunner.run(folder, strict: true)
        #expect(result.count > 0)
        #expect(result.failures.isEmpty, "\(folder.lastPathComponent): \(result.failures.count) of \(result.count) cases disagree:\n\(result.failures.map(\.description).joined(separator: "\n"))")
    }
}
