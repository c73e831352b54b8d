/// SP013: do_not_fail_on_forbidden is on.
public struct DoNotFailOnForbidden: AuditRule {
    public init() {}
    public let id = "SP013"
    public let name = "do-not-fail-on-forbidden"
    public let severity = Diagnostic.Severity.note
    public let summary = "do_not_fail_on_forbidden silently reduces multi-index reads"
    public let rationale = """
        With config.dynamic.do_not_fail_on_forbidden: true, read requests over several indices run on the \
        allowed ones only and return 200 as if the data were complete (§3); users and applications cannot \
        tell that data is missing.
        """
    public let triggeringExample = ["config.yml": "config:\n  dynamic:\n    do_not_fail_on_forbidden: true\n"]
    public let passingExample = ["config.yml": "config:\n  dynamic:\n    do_not_fail_on_forbidden: false\n"]

    public func check(_ context: AuditContext) -> [Finding] {
        guard context.config.dynamic.doNotFailOnForbidden, let location = context.config.dynamic.location else { return [] }
        let empty = context.config.dynamic.doNotFailOnForbiddenEmpty ? "; with do_not_fail_on_forbidden_empty even fully forbidden reads succeed empty" : ""
        return [finding("do_not_fail_on_forbidden is on: partially forbidden reads return partial data without any sign\(empty)",
                        at: location, help: "make sure dashboards and applications can live with silently partial results",
                        entity: "config:dynamic/do_not_fail_on_forbidden")]
    }
}

/// SP014: custom entries named like built-in ones.
public struct StaticNameClash: AuditRule {
    public init() {}
    public let id = "SP014"
    public let name = "static-name-clash"
    public let severity = Diagnostic.Severity.error
    public let summary = "Custom role, action group or tenant with the name of a built-in one"
    public let rationale = """
        Built-in entries are loaded from the plugin's static configuration (§1.1). Before 3.4 a custom entry \
        with the same name makes the whole configuration fail to load ("Cannot override static roles"); from \
        3.4 the custom entry is dropped with a warning and the built-in wins. Either way the custom content \
        never applies.
        """
    public let triggeringExample = ["roles.yml": "readall:\n  cluster_permissions: ['*']\n"]
    public let passingExample = ["roles.yml": "readall_custom:\n  cluster_permissions: [cluster_monitor]\n"]

    public func check(_ context: AuditContext) -> [Finding] {
        context.staticClashes.sorted { $0.location < $1.location }.map { clash in
            let diagnostic = clash.diagnostic(profile: context.profile)
            return finding(diagnostic.message, at: clash.location, help: diagnostic.hint, entity: "static-clash:\(clash.name)",
                           severity: diagnostic.severity == .error ? .error : .warning)
        }
    }
}

/// SP016: reserved or hidden flags on custom entries.
public struct ReservedHiddenCustomEntry: AuditRule {
    public init() {}
    public let id = "SP016"
    public let name = "reserved-hidden-custom-entry"
    public let severity = Diagnostic.Severity.note
    public let summary = "Custom entry marked reserved or hidden"
    public let rationale = """
        reserved entries can be changed through the REST API and Dashboards only by a REST admin \
        (restapi:admin/* with restapi.admin.enabled, or the admin certificate); hidden entries are not even \
        returned and are reported as not found (§4, "Resource 'x' is reserved/not available"). On custom \
        entries this usually blocks later edits by the people who own them.
        """
    public let triggeringExample = ["roles.yml": "r:\n  reserved: true\n  cluster_permissions: [cluster_monitor]\n"]
    public let passingExample = ["roles.yml": "r:\n  reserved: false\n  cluster_permissions: [cluster_monitor]\n"]

    public func check(_ context: AuditContext) -> [Finding] {
        var items: [(kind: String, name: String, flags: EntryFlags, location: SourceLocation)] = []
        items += context.config.roles.values.map { ("role", $0.name, $0.flags, $0.location) }
        items += context.config.roleMappings.values.map { ("role mapping", $0.roleName, $0.flags, $0.location) }
        items += context.config.actionGroups.values.map { ("action group", $0.name, $0.flags, $0.location) }
        items += context.config.internalUsers.values.map { ("internal user", $0.name, $0.flags, $0.location) }
        items += context.config.tenants.values.map { ("tenant", $0.name, $0.flags, $0.location) }
        return items.filter { !$0.flags.isStatic && ($0.flags.reserved || $0.flags.hidden) }
            .sorted { $0.location < $1.location }
            .map { item in
                let flag = item.flags.hidden ? "hidden" : "reserved"
                return finding("\(item.kind) '\(item.name)' is \(flag): only a REST admin can change it\(item.flags.hidden ? " or even see it" : "") through the API",
                               at: item.location, help: "drop the flag unless the entry must be locked", entity: "\(item.kind):\(item.name)/\(flag)")
            }
    }
}
