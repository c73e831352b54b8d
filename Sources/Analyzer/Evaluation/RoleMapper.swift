/// Why a subject has a role.
public struct MappingReason: Hashable, Sendable, Codable {
    public enum Rule: String, Sendable, Codable {
        case user = "users", backendRole = "backend_roles", andBackendRoles = "and_backend_roles", host = "hosts"
        case direct = "opendistro_security_roles", backendRoleAsRole = "backend role used as role name"
    }

    public let rule: Rule
    /// The pattern(s) that matched, as written.
    public let patterns: [String]
    /// What they matched (user name, backend roles, host).
    public let matched: [String]
}

/// A role the subject holds, with every reason it holds it.
public struct MappedRole: Hashable, Sendable {
    public let name: String
    public let reasons: [MappingReason]
    /// False when no role of that name exists; such mappings are ignored by the plugin.
    public let exists: Bool
}

/// Resolves a subject's security roles (§4, `ConfigurableRoleMapper`): the subject's own security
/// roles always, plus role mappings and/or backend roles per `roles_mapping_resolution`.
public struct RoleMapper: Sendable {
    /// A mapping's patterns, compiled once; a class, so that reading one for a subject costs one
    /// reference, not a copy of each list.
    final class CompiledMapping: Sendable {
        let role: String
        let users: [Pattern]
        let backendRoles: [Pattern]
        let andBackendRoles: [Pattern]
        let hosts: [Pattern]

        init(role: String, users: [Pattern], backendRoles: [Pattern], andBackendRoles: [Pattern], hosts: [Pattern]) {
            self.role = role
            self.users = users
            self.backendRoles = backendRoles
            self.andBackendRoles = andBackendRoles
            self.hosts = hosts
        }
    }

    let mappings: [CompiledMapping]
    let resolution: NodeSettings.RolesMappingResolution
    let roleNames: Set<String>
    /// Exact user name → indices of mappings that name it exactly; other mappings are scanned.
    private let exactUsers: [String: [Int]]
    private let exactBackendRoles: [String: [Int]]
    private let scanned: [Int]
    /// Per mapping: whether its role exists (mappings to missing roles are ignored).
    private let mappingRoleExists: [Bool]

    public init(config: SecurityConfig, resolution: NodeSettings.RolesMappingResolution) {
        let compiled = config.roleMappings.sorted { $0.key < $1.key }.map { name, mapping -> CompiledMapping in
            return CompiledMapping(role: name, users: mapping.users.map { Pattern($0.value) },
                                   backendRoles: mapping.backendRoles.map { Pattern($0.value) },
                                   andBackendRoles: mapping.andBackendRoles.map { Pattern($0.value) },
                                   hosts: mapping.hosts.map { Pattern($0.value) })
        }
        mappings = compiled
        self.resolution = resolution
        roleNames = Set(config.roles.keys)
        var users: [String: [Int]] = [:], backend: [String: [Int]] = [:], scan: [Int] = []
        for (index, mapping) in compiled.enumerated() {
            let simple = mapping.andBackendRoles.isEmpty && mapping.hosts.isEmpty
                && (mapping.users + mapping.backendRoles).allSatisfy(\.isExact)
            guard simple else { scan.append(index); continue }
            for user in mapping.users { users[user.source, default: []].append(index) }
            for role in mapping.backendRoles { backend[role.source, default: []].append(index) }
        }
        exactUsers = users
        exactBackendRoles = backend
        scanned = scan
        mappingRoleExists = compiled.map { config.roles[$0.role] != nil }
    }

    /// The role of each mapping, by mapping index (see ``mappingIndices(_:)``).
    public var mappingRoles: [String] { mappings.map(\.role) }

    /// Indices of the mappings (to existing roles) that apply to the subject, without reasons and
    /// without hashing role names: for analysing thousands of users at once.
    public func mappingIndices(_ subject: Subject) -> [Int] {
        guard resolution != .backendRolesOnly else { return [] }
        var found: [Int] = []
        // The index is keyed by Swift strings, which equate canonically equivalent spellings; the
        // patterns compare code units as the plugin does, so each hit is confirmed by them.
        for index in exactUsers[subject.name] ?? [] where mappingRoleExists[index] && matches(mappings[index], subject) {
            found.append(index)
        }
        for role in subject.backendRoles {
            for index in exactBackendRoles[role] ?? [] where mappingRoleExists[index] && matches(mappings[index], subject) {
                found.append(index)
            }
        }
        for index in scanned where mappingRoleExists[index] && matches(mappings[index], subject) { found.append(index) }
        return found
    }

