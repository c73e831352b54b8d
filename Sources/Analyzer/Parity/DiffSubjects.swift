/// Which subjects `secperm diff` compares.
public enum DiffSubjectSelection: String, Sendable, CaseIterable {
    /// Internal users and the subjects the role mappings distinguish.
    case all
    /// Internal users of either side only.
    case `internal`
    /// Only the subjects the role mappings distinguish (users from LDAP, SAML, JWT …).
    case mapped
}

/// A subject compared on both sides, and the request that resolves it there (as `secperm check
/// --user … --backend-role … --host …` would).
public struct DiffSubject: Hashable, Sendable {
    public let user: String?
    public let backendRoles: [String]
    public let host: String?
    public let evaluatedName: String

    var request: SubjectRequest {
        var request = SubjectRequest(user: evaluatedName)
        request.backendRoles = backendRoles
        request.host = host
        return request
    }
}

/// The subjects a pair of configurations distinguishes (issue 12, "What is compared"):
/// - every internal user on either side, with its own backend roles, attributes and
///   `opendistro_security_roles` on each side;
/// - for users who do not come from the internal database: one subject per backend role named in
///   a mapping's `backend_roles`, one per mapping's `and_backend_roles` set, one per user name in
///   `users` that is not an internal user, one per `hosts` entry. A pattern stands as its
///   shortest matching name (backend roles: see `backendRoleNames`).
/// A subject holding the backend roles of several of these holds the union of their roles; where
/// that union decides differently from its parts (protected-index roles, role-list templates),
/// `DiffCombinations` adds the combinations.
public enum DiffSubjects {
    /// The name backend-role and host subjects are evaluated under: no internal user, no mapped user.
    static func placeholderName(avoiding taken: Set<String>) -> String {
        var name = "external-user", number = 1
        while taken.contains(name) {
            number += 1
            name = "external-user-\(number)"
        }
        return name
    }

    public static func enumerate(_ configs: [SecurityConfig], selection: DiffSubjectSelection, users: [String]) -> [DiffSubject] {
        let internalNames = Set(configs.flatMap(\.internalUsers.keys))
        if !users.isEmpty {
            return users.map { DiffSubject(user: $0, backendRoles: [], host: nil, evaluatedName: $0) }
        }
        var subjects: [DiffSubject] = []
        if selection != .mapped {
            subjects += internalNames.sorted().map { DiffSubject(user: $0, backendRoles: [], host: nil, evaluatedName: $0) }
        }
        guard selection != .internal else { return subjects }
        let mappings = configs.flatMap { $0.roleMappings.values }
        let mappedUsers = Set(mappings.flatMap(\.users).map { representative($0.value) }.compactMap { $0 }).subtracting(internalNames)
        let placeholder = placeholderName(avoiding: internalNames.union(mappedUsers))
        var seen = Set<DiffSubject>()
        func add(_ subject: DiffSubject) { if seen.insert(subject).inserted { subjects.append(subject) } }
        for role in backendRoleNames(mappings) {
            add(DiffSubject(user: nil, backendRoles: [role], host: nil, evaluatedName: placeholder))
        }
        let combinations = Set(mappings.map { $0.andBackendRoles.compactMap { representative($0.value) } }.filter { !$0.isEmpty }.map { Array(Set($0)).sorted() })
        for roles in combinations.sorted(by: { $0.joined(separator: ",") < $1.joined(separator: ",") }) {
            add(DiffSubject(user: nil, backendRoles: roles, host: nil, evaluatedName: placeholder))
        }
        for user in mappedUsers.sorted() { add(DiffSubject(user: user, backendRoles: [], host: nil, evaluatedName: user)) }
        for host in Set(mappings.flatMap(\.hosts).compactMap { representative($0.value) }).sorted() {
            add(DiffSubject(user: nil, backendRoles: [], host: host, evaluatedName: placeholder))
        }
        return subjects
    }

    /// One backend role per `backend_roles` entry of either side: the entry itself when it is a
    /// name, else its shortest name, plus, for a pattern, the shortest of its names that no other
    /// entry matches and the shortest that no exact entry names. (Mapped as `a*` on one side and as
    /// `a` and `ab` on the other, `ac` is decided differently while `a` and `ab` are not.) Bounded:
    /// names matched by two patterns and by no exact entry are represented only when one of these
    /// happens to be one.
    static func backendRoleNames(_ mappings: [RoleMapping]) -> [String] {
        let texts = Set(mappings.flatMap { $0.backendRoles + $0.andBackendRoles }.map(\.value))
        let patterns = texts.sorted().map(Pattern.init)
        let exact = patterns.filter(\.isExact)
        var names = Set<String>()
        for text in Set(mappings.flatMap(\.backendRoles).map(\.value)).sorted() {
            if let name = representative(text) { names.insert(name) }
            let pattern = Pattern(text)
            guard !pattern.isExact else { continue }
            for others in [patterns.filter { $0.source != text }, exact] {
                if case .names(let found) = NameSetComparison.compare([pattern], others).onlyFirst, let first = found.first { names.insert(first) }
            }
        }
        return names.sorted()
    }

    /// The names (of `--user`) that are no internal user and that no mapping's `users` entry
    /// matches on either side: such a subject holds no role on either side, so it is always
    /// equivalent — most likely a typo.
    public static func unknownUsers(_ names: [String], in configs: [SecurityConfig]) -> [String] {
        let patterns = configs.flatMap(\.roleMappings.values).flatMap(\.users).map { Pattern($0.value) }
        return names.filter { name in
            !configs.contains { $0.internalUsers[name] != nil } && !patterns.contains { $0.matches(name) }
        }
    }

    /// The pattern itself when it is a plain name, else its shortest matching name (nil: none).
    static func representative(_ text: String) -> String? {
        let pattern = Pattern(text)
        switch pattern.form {
        case .nothing: return nil
        case .exact(let name): return name
        default:
            let comparison = NameSetComparison.compare([pattern], [])
            if case .names(let names) = comparison.onlyFirst { return names.first }
            return nil
        }
    }
}
