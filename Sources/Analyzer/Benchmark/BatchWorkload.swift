import Foundation

/// The whole-process workload of `secperm bench --batch`: a ``SyntheticConfig`` written as a
/// securityadmin directory, and its random requests written as a cases file, so that anyone can
/// time `secperm check --config DIR --batch DIR/cases.jsonl` as a user would run it.
public struct BatchWorkload: WorkloadFiles, Sendable {
    public let synthetic: SyntheticConfig
    public let checks: Int

    public init(synthetic: SyntheticConfig, checks: Int) {
        self.synthetic = synthetic
        self.checks = checks
    }

    /// The name of the cases file inside the directory.
    public static let casesFileName = "cases.jsonl"

    /// The files to write, name → text: every config type the writer produces, then the cases.
    public func files() throws(ConfigWriter.Failure) -> [(fileName: String, text: String)] {
        try ConfigWriter(synthetic.config).securityadminFiles() + [(Self.casesFileName, casesText())]
    }

    /// One case per line, without `expected`: the run asserts nothing and prints every decision.
    public func casesText() -> String {
        var text = ""
        for (number, request) in synthetic.requests(checks).enumerated() {
            text += "{\"id\":\"c\(number)\",\"user\":\(JSONText.quoted(request.user)),\"action\":\(JSONText.quoted(request.action)),\"indices\":["
            text += request.indices.map(JSONText.quoted).joined(separator: ",")
            text += "]}\n"
        }
        return text
    }
}