    /// The subject's roles, sorted by name, each with its reasons.
    public func map(_ subject: Subject) -> [MappedRole] {
        let candidates = resolution == .backendRolesOnly ? [] : candidateMappings(subject)
        // Without direct roles (and backend roles taken as role names), every role comes from a
        // mapping: the mappings are sorted by role name and each names a different role, so the
        // candidates in order give the roles sorted, each once, without a dictionary.
        if subject.securityRoles.isEmpty, resolution == .mappingOnly || subject.backendRoles.isEmpty {
            var roles: [MappedRole] = []
            roles.reserveCapacity(candidates.count)
            for index in candidates {
                let reasons = match(mappings[index], subject)
                if !reasons.isEmpty { roles.append(MappedRole(name: mappings[index].role, reasons: reasons, exists: mappingRoleExists[index])) }
            }
            return roles
        }
        var reasons: [String: [MappingReason]] = [:]
        for role in subject.securityRoles {
            reasons[role, default: []].append(MappingReason(rule: .direct, patterns: [role], matched: [subject.name]))
        }
        if resolution != .mappingOnly {
            for role in subject.backendRoles {
                reasons[role, default: []].append(MappingReason(rule: .backendRoleAsRole, patterns: [role], matched: [role]))
            }
        }
        for index in candidates {
            let mapping = mappings[index]
            for reason in match(mapping, subject) { reasons[mapping.role, default: []].append(reason) }
        }
        return reasons.sorted { $0.key < $1.key }.map { MappedRole(name: $0.key, reasons: $0.value, exists: roleNames.contains($0.key)) }
    }

    /// The mappings that may apply to the subject, ascending and each once: those naming its user
    /// or one of its backend roles exactly, and every mapping that has to be scanned.
    private func candidateMappings(_ subject: Subject) -> [Int] {
        var candidates = scanned
        if let users = exactUsers[subject.name] { candidates += users }
        for role in subject.backendRoles {
            if let more = exactBackendRoles[role] { candidates += more }
        }
        guard candidates.count > 1, candidates.count > scanned.count else { return candidates }
        candidates.sort()
        var unique = 0
        for position in candidates.indices where position == 0 || candidates[position] != candidates[unique - 1] {
            candidates[unique] = candidates[position]
            unique += 1
        }
        candidates.removeLast(candidates.count - unique)
        return candidates
    }

    /// Whether any rule of the mapping applies (the same rules as `match`, without building reasons).
    private func matches(_ mapping: CompiledMapping, _ subject: Subject) -> Bool {
        if mapping.users.contains(where: { $0.matches(subject.name) }) { return true }
        if mapping.backendRoles.contains(where: { pattern in subject.backendRoles.contains(where: pattern.matches) }) { return true }
        if !mapping.andBackendRoles.isEmpty,
           mapping.andBackendRoles.allSatisfy({ pattern in subject.backendRoles.contains(where: pattern.matches) }) { return true }
        if let host = subject.host, mapping.hosts.contains(where: { $0.matches(host) }) { return true }
        return false
    }

    private func match(_ mapping: CompiledMapping, _ subject: Subject) -> [MappingReason] {
        var reasons: [MappingReason] = []
        let backendRoles = subject.backendRoles
        var users: [String] = []
        for pattern in mapping.users where pattern.matches(subject.name) { users.append(pattern.source) }
        if !users.isEmpty { reasons.append(MappingReason(rule: .user, patterns: users, matched: [subject.name])) }
        if !mapping.backendRoles.isEmpty, !backendRoles.isEmpty {
            // Which backend roles each pattern matches, found once for both lists of the reason
            // (a bit per backend role while there are at most 64, the usual case).
            var patterns: [String] = [], matchedBits: UInt64 = 0, matchedRoles: [Bool] = []
            let wide = backendRoles.count > 64
            if wide { matchedRoles = [Bool](repeating: false, count: backendRoles.count) }
            for pattern in mapping.backendRoles {
                var hit = false
                for (position, role) in backendRoles.enumerated() where pattern.matches(role) {
                    hit = true
                    if wide { matchedRoles[position] = true } else { matchedBits |= 1 << UInt64(position) }
                }
                if hit { patterns.append(pattern.source) }
            }
            if !patterns.isEmpty {
                var matched: [String] = []
                for (position, role) in backendRoles.enumerated()
                where wide ? matchedRoles[position] : matchedBits & (1 << UInt64(position)) != 0 {
                    matched.append(role)
                }
                reasons.append(MappingReason(rule: .backendRole, patterns: patterns, matched: matched))
            }
        }
        if !mapping.andBackendRoles.isEmpty,
           mapping.andBackendRoles.allSatisfy({ pattern in backendRoles.contains(where: pattern.matches) }) {
            let matched = backendRoles.filter { role in mapping.andBackendRoles.contains { $0.matches(role) } }
            reasons.append(MappingReason(rule: .andBackendRoles, patterns: mapping.andBackendRoles.map(\.source), matched: matched))
        }
        if let host = subject.host, !mapping.hosts.isEmpty {
            let hosts = mapping.hosts.filter { $0.matches(host) }
            if !hosts.isEmpty { reasons.append(MappingReason(rule: .host, patterns: hosts.map(\.source), matched: [host])) }
        }
        return reasons
    }
}
