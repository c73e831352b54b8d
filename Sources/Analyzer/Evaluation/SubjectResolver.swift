/// Builds the ``Subject`` the plugin would see: an internal user as stored, JWT/OIDC claims run
/// through the authentication domain of config.yml, then what the caller adds or replaces.
public struct SubjectRequest: Sendable {
    public var user: String?
    public var backendRoles: [String] = []
    /// Replace the internal user's backend roles instead of adding to them.
    public var replaceBackendRoles = false
    /// `key=value`; keys without `attr.` mean `attr.internal.<key>`.
    public var attributes: [String: String] = [:]
    public var roles: [String] = []
    public var host: String?
    /// The Dashboards tenant the request names (the `securitytenant` header).
    public var requestedTenant: String?
    public var claims: ConfigValue?
    /// Where the claims were read from, so that claims the domain would reject are reported there.
    public var claimsFile: String?

    public init(user: String? = nil) {
        self.user = user
    }
}

public struct ResolvedSubject: Sendable {
    public let subject: Subject
    /// What resolving the subject found worth saying, as values.
    public let subjectNotes: [SubjectNote]
    /// ``subjectNotes`` worded (DecisionSentences).
    public var notes: [String] { subjectNotes.map(DecisionSentences.subjectNote) }
    /// False for a disabled internal user: authentication fails before any authorization.
    public let canAuthenticate: Bool
}

public enum SubjectResolver {
    public static func resolve(_ request: SubjectRequest, config: SecurityConfig) throws(InputError) -> ResolvedSubject {
        var notes: [SubjectNote] = []
        var subject: Subject
        var canAuthenticate = true
        if let claims = request.claims {
            subject = try ClaimsMapper.subject(from: claims, config: config, notes: &notes,
                                               location: request.claimsFile.map { SourceLocation(file: $0, line: 1) })
            if let user = request.user { subject.name = user }
        } else {
            guard let name = request.user, !name.isEmpty else {
                throw InputError(.error("no user given", hint: "pass --user NAME (an internal user, or any name with --backend-role/--attribute), or --claims FILE"))
            }
            if let stored = config.internalUsers[name] {
                subject = Subject(internalUser: stored)
                notes.append(.internalUser(name: name, location: stored.location))
                if !stored.enabled {
                    canAuthenticate = false
                    notes.append(.disabledUser(name: name))
                }
            } else {
                subject = Subject(name: name)
            }
        }
        if request.replaceBackendRoles { subject.backendRoles = [] }
        for role in request.backendRoles where !subject.backendRoles.contains(role) { subject.backendRoles.append(role) }
        for (key, value) in request.attributes { subject.attributes[Subject.attributeKey(key)] = value }
        for role in request.roles where !subject.securityRoles.contains(role) { subject.securityRoles.append(role) }
        if let host = request.host { subject.host = host }
        if let tenant = request.requestedTenant { subject.requestedTenant = tenant }
        if subject.attributes["attr.internal.service"] == "true" { subject.isServiceAccount = true }
        return ResolvedSubject(subject: subject, subjectNotes: notes, canAuthenticate: canAuthenticate)
    }
}

/// JWT / OpenID Connect claims → user name, backend roles and `attr.jwt.*` attributes, using the
/// first jwt/openid domain of config.yml (seeds/002: `subject_key`, `roles_key` incl. nested paths,
/// comma-separated strings).
public enum ClaimsMapper {
    /// `location` is the claims file, named in the errors when the claims cannot make a user.
    public static func subject(from claims: ConfigValue, config: SecurityConfig, notes: inout [SubjectNote],
                               location: SourceLocation? = nil) throws(InputError) -> Subject {
        guard let map = claims.map else {
            throw InputError(.error("the claims must be a JSON object", at: location, hint: "e.g. {\"sub\": \"alice\", \"roles\": [\"analyst\"]}"))
        }
        let domain = config.dynamic.authc.first { ["jwt", "openid"].contains($0.authenticatorType ?? "") }
        let settings = domain?.authenticatorConfig
        if let domain {
            notes.append(.claimsDomain(name: domain.name, type: domain.authenticatorType ?? "", location: domain.location))
        } else {
            notes.append(.claimsWithoutDomain)
        }
        let subjectKey = settings?[path: "subject_key"]?.string ?? "sub"
        guard let name = map[subjectKey]?.string, !name.isEmpty else {
            throw InputError(.error("the claims have no '\(subjectKey)' claim for the user name", at: location,
                                    hint: "the domain's subject_key is '\(subjectKey)'; the token would be rejected"))
        }
        var roles: [String] = []
        if let rolesKey = settings?[path: "roles_key"] {
            let path = rolesKey.list?.compactMap(\.string) ?? rolesKey.string.map { [$0] } ?? []
            var value: ConfigValue? = claims
            for key in path { value = value?.map?[key] }
            switch value {
            case .string(let text)?: roles = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            case .list(let items)?: roles = items.compactMap(\.string)
            case nil: notes.append(.noRolesClaim(path: path))
            default: notes.append(.rolesClaimNotStringOrList(path: path))
            }
        }
        var attributes: [String: String] = [:]
        for (key, value) in map {
            if let text = value.string { attributes["attr.jwt.\(key)"] = text }
        }
        return Subject(name: name, backendRoles: roles, attributes: attributes)
    }
}

/// Something found while resolving a subject, as a value; DecisionSentences words it.
public enum SubjectNote: Hashable, Sendable {
    /// The name is an internal user, stored at `location`; its backend roles, attributes and
    /// security roles apply.
    case internalUser(name: String, location: SourceLocation)
    /// `enabled: false`: authentication fails (401) before any permission is checked.
    case disabledUser(name: String)
    /// Claims mapped with this jwt/openid authentication domain of config.yml.
    case claimsDomain(name: String, type: String, location: SourceLocation)
    /// No jwt/openid domain: claims mapped with the defaults.
    case claimsWithoutDomain
    /// No value at the domain's roles_key path: no backend roles.
    case noRolesClaim(path: [String])
    /// The roles claim is neither a string nor a list: ignored.
    case rolesClaimNotStringOrList(path: [String])
}
