/// The outcome of an authorization check, with everything that explains it.
public struct Decision: Hashable, Sendable {
    public enum Outcome: String, Sendable, Codable {
        /// The request passes authorization.
        case allow
        /// 403.
        case deny
        /// `do_not_fail_on_forbidden`: the request runs on the allowed indices only.
        case partial
        /// Passes authorization, but the indices are system, security or protected indices whose
        /// contents are served empty to this user.
        case empty
    }

    public internal(set) var outcome: Outcome
    public let subject: Subject
    /// Roles the subject holds (existing ones), with why.
    public let roles: [MappedRole]
    /// Mapped role names that do not exist (the plugin ignores them).
    public let missingRoles: [String]
    /// The action as asked, and as the plugin checks it (after renames such as auto_create → create).
    public let action: String
    public let checkedAction: String
    public let requestedIndices: [String]
    /// The concrete names the request resolved to.
    public let resolvedIndices: [String]
    public let allowedIndices: [String]
    /// The actions the 403 lists (the release decides whether all required or only the missing ones).
    public let missingPrivileges: [String]
    /// Why it was refused; nil unless denied. Filled in whether or not an explanation was asked for.
    public internal(set) var denial: DenialReason?
    /// The `reason` of the 403 the cluster would send, character for character; nil unless denied
    /// and explained.
    public internal(set) var forbiddenMessage: String?
    /// Grant chains (explanations only).
    public let grants: [Grant]
    public internal(set) var fix: [FixStep]
    /// Further explanation as values (explanations only).
    public internal(set) var decisionNotes: [DecisionNote]

    /// ``decisionNotes`` worded, one sentence each.
    public var notes: [String] { decisionNotes.map(DecisionSentences.note) }

    public var isAllowed: Bool { outcome != .deny }
}

/// One link of an allow: which role gives which action on which indices, and through what.
public struct Grant: Hashable, Sendable {
    public enum Level: String, Sendable, Codable { case cluster, index }

    public let role: String
    public let level: Level
    public let action: String
    /// The `allowed_actions` / `cluster_permissions` entry as written.
    public let permission: String
    /// Groups passed through, ending with the pattern that matched the action.
    public let via: [String]
    /// The index pattern as written (index level only).
    public let indexPattern: String?
    public let indices: [String]
    public let location: SourceLocation?
}

/// The smallest change that would allow a denied request.
public struct FixStep: Hashable, Sendable {
    public enum Section: String, Sendable, Codable {
        case clusterPermissions = "cluster_permissions"
        case indexPermissions = "index_permissions"
        case tenantPermissions = "tenant_permissions"
        case setting
        case none
    }

    /// Role to change; `isNewRole` when no suitable role is mapped.
    public let role: String?
    public let isNewRole: Bool
    public let section: Section
    public let indexPatterns: [String]
    public let allowedActions: [String]
    /// A static action group that would also do, when it adds nothing beyond what is needed, or
    /// else the smallest one that covers it (named as an alternative).
    public let alternative: String?
    public let advice: FixAdvice

    /// The step in one sentence.
    public var explanation: String { DecisionSentences.explanation(of: self) }

    init(role: String? = nil, isNewRole: Bool = false, section: Section, indexPatterns: [String] = [], allowedActions: [String] = [],
         alternative: String? = nil, advice: FixAdvice) {
        self.role = role
        self.isNewRole = isNewRole
        self.section = section
        self.indexPatterns = indexPatterns
        self.allowedActions = allowedActions
        self.alternative = alternative
        self.advice = advice
    }
}
