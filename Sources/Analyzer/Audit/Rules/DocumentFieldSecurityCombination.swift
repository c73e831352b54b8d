/// SP012: DLS/FLS restrictions combined across roles held by the same users.
///
/// Rule followed: OpenSearch 2.0 added `plugins.security.dfm_empty_overrides_all` (PR #1735, listed in
/// the 2.0.0.0 release notes; `DlsFlsProcessedConfig.DFM_EMPTY_OVERRIDES_ALL`, default false). With the
/// default, a role that places no DLS/FLS/masking on an index does not lift another role's restrictions
/// on it; with `true`, it does. Several DLS queries for one index are combined with OR, so the user sees
/// the documents any of them allows.
public struct DocumentFieldSecurityCombination: AuditRule {
    public init() {}
    public let id = "SP012"
    public let name = "dls-fls-combination"
    public let severity = Diagnostic.Severity.warning
    public let summary = "DLS/FLS of one role lifted or widened by another role of the same users"
    public let rationale = """
        Users often hold several roles. With plugins.security.dfm_empty_overrides_all: true, a role that \
        reads an index without DLS/FLS removes the restrictions another role puts on it (the classic leak); \
        with the default (false) the restrictions hold, but the configuration leaks the day the setting is \
        turned on. Different DLS queries for one index combine with OR.
        """
    public let triggeringExample = [
        "roles.yml": "a:\n  index_permissions:\n  - index_patterns: [customers]\n    dls: '{\"term\": {\"region\": \"eu\"}}'\n    allowed_actions: [read]\nb:\n  index_permissions:\n  - index_patterns: [customers]\n    allowed_actions: [read]\n",
        "roles_mapping.yml": "a:\n  users: [u]\nb:\n  users: [u]\n", "internal_users.yml": "u:\n  hash: x\n",
    ]
    public let passingExample = [
        "roles.yml": "a:\n  index_permissions:\n  - index_patterns: [customers]\n    dls: '{\"term\": {\"region\": \"eu\"}}'\n    allowed_actions: [read]\nb:\n  index_permissions:\n  - index_patterns: [orders]\n    allowed_actions: [read]\n",
        "roles_mapping.yml": "a:\n  users: [u]\nb:\n  users: [u]\n", "internal_users.yml": "u:\n  hash: x\n",
    ]

    struct Grant {
        let role: Role
        let permission: IndexPermission
        var restricted: Bool { permission.dls != nil || !permission.fls.isEmpty || !permission.maskedFields.isEmpty }
    }

    static func overlap(_ a: String, _ b: String, compile: (String) -> Pattern = Pattern.init) -> Bool {
        if a == b || a == "*" || b == "*" { return true }
        let pa = compile(a), pb = compile(b)
        if pa.isExact { return pb.matches(a) }
        if pb.isExact { return pa.matches(b) }
        if case .prefix(let x) = pa.form, case .prefix(let y) = pb.form { return x.hasPrefix(y) || y.hasPrefix(x) }
        return false
    }

