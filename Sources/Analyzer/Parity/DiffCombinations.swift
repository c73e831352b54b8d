/// Backend-role combinations `secperm diff` compares beyond one subject per mapped backend role,
/// `and_backend_roles` set and host (the "atoms" `DiffSubjects` lists).
///
/// Followed (opensearch-project/security, main at bb55e64):
/// - `ConfigurableRoleMapper.map`: a user's roles are the union, over every mapping entry that
///   matches, of that entry's role (`users`, `backend_roles` any, `and_backend_roles` all, `hosts`),
///   plus its own security roles. A subject holding the backend roles of two atoms holds the union
///   of their roles, and with exact mapping names every mapping that matches a combination matches
///   one atom inside it.
/// - Privileges combine per index and action across roles, so for every rule that only asks
///   "does some held role grant this", agreeing atoms mean agreeing combinations. Three rules ask
///   something else, and there a combination can differ while every atom agrees:
///   1. `ProtectedIndexAccessEvaluator`: write-type actions on a protected index need a grant AND
///      a mapped role among `protected_indices.roles` — the two may come from different atoms.
///      Every pair (atom holding a protected role on either side, atom holding a role with index
///      permissions on either side) is compared. That is complete for this rule: a subject allowed
///      on one side has a granting atom and a protected atom inside it, their pair is allowed there,
///      and both conditions only grow with more roles.
///   2. `UserAttributes.replaceProperties`: `${user.roles}` / `${user_roles}` render the backend
///      roles, `${user.securityRoles}` / `${user_securityRoles}` the security roles, each quoted
///      and comma-joined (`"a","b"`). A subject with one role renders `"a"`; with two, `"a","b"`,
///      which no single index name can match (a request splits names at `,`), so adding a role
///      takes that grant away. Every pair (atom holding such a template role on either side, any
///      other atom) is compared, and each such atom together with one backend role no mapping
///      names (what any LDAP group would add). Bounded, not complete: three or more atoms are not
///      enumerated (they render a list with commas, as a pair already does).
/// - Combinations with a mapped user name are not enumerated (a subject has one name): such a
///   user's backend roles are those of the atoms.
enum DiffCombinations {
    /// At most this many combinations are compared; the rest are counted as not compared.
    static let limit = 2_000

    struct Outcome {
        var subjects: [DiffSubject] = []
        var omitted = 0
    }

    /// Variables that render role lists (dot and underscore spellings).
    static let roleListVariables = ["user.roles", "user_roles", "user.securityRoles", "user_securityRoles"]

    static func combinations(of atoms: [DiffSubject], evaluators: [Evaluator], placeholder: String, limit: Int = limit) -> Outcome {
        let candidates = atoms.filter { $0.user == nil }
        guard !candidates.isEmpty else { return Outcome() }
        var protected: [Int] = [], granting = Set<Int>(), templated: [Int] = []
        for (position, atom) in candidates.enumerated() {
            var holdsProtected = false, grants = false, usesTemplate = false
            for evaluator in evaluators {
                let subject = Subject(name: placeholder, backendRoles: atom.backendRoles, host: atom.host)
                let names = evaluator.mapper.map(subject).map(\.name)
                if evaluator.settings.protectedIndicesEnabled && evaluator.special.holdsProtectedRole(names) { holdsProtected = true }
                let roles = names.compactMap { evaluator.config.roles[$0] }
                if roles.contains(where: { !$0.indexPermissions.isEmpty }) { grants = true }
                if roles.contains(where: rendersRoleList) { usesTemplate = true }
            }
            if holdsProtected { protected.append(position) }
            if grants { granting.insert(position) }
            if usesTemplate { templated.append(position) }
        }
        var pairs: [(Int, Int)] = []
        for first in protected { for second in candidates.indices.sorted() where second != first && granting.contains(second) { pairs.append((first, second)) } }
        for first in templated { for second in candidates.indices where second != first { pairs.append((first, second)) } }
        var outcome = Outcome()
        var seen = Set(candidates.map(key))
        func add(_ subject: DiffSubject) {
            guard seen.insert(key(subject)).inserted else { return }
            if outcome.subjects.count < limit { outcome.subjects.append(subject) } else { outcome.omitted += 1 }
        }
        for (first, second) in pairs {
            let a = candidates[first], b = candidates[second]
            // A subject calls from one address.
            if let one = a.host, let other = b.host, one != other { continue }
            add(DiffSubject(user: nil, backendRoles: Array(Set(a.backendRoles + b.backendRoles)).sorted(), host: a.host ?? b.host,
                            evaluatedName: placeholder))
        }
        if !templated.isEmpty {
            let unnamed = unmappedRole(evaluators.map(\.config))
            for position in templated {
                let atom = candidates[position]
                add(DiffSubject(user: nil, backendRoles: Array(Set(atom.backendRoles + [unnamed])).sorted(), host: atom.host, evaluatedName: placeholder))
            }
        }
        return outcome
    }

    private static func key(_ subject: DiffSubject) -> String {
        (subject.backendRoles.sorted() + ["@" + (subject.host ?? "")]).joined(separator: "\u{0}")
    }

    /// Whether one of the role's index or tenant patterns renders a role list.
    static func rendersRoleList(_ role: Role) -> Bool {
        let patterns = role.indexPermissions.flatMap(\.indexPatterns) + role.tenantPermissions.flatMap(\.tenantPatterns)
        return patterns.contains { pattern in
            pattern.value.contains("${") && UserAttributes.references(in: pattern.value).contains { name in
                roleListVariables.contains { name == $0 || name.hasPrefix($0 + ":-") }
            }
        }
    }

    /// A backend-role name that no `backend_roles` or `and_backend_roles` entry of either side
    /// matches (the first of a few tried; a mapping of `*` matches every name, and then the first).
    static func unmappedRole(_ configs: [SecurityConfig]) -> String {
        let patterns = configs.flatMap(\.roleMappings.values).flatMap { $0.backendRoles + $0.andBackendRoles }.map { Pattern($0.value) }
        let names = ["other-backend-role"] + (2...9).map { "other-backend-role-\($0)" }
        return names.first { name in !patterns.contains { $0.matches(name) } } ?? names[0]
    }
}
