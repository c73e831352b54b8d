/// What `secperm diff` found: per subject, whether the target configuration (DST) grants exactly
/// what the source (SRC) does, with a concrete request for every difference.
public struct DiffResult: Sendable {
    public enum Verdict: String, Sendable, Codable, Comparable {
        /// Every decision is the same on both sides (proved over all index names).
        case equivalent
        /// DST allows a subset of what SRC allows.
        case narrower
        /// DST allows a superset of what SRC allows.
        case broader
        /// Each side allows something the other does not.
        case incomparable
        /// Some comparison could not be decided exactly (an untranslatable regex, a size bound, a
        /// difference no single-index request can show); never reported as equivalent.
        case undecided

        private var order: Int {
            switch self {
            case .equivalent: 0
            case .narrower: 1
            case .broader: 2
            case .undecided: 3
            case .incomparable: 4
            }
        }

        public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.order < rhs.order }

        /// The verdict of two findings together.
        public func combined(with other: Verdict) -> Verdict {
            if self == other || other == .equivalent { return self }
            if self == .equivalent { return other }
            if self == .incomparable || other == .incomparable { return .incomparable }
            if (self == .narrower && other == .broader) || (self == .broader && other == .narrower) { return .incomparable }
            return .undecided
        }
    }

    /// One request decided differently, as `secperm check` decides it on each side.
    public struct Witness: Sendable {
        public let action: String
        /// The index of the request; nil for a cluster action.
        public let index: String?
        public let source: Side
        public let target: Side
        public var verdict: Verdict { DiffResult.verdict(source: source.outcome, target: target.outcome) }

        /// How one side decides the request, with what an explained decision says of why (a diff
        /// shows why each side decides as it does, not how to change it: no fix plan, no 403 text).
        /// A report holds many witnesses: this keeps of each decision only what they are shown with.
        public struct Side: Sendable {
            public let outcome: Decision.Outcome
            /// The roles the subject holds there.
            public let roles: [String]
            public let missingPrivileges: [String]
            /// The first grant chain behind an allow.
            public let grant: Grant?
            public let notes: [DecisionNote]

            /// `decision` explained; `roles`: the names of its held roles (`decision.roles`),
            /// passed in so that every witness of a subject shares one list.
            init(_ decision: Decision, roles: [String]) {
                outcome = decision.outcome
                self.roles = roles
                missingPrivileges = decision.missingPrivileges
                grant = decision.grants.first
                notes = decision.decisionNotes
            }
        }
    }

    /// A comparison that could not be decided exactly.
    public struct Undecided: Sendable, Hashable {
        public enum Reason: Sendable, Hashable {
            /// A pattern outside the translated regex subset, or a bound reached (the detail says which).
            case comparison(String)
            /// The grant sets differ only on names no single-index request can name.
            case unnameable
            /// The grant sets differ, but no candidate name gave different decisions.
            case unconfirmed
            /// The two sides check the action differently (cluster vs index level, DNFOF list, …).
            case actionCheckedDifferently
        }

        public let action: String
        public let reason: Reason
    }

    public struct SubjectDiff: Sendable {
        /// The internal user or mapped user name; nil for a subject that stands for a backend-role
        /// combination or a host.
        public let user: String?
        public let backendRoles: [String]
        public let host: String?
        /// The name the subject is evaluated under (equal to `user` when there is one).
        public let evaluatedName: String
        public let verdict: Verdict
        /// Requests decided differently, in the order actions are compared: per differing action
        /// the first found each way (DST allows less, more), the second way only until the
        /// subject's verdict is settled unless `ConfigDiff.perActionVerdicts` is on.
        public let witnesses: [Witness]
        public let undecided: [Undecided]
        /// Actions decided differently for some index (or, for cluster actions, at all).
        public let differingActions: Int
        /// Every differing action with its verdict (both ways searched); empty unless
        /// `ConfigDiff.perActionVerdicts` is on.
        public let actionVerdicts: [String: Verdict]
    }

    /// A configuration entry (role, mapping, action group, internal user, tenant, setting, built-in
    /// group of the target) present on one side only, or changed.
    public struct Entry: Sendable, Hashable {
        public enum Kind: String, Sendable, Codable {
            case role, roleMapping = "rolesmapping", actionGroup = "actiongroup", internalUser = "internaluser", tenant
            case setting, staticActionGroup = "static_actiongroup", staticRole = "static_role"
        }

        public let kind: Kind
        public let name: String
        /// For changed entries: the fields that differ (`index_permissions`, `backend_roles`, `hash`, …).
        public let fields: [String]
        /// reserved/static/hidden on either side.
        public let builtIn: Bool
    }

    public struct Entries: Sendable {
        public var added: [Entry] = []
        public var removed: [Entry] = []
        public var changed: [Entry] = []
    }

    public let sourceTarget: String
    public let targetTarget: String
    public let verdict: Verdict
    /// Subjects whose verdict is not `equivalent`.
    public let subjects: [SubjectDiff]
    public let equivalentSubjects: Int
    /// Actions compared per subject.
    public let actionCount: Int
    public let entries: Entries
    /// Settings differences that change decisions for requests naming several indices at once
    /// (DNFOF), with the verdict they imply.
    public let settingsVerdict: Verdict
    /// Backend-role combinations that would have been compared beyond `DiffCombinations.limit`
    /// (the verdict is then at best undecided).
    public var combinationsNotCompared = 0

    /// How two outcomes of the same request compare: allow > empty (passes, contents hidden) >
    /// partial (DNFOF filtered) > deny.
    public static func verdict(source: Decision.Outcome, target: Decision.Outcome) -> Verdict {
        func rank(_ outcome: Decision.Outcome) -> Int {
            switch outcome {
            case .deny: 0
            case .partial: 1
            case .empty: 2
            case .allow: 3
            }
        }
        let from = rank(source), to = rank(target)
        if from == to { return .equivalent }
        return to < from ? .narrower : .broader
    }
}
