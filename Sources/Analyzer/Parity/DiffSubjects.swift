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
///   shortest matching name.
/// Combinations of backend roles beyond those the mappings name are not enumerated: a subject
/// holding two mapped backend roles holds the union of what each gives.
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
        for role in Set(mappings.flatMap(\.backendRoles).compactMap { representative($0.value) }).sorted() {
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
