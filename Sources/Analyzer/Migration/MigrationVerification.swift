/// The parity proof at the end of a migration: `secperm diff` of the source against the target
/// as it now stands (Parity/ConfigDiff).
public struct MigrationVerification: Sendable {
    public let result: DiffResult

    public var isEquivalent: Bool { result.verdict == .equivalent }
    /// Subjects compared (equivalent or not).
    public var subjectCount: Int { result.equivalentSubjects + result.subjects.count }

    public init(source: DiffInput, target: DiffInput, diff: ConfigDiff = ConfigDiff()) {
        result = diff.compare(source: source, target: target)
    }
}
