/// "May this subject do this action on these indices?"
public struct AccessRequest: Hashable, Sendable {
    public var subject: Subject
    public var action: String
    /// Index expressions as a request names them: names, aliases, data streams, wildcards,
    /// `-exclusions`, `<date math>`, `remote:index`. Empty = no index named (for index actions,
    /// the plugin's legacy evaluator reads that as all indices).
    public var indices: [String]

    public init(subject: Subject, action: String, indices: [String] = []) {
        self.subject = subject
        self.action = action
        self.indices = indices
    }
}