    public func check(_ context: AuditContext) -> [Finding] {
        let restrictedRoles = Set(context.customRoles.filter { $0.indexPermissions.contains { $0.dls != nil || !$0.fls.isEmpty || !$0.maskedFields.isEmpty } }.map(\.name))
        guard !restrictedRoles.isEmpty else { return [] }
        var reported = Set<String>()
        var findings: [Finding] = []
        var compiled: [CodeUnitKey: Pattern] = [:]
        func compile(_ text: String) -> Pattern {
            if let known = compiled[CodeUnitKey(text)] { return known }
            let pattern = Pattern(text)
            compiled[CodeUnitKey(text)] = pattern
            return pattern
        }
        // Roles as integer ids; each role's read grants computed once.
        let names = context.roleNames
        let ids = context.roleIDs
        var readGrants = [[Grant]?](repeating: nil, count: names.count)
        func grants(of id: Int) -> [Grant] {
            if let known = readGrants[id] { return known }
            guard let role = context.merged.roles[names[id]] else { return [] }
            let found = role.indexPermissions.filter { permission in
                permission.allowedActions.contains { context.expansion(of: $0.value).actions.contains("indices:data/read/search") }
            }.map { Grant(role: role, permission: $0) }
            readGrants[id] = found
            return found
        }
        // Users as sorted ids, and role → users holding it.
        let userNames = context.config.internalUsers.keys.sorted()
        var usersOf = [[Int]](repeating: [], count: names.count)
        for (userID, user) in userNames.enumerated() {
            for id in context.internalUserRoleIDs[user, default: []] { usersOf[id].append(userID) }
        }
        // Read-grant patterns of every held role, indexed the way `overlap` compares them.
        var star: [Int] = [], exact: [String: [Int]] = [:], prefixes: [(String, Int)] = [], globs: [(Pattern, Int)] = []
        for id in names.indices where !usersOf[id].isEmpty {
            for grant in grants(of: id) {
                for pattern in grant.permission.indexPatterns.map(\.value) {
                    let compiledPattern = compile(pattern)
                    switch compiledPattern.form {
                    case .anything: star.append(id)
                    case .exact(let name): exact[name, default: []].append(id)
                    case .prefix(let prefix): prefixes.append((prefix, id))
                    default: globs.append((compiledPattern, id))
                    }
                }
            }
        }
        func candidates(overlapping text: String) -> Set<Int> {
            var found = Set(star)
            switch compile(text).form {
            case .anything: return Set(names.indices.filter { !usersOf[$0].isEmpty })
            case .exact(let name):
                found.formUnion(exact[name] ?? [])
                for (prefix, id) in prefixes where name.hasPrefix(prefix) { found.insert(id) }
                for (pattern, id) in globs where pattern.matches(name) { found.insert(id) }
            case .prefix(let mine):
                for (name, roleIDs) in exact where name.hasPrefix(mine) { found.formUnion(roleIDs) }
                for (prefix, id) in prefixes where prefix.hasPrefix(mine) || mine.hasPrefix(prefix) { found.insert(id) }
                for (pattern, id) in globs where pattern.source == text { found.insert(id) }
            default:
                for (pattern, id) in globs where pattern.source == text { found.insert(id) }
            }
            return found
        }
        func firstCommonUser(_ a: [Int], _ b: [Int]) -> Int? {
            var i = 0, j = 0
            while i < a.count, j < b.count {
                if a[i] == b[j] { return a[i] }
                if a[i] < b[j] { i += 1 } else { j += 1 }
            }
            return nil
        }
        for restrictedID in restrictedRoles.compactMap({ ids[$0] }).sorted() where !usersOf[restrictedID].isEmpty {
            for restricted in grants(of: restrictedID) where restricted.restricted {
                let others = restricted.permission.indexPatterns.reduce(into: Set<Int>()) { $0.formUnion(candidates(overlapping: $1.value)) }
                for otherID in others.sorted() where otherID != restrictedID {
                    guard let user = firstCommonUser(usersOf[restrictedID], usersOf[otherID]) else { continue }
                    for other in grants(of: otherID) {
                        examine(restricted, other, user: userNames[user], compile: compile, reported: &reported, findings: &findings, context: context)
                    }
                }
            }
        }
        return findings
    }

    private func examine(_ restricted: Grant, _ other: Grant, user: String, compile: (String) -> Pattern, reported: inout Set<String>,
                         findings: inout [Finding], context: AuditContext) {
        guard let shared = restricted.permission.indexPatterns.first(where: { a in
            other.permission.indexPatterns.contains { Self.overlap(a.value, $0.value, compile: compile) }
        }) else { return }
        let key = "\(restricted.role.name)|\(other.role.name)|\(shared.value)"
        guard reported.insert(key).inserted else { return }
        let entity = "role:\(restricted.role.name)/dls-fls/\(shared.value)/\(other.role.name)"
        if !other.restricted {
            if context.settings.dfmEmptyOverridesAll {
                findings.append(finding("role '\(other.role.name)' reads '\(shared.value)' without DLS/FLS and lifts the restrictions of role '\(restricted.role.name)' for users holding both (e.g. \(user)), because dfm_empty_overrides_all is true",
                                        at: restricted.permission.location, help: "remove the overlap, or give the other role the same restrictions", entity: entity))
            } else {
                findings.append(finding("role '\(other.role.name)' also reads '\(shared.value)' without DLS/FLS for users holding role '\(restricted.role.name)' (e.g. \(user)); the restrictions hold only while plugins.security.dfm_empty_overrides_all is false",
                                        at: restricted.permission.location, help: "avoid granting the same index unrestricted to the same users", entity: entity, severity: .note))
            }
        } else if other.permission.dls != nil, restricted.permission.dls != nil, other.permission.dls != restricted.permission.dls {
            findings.append(finding("roles '\(restricted.role.name)' and '\(other.role.name)' put different DLS queries on '\(shared.value)' for the same users (e.g. \(user)); the queries combine with OR",
                                    at: restricted.permission.location, help: "check that the union of the queries is what these users may see", entity: entity, severity: .note))
        }
    }
}
