/// SP002: a wildcard or regex entry that matches no known permission.
public struct PatternMatchesNothing: AuditRule {
    public init() {}
    public let id = "SP002"
    public let name = "pattern-matches-nothing"
    public let severity = Diagnostic.Severity.warning
    public let summary = "Permission pattern that matches no known permission"
    public let rationale = """
        A pattern such as indices:data/raed* is valid syntax (§2.1) but matches no action of the catalog, \
        which usually means a typo in its fixed part. It grants nothing unless a plugin adds matching actions.
        """
    public let triggeringExample = ["roles.yml": "r:\n  cluster_permissions: [\"indices:data/raed*\"]\n"]
    public let passingExample = ["roles.yml": "r:\n  cluster_permissions: [\"indices:data/read*\"]\n"]

    public func check(_ context: AuditContext) -> [Finding] {
        let names = context.catalog.permissions.map(\.name)
        var verdicts: [String: Bool] = [:]
        return context.entries.compactMap { entry in
            let text = entry.value.value
            guard case .success(let pattern) = Pattern.compile(text), !pattern.isExact, !pattern.isAnything,
                  pattern.form != .nothing else { return nil }
            let matches = verdicts[text] ?? names.contains(where: pattern.matches)
            verdicts[text] = matches
            guard !matches else { return nil }
            let literal = String(text.prefix { $0 != "*" && $0 != "?" })
            let hint = Suggestion.closest(to: literal, in: names.map { String($0.prefix(literal.count)) }, maxDistance: 2)
                .map { "did you mean '\($0)\(text.dropFirst(literal.count))'?" } ?? "check the fixed part of the pattern"
            return finding("pattern '\(text)' in \(entry.ownerKind.replacingOccurrences(of: "_", with: " ")) '\(entry.owner)' matches no known permission",
                           at: entry.value.location, help: hint, entity: entry.entity)
        }
    }
}
