import PermissionCatalog

/// What the one-403-at-a-time loop took for a request set.
public struct ProbeBaselineResult: Sendable {
    /// Requests sent as the scratch user (every one a real request, a round trip).
    public let requestsSent: Int
    /// The most sends one request needed.
    public let maxAttempts: Int
    /// Every request ended authorized.
    public let converged: Bool
    /// The role the loop ended with (as the 403s named it, no leave-one-out).
    public let role: Role
    public let target: TargetProfile
    public let cleanupProblems: [String]
}

extension ProbeLoop {
    /// Sends per request before the baseline gives up on it.
    static let baselineAttempts = 12

    /// The loop people run by hand (seed 004, "Test permissions"), for comparison with ``run(_:identity:progress:)``:
    /// a scratch role that starts empty, every request sent for real one after the other, each 403's
    /// named actions added (on the item's index, else the indices the target checks them on) and
    /// the request resent, until it passes or a denial adds nothing. No prediction, no dry run, no
    /// leave-one-out. Writes are sent only with `allowWrites`. The scratch entries are removed at
    /// the end, also on error and cancellation.
    public func runOneAtATime(_ requests: [ConsoleRequest], identity: ScratchIdentity = ScratchIdentity()) async throws -> ProbeBaselineResult {
        var scratch = Scratch(user: identity.user, role: identity.role, password: identity.password)
        var grants = ProbeGrants()
        var sent = 0, maxAttempts = 0
        var converged = true
        do {
            try await setUp(&scratch, grants: grants)
            for request in requests where !ProbeTags(request.comments).expectDeny {
                let item = item(request)
                guard isRead(request) || options.allowWrites else {
                    converged = false
                    continue
                }
                var attempts = 0
                var passed = false
                while attempts < Self.baselineAttempts {
                    try Task.checkCancellation()
                    let answer = try await send(item, mode: .real, scratch: scratch)
                    attempts += 1
                    guard case .denied(let missing, _, let reason) = answer else {
                        if case .authorized = answer { passed = true }
                        break
                    }
                    let before = grants
                    for entry in missing {
                        let need = need(for: entry, in: item, evidence: .denial(reason))
                        if need.level == .cluster || need.level == .index { grants.add(need) }
                    }
                    if grants == before { break }
                    try await putRole(scratch.role, grants: grants, step: "update role")
                }
                sent += attempts
                maxAttempts = max(maxAttempts, attempts)
                if !passed { converged = false }
            }
        } catch {
            throw await abandon(scratch, error)
        }
        let problems = await cleanUp(scratch)
        return ProbeBaselineResult(requestsSent: sent, maxAttempts: maxAttempts, converged: converged,
                                   role: grants.role(named: options.roleName, description: "grown one 403 at a time"),
                                   target: profile, cleanupProblems: problems)
    }
}
