import Foundation
import Testing
@testable import Analyzer

/// Every scenario of Tests/Fixtures/conformance (translated from the plugin's own tests; see its
/// README for provenance) must pass. SECPERM_CONFORMANCE_DIR runs the same suite on another copy of
/// the corpus (.ci/run points it at the project's shared corpus when that is present).
@Suite("Conformance corpus (Tests/Fixtures/conformance)")
struct ConformanceTests {
    static let directory = ProcessInfo.processInfo.environment["SECPERM_CONFORMANCE_DIR"].map { URL(fileURLWithPath: $0) }
        ?? Paths.fixtures.appendingPathComponent("conformance")
    static let scenarios = ScenarioRunner.scenarios(in: directory)

    @Test("the corpus is there: 9 scenarios")
    func present() {
        #expect(Self.scenarios.map(\.lastPathComponent) == [
            "action_groups_nesting", "dnfof_songs", "index_pattern_semantics", "int_readonly_legacy",
            "rest_admin_explicit_permissions", "role_mapping_mapping_only", "system_indices_enabled",
            "unit_cluster_privileges", "unit_index_privileges",
        ], "\(Self.directory.path) is missing scenarios")
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
