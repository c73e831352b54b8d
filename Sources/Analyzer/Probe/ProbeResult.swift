import PermissionCatalog

/// One grant the probe found a request needs, with what proved it.
public struct ProbeNeed: Hashable, Sendable {
    public enum Evidence: Hashable, Sendable {
        /// The request planner predicted it (the role was pre-seeded with it and the request passed).
        case predicted
        /// A denial named it: the reason text, or the dry run's missing list.
        case denial(String)
        /// Pre-seeded and never denied: without it the evaluator denies the request's check with
        /// these missing privileges (the leave-one-out proof).
        case leaveOneOut(missing: [String])
    }

    public let action: String
    public let level: Requirement.Level
    /// Index patterns granted for it (empty for cluster actions).
    public let indices: [String]
    public let evidence: Evidence

    public init(action: String, level: Requirement.Level, indices: [String], evidence: Evidence) {
        self.action = action
        self.level = level
        self.indices = indices
        self.evidence = evidence
    }
}

/// How one request of the set ended.
public enum ProbeStatus: Hashable, Sendable {
    /// Passed authorization with the grown role (HTTP status of the last answer).
    case passed(Int)
    /// A `# expect: deny` request that stays denied with the final role.
    case deniedAsExpected
    /// A `# expect: deny` request the final role allows.
    case mustDenyViolated
    /// A denial that names no grantable permission (security/system/protected index, restore,
    /// REST API gate): explained, never guessed.
    case special(ProbeAnswer.SpecialDenial, reason: String)
    /// A denial the parser could not read, or one that named only what the role already grants:
    /// reported with the raw body, and the request was not retried.
    case unparseable(status: Int, body: String)
    /// Changes data and needs `--allow-writes` to be sent (dry run unavailable or blind here).
    case needsAllowWrites
    /// Still denied when the round limit was reached.
    case roundLimit
}

/// One request of the set and what the probe learned from it.
public struct ProbeRequestResult: Sendable {
    public let request: ConsoleRequest
    public let expectDeny: Bool
    public let status: ProbeStatus
    /// What this request needs in the final role.
    public let needed: [ProbeNeed]
}

/// The outcome of a probe: the minimal role and the evidence.
public struct ProbeResult: Sendable {
    public let roleName: String
    public let role: Role
    /// Every request passed (or stayed denied as tagged) and no must-deny request was allowed.
    public let converged: Bool
    /// Rounds in which requests were replayed as the scratch user.
    public let replays: Int
    /// Requests sent as the scratch user, dry runs included (setup and cleanup as admin not counted).
    public let requestsSent: Int
    public let requests: [ProbeRequestResult]
    public let target: TargetProfile
    /// Grants dropped by the leave-one-out check (needed by no request), for the record.
    public let droppedByLeaveOneOut: [String]
    /// Cleanup requests the cluster refused (nothing is left behind when empty).
    public let cleanupProblems: [String]

    public var mustDenyViolations: [ProbeRequestResult] { requests.filter { $0.status == .mustDenyViolated } }
}

/// Progress of a running probe, for a terminal.
public struct ProbeProgress: Sendable {
    public let round: Int
    public let requestIndex: Int
    public let requestCount: Int
    public let request: ConsoleRequest
}
