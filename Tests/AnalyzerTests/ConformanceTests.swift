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
