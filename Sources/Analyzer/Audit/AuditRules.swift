/// Every audit rule, in ID order. A test fails when a rule file exists but is not listed here.
public enum AuditRules {
    public static let all: [any AuditRule] = [
        UnknownPermission(), PatternMatchesNothing(), UnknownActionGroup(), WrongPermissionLevel(), ActionGroupStructure(),
        RegexProblems(), MappingsAndCoverage(), OverBroadGrant(), SensitiveGrant(), SpecialIndexPattern(), TemplateVariables(),
        DocumentFieldSecurityCombination(), DoNotFailOnForbidden(), StaticNameClash(), VersionMissingPermission(),
        ReservedHiddenCustomEntry(), OutdatedBuiltInCopy(),
    ]

    public static func rule(_ id: String) -> (any AuditRule)? {
        all.first { $0.id == id || $0.name == id }
    }
}
