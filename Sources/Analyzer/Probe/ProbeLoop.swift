import Foundation
import PermissionCatalog

/// Why a probe could not run: the admin side of the cluster refused a setup step (exit 3).
public struct ProbeSetupError: Error, Sendable {
    /// Which step: `create user`, `create role`, `map role`, `update role`.
    public let step: String
    public let status: Int
    /// The cluster's answer (the Security REST API's message; no secret is in it: the request
    /// body with the password is never part of this).
    public let body: String
}

/// A probe that stopped (an error, or cancellation on SIGINT/SIGTERM) and whose cleanup the
/// cluster refused in part: what is left behind must be removed by hand. When cleanup succeeds the
/// original error is thrown as is.
public struct ProbeCleanupFailure: Error, Sendable {
    public let cause: any Error
    /// The DELETE requests that failed, with the cluster's answer.
    public let problems: [String]
}

/// The probe loop over a ``Cluster`` (issue 11): a scratch user, role and mapping made through the
/// Security REST API, the role pre-seeded with the planner's prediction, the requests replayed as
/// the scratch user and the role grown by what the cluster says, then leave-one-out on the
/// evaluator, compression into built-in groups that grant nothing extra, and cleanup — also when
/// the loop fails or is cancelled.
public struct ProbeLoop: Sendable {
    public struct Options: Sendable {
        public var roleName = "probed_role"
        /// Applied to every request that carries no `# index-scope:` tag.
        public var indexScope: [String] = []
        /// Send requests that change data (the dry run is always allowed).
        public var allowWrites = false
        public var maxRounds = 8
        public var settings = NodeSettings()
        /// Indices, aliases and data streams, for the evaluator's re-checks; nil = names are indices.
        public var metadata: ClusterMetadata?

        public init() {}
    }

    /// The Security REST API as a super admin or REST admin.
    let admin: any Cluster
    /// The channel requests go through as the scratch user (basic auth is added here).
    let user: any Cluster
    let catalog: Catalog
    let options: Options
    let planner: RequestPlanner
    let checker: ProbeGrantChecker

    public init(admin: any Cluster, user: any Cluster, catalog: Catalog, options: Options = Options()) {
        self.admin = admin
        self.user = user
        self.catalog = catalog
        self.options = options
        planner = RequestPlanner(catalog: catalog)
        checker = ProbeGrantChecker(catalog: catalog, settings: options.settings, metadata: options.metadata)
    }

    var profile: TargetProfile { catalog.profile }

    /// A console request with its plan and tags.
    struct Item {
        let request: ConsoleRequest
        let plan: RequestPlan
        let expectDeny: Bool
        let scope: [String]
        var needs: [ProbeGrantNeed] = []
        var status: ProbeStatus?
    }

    /// What was created on the cluster, removed again at the end.
    struct Scratch: Sendable {
        let user: String
        let role: String
        let password: String
        var created: [String] = []

        var authorization: HTTPHeader {
            HTTPHeader("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        }
    }

    // MARK: running

    /// - Parameters:
    ///   - identity: the scratch user to create; a channel that authenticates on its own (an HTTP
    ///     client configured with the scratch user) is opened with it first. Default: a new random one.
    public func run(_ requests: [ConsoleRequest], identity: ScratchIdentity = ScratchIdentity(),
                    progress: (@Sendable (ProbeProgress) -> Void)? = nil) async throws -> ProbeResult {
        var items = requests.map(item)
        var scratch = Scratch(user: identity.user, role: identity.role, password: identity.password)
        var counts = (replays: 0, sent: 0)
        do {
            try await setUp(&scratch, grants: ProbeGrants(items.flatMap(\.needs)))
            try await grow(&items, scratch: scratch, counts: &counts, progress: progress)
        } catch {
            throw await abandon(scratch, error)
        }
        let allNeeds = items.filter { !$0.expectDeny }.flatMap(\.needs)
        let (minimal, dropped) = checker.minimize(ProbeGrants(allNeeds), needs: allNeeds, name: options.roleName)
        let role = compress(minimal)
        do {
            try await checkMustDeny(&items, role: role, scratch: scratch, counts: &counts)
        } catch {
            throw await abandon(scratch, error)
        }
        let problems = await cleanUp(scratch)
        let results = items.map { item in
            let kept = item.needs.filter { need in minimal.covers(need) }.map { need in
                guard need.evidence == .predicted else { return need }
                let missing = checker.missingWithout(need, from: minimal, name: options.roleName)
                return missing.isEmpty ? need : ProbeGrantNeed(action: need.action, level: need.level, patterns: need.patterns, checked: need.checked,
                                                               evidence: .leaveOneOut(missing: missing))
            }
            return ProbeRequestResult(request: item.request, expectDeny: item.expectDeny, status: item.status ?? .roundLimit,
                                      needed: item.expectDeny ? [] : kept.map(\.reported))
        }
        let converged = results.allSatisfy { result in
            switch result.status {
            case .passed, .deniedAsExpected: true
            default: false
            }
        }
        return ProbeResult(roleName: options.roleName, role: role, converged: converged, replays: counts.replays, requestsSent: counts.sent,
                           requests: results, target: profile, droppedByLeaveOneOut: dropped, cleanupProblems: problems)
    }

    /// Removes the scratch entries after `error`; the error to throw.
    func abandon(_ scratch: Scratch, _ error: any Error) async -> any Error {
        let problems = await cleanUp(scratch)
        return problems.isEmpty ? error : ProbeCleanupFailure(cause: error, problems: problems)
    }

    /// Plan, tags, and the planner's prediction as the first needs.
    func item(_ request: ConsoleRequest) -> Item {
        let plan = planner.plan(request)
        let tags = ProbeTags(request.comments)
        let scope = tags.indexScope.isEmpty ? options.indexScope : tags.indexScope
        var item = Item(request: request, plan: plan, expectDeny: tags.expectDeny, scope: scope)
        for requirement in plan.requirements where predictedAlways(requirement) && [.cluster, .index].contains(requirement.level) {
            let need = ProbeGrantNeed(action: requirement.action, level: requirement.level,
                                      patterns: requirement.level == .index ? patterns(requirement.indices, scope: scope) : [],
                                      checked: requirement.indices, evidence: .predicted)
            if !item.needs.contains(where: need.grants) { item.needs.append(need) }
        }
        return item
    }

    /// Unconditional requirements, and conditional ones whose condition holds whatever the request
    /// does (the restore write check under its default setting), as the simulated cluster applies them.
    func predictedAlways(_ requirement: Requirement) -> Bool {
        guard let condition = requirement.conditional else { return true }
        if condition.contains("check_snapshot_restore_write_privileges") { return options.settings.checkSnapshotRestoreWritePrivileges }
        return condition.hasPrefix("always")
    }

    func patterns(_ indices: [String], scope: [String]) -> [String] {
        if !scope.isEmpty { return scope }
        return indices.isEmpty ? ["*"] : indices
    }

    /// Rounds: install the role, replay what is not settled, learn from the answers.
    func grow(_ items: inout [Item], scratch: Scratch, counts: inout (replays: Int, sent: Int),
              progress: (@Sendable (ProbeProgress) -> Void)?) async throws {
        var installed = ProbeGrants(items.filter { !$0.expectDeny }.flatMap(\.needs))
        for round in 1...max(options.maxRounds, 1) {
            let pending = items.indices.filter { !items[$0].expectDeny && items[$0].status == nil }
            if pending.isEmpty { return }
            var sentThisRound = false
            for position in pending {
                try Task.checkCancellation()
                progress?(ProbeProgress(round: round, requestIndex: position, requestCount: items.count, request: items[position].request))
                guard let mode = mode(items[position]) else {
                    items[position].status = .needsAllowWrites
                    continue
                }
                let answer = try await send(items[position], mode: mode, scratch: scratch)
                counts.sent += 1
                sentThisRound = true
                learn(answer, into: &items[position], installed: installed)
            }
            if sentThisRound { counts.replays += 1 }
            let grown = ProbeGrants(items.filter { !$0.expectDeny }.flatMap(\.needs))
            if grown != installed {
                try await putRole(scratch.role, grants: grown, step: "update role")
                installed = grown
            }
        }
        for position in items.indices where !items[position].expectDeny && items[position].status == nil {
            items[position].status = .roundLimit
        }
    }

    enum Mode { case dryRun, real }

    /// The dry run where the request's first transport action decides (3.2+); a real request for
    /// reads, and for writes only with `allowWrites`; nil when the request may not be sent.
    func mode(_ item: Item) -> Mode? {
        if ReleaseBehaviour(profile: profile).hasPermissionCheck, dryRunSees(item) { return .dryRun }
        if isRead(item.request) || options.allowWrites { return .real }
        return nil
    }

    /// The dry run evaluates only the first transport action (§5): it sees everything when the plan
    /// has one check, and that check is not a multi-item, restore or auto-creating write.
    func dryRunSees(_ item: Item) -> Bool {
        guard let route = item.plan.route, case .other = RouteFamily(route.path) else { return false }
        if route.path.hasSuffix("/_restore") || route.actions.contains("indices:data/write/bulk[s]") { return false }
        let groups = Set(item.plan.requirements.filter { $0.conditional == nil && $0.level != .rest }.map(\.group))
        return groups.count == 1
    }

    static let readSuffixes = ["/_search", "/_msearch", "/_count", "/_mget", "/_search/template", "/_msearch/template", "/_field_caps",
                               "/_validate/query", "/_explain", "/_termvectors", "/_mtermvectors", "/_search/scroll", "/_render/template",
                               "/_search_shards", "/_rank_eval"]

    /// GET and HEAD, and the POST forms of searches and other reads.
    func isRead(_ request: ConsoleRequest) -> Bool {
        if ["GET", "HEAD"].contains(request.method) { return true }
        guard request.method == "POST" else { return false }
        return ProbeLoop.readSuffixes.contains { request.path.hasSuffix($0) } || request.path.contains("/_explain/")
    }

    func send(_ item: Item, mode: Mode, scratch: Scratch) async throws -> ProbeAnswer {
        let console = item.request
        var query = console.query.sorted { $0.key < $1.key }.map { percentEncoded($0.key) + ($0.value.isEmpty ? "" : "=" + percentEncoded($0.value)) }
        if mode == .dryRun { query.append("perform_permission_check=true") }
        var headers = [scratch.authorization]
        let body = Array((console.rawBody ?? "").utf8)
        if !body.isEmpty {
            headers.append(HTTPHeader("Content-Type", ConsoleParser.isNDJSON(console.path) ? "application/x-ndjson" : "application/json"))
        }
        let request = ClusterRequest(method: console.method, path: console.path, query: query.isEmpty ? nil : query.joined(separator: "&"),
                                     headers: headers, body: body)
        let response = try await user.send(request)
        let answer = ProbeDenialParser.parse(response, request: console)
        if case .unauthenticated(let status) = answer {
            throw ProbeSetupError(step: "authenticate as the scratch user", status: status, body: String(decoding: response.body, as: UTF8.self))
        }
        return answer
    }

    private func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    // MARK: learning

    /// Settles the item or adds what the denial says is missing. Before 2.19 a denial lists every
    /// required index action of the failing check, granted or not (semantics §5), so each listed
    /// action is re-checked against the installed role with the evaluator and only the missing
    /// ones are added; a denial that adds nothing is reported as is and the request is not retried.
    func learn(_ answer: ProbeAnswer, into item: inout Item, installed: ProbeGrants) {
        switch answer {
        case .authorized(let status):
            item.status = .passed(status)
        case .special(let kind, let reason):
            item.status = .special(kind, reason: reason)
        case .unparseable(let status, let body):
            item.status = .unparseable(status: status, body: body)
        case .unauthenticated(let status):
            item.status = .unparseable(status: status, body: "Unauthorized")
        case .denied(let missing, _, let reason):
            let role = installed.role(named: options.roleName, description: "")
            let (evaluator, subject) = checker.prepared(role)
            var added = false
            for entry in missing {
                let need = need(for: entry, in: item, evidence: .denial(reason))
                if need.level == .tenant || need.level == .rest { continue }
                if item.needs.contains(where: need.grants) || checker.allows(evaluator, subject, need) { continue }
                item.needs.append(need)
                added = true
            }
            if !added { item.status = .unparseable(status: 403, body: reason) }
        }
    }

    /// The level the target checks the action at, and the indices: the item's own index, else the
    /// planner's indices for that action, else the request's first index-level indices.
    func need(for missing: MissingAction, in item: Item, evidence: ProbeNeed.Evidence) -> ProbeGrantNeed {
        let action = missing.action
        let level: Requirement.Level = switch profile.check(of: action).level {
        case .cluster: .cluster
        case .index: .index
        case .tenant: .tenant
        }
        guard level == .index else { return ProbeGrantNeed(action: action, level: level, patterns: [], checked: [], evidence: evidence) }
        let requirements = item.plan.requirements
        // Auto-create and dynamic mapping happen on the write targets (security-layer-responses.md
        // "_bulk"): the indices of the shard-level write, not every index the request names.
        let writeTargets = ["indices:admin/create", "indices:admin/mapping/put"].contains(action)
            ? requirements.first { $0.action == "indices:data/write/bulk[s]" }?.indices : nil
        let checked: [String] = missing.index.map { $0.split(separator: ",").map(String.init) }
            ?? writeTargets
            ?? requirements.first { $0.action == action && $0.level == .index && $0.conditional == nil }?.indices
            ?? requirements.first { $0.action == action && $0.level == .index }?.indices
            ?? requirements.first { $0.level == .index }?.indices
            ?? []
        return ProbeGrantNeed(action: action, level: .index, patterns: patterns(checked, scope: item.scope), checked: checked, evidence: evidence)
    }

    // MARK: the result

    /// Built-in action groups replace actions only where the group grants nothing beyond them.
    func compress(_ grants: ProbeGrants) -> Role {
        var requirements: [Requirement] = []
        for action in grants.cluster {
            requirements.append(Requirement(action: action, level: .cluster, indices: [], group: requirements.count, conditional: nil, note: nil))
        }
        let role = grants.role(named: options.roleName, description: "")
        for permission in role.indexPermissions {
            for action in permission.allowedActions {
                requirements.append(Requirement(action: action.value, level: .index, indices: permission.indexPatterns.map(\.value),
                                                group: requirements.count, conditional: nil, note: nil))
            }
        }
        let suggestion = RoleSuggestion(name: options.roleName, requirements: requirements, catalog: catalog, allowBroader: false)
        let location = SourceLocation(file: "<probed role \(options.roleName)>", line: 0)
        let compressed = suggestion.role
        return Role(name: options.roleName, location: location, description: "Least privilege proven by secperm probe",
                    clusterPermissions: compressed.clusterPermissions, indexPermissions: compressed.indexPermissions)
    }

    /// `# expect: deny` requests with the final role: sent when that is safe (dry run or a read),
    /// otherwise decided by the evaluator on the planner's checks.
    func checkMustDeny(_ items: inout [Item], role: Role, scratch: Scratch, counts: inout (replays: Int, sent: Int)) async throws {
        let positions = items.indices.filter { items[$0].expectDeny }
        guard !positions.isEmpty else { return }
        try await putRole(scratch.role, role: role, step: "install the final role")
        for position in positions {
            try Task.checkCancellation()
            let item = items[position]
            var allowed: Bool
            // Never a real write for a must-deny request: if the role allowed it, it would run.
            if let mode = mode(item), mode == .dryRun || isRead(item.request) {
                let answer = try await send(item, mode: mode, scratch: scratch)
                counts.sent += 1
                if case .authorized = answer { allowed = true } else { allowed = false }
            } else {
                allowed = checker.allows(role, item.needs)
            }
            items[position].status = allowed ? .mustDenyViolated : .deniedAsExpected
        }
    }

    static func randomToken(_ length: Int, alphabet: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = Array(alphabet)
        return String((0..<length).map { _ in characters[Int.random(in: 0..<characters.count, using: &generator)] })
    }

    /// 32 random characters with every character class password policies ask for; never printed.
    static func newScratchPassword() -> String {
        randomToken(28, alphabet: "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
            + randomToken(1, alphabet: "ABCDEFGHJKLMNPQRSTUVWXYZ") + randomToken(1, alphabet: "abcdefghijkmnopqrstuvwxyz")
            + randomToken(1, alphabet: "23456789") + randomToken(1, alphabet: "-_.!")
    }
}

extension ProbeGrants {
    /// The grants include this need's (action, pattern) pairs.
    func covers(_ need: ProbeGrantNeed) -> Bool {
        switch need.level {
        case .cluster: cluster.contains(need.action)
        case .index: (need.patterns.isEmpty ? ["*"] : need.patterns).allSatisfy { pattern in
            index.contains { $0.pattern == pattern && $0.actions.contains(need.action) }
        }
        case .tenant, .rest: false
        }
    }
}

/// The scratch user and role a probe creates and removes: random names (`secperm-probe-<8 hex>`,
/// `secperm_probe_<8 hex>`) and a random 32-character password that is never printed or logged.
public struct ScratchIdentity: Sendable, CustomStringConvertible {
    public let user: String
    public let role: String
    /// Only for the channel that authenticates as the scratch user.
    public let password: String

    public init() {
        let suffix = ProbeLoop.randomToken(8, alphabet: "0123456789abcdef")
        user = "secperm-probe-\(suffix)"
        role = "secperm_probe_\(suffix)"
        password = ProbeLoop.newScratchPassword()
    }

    /// The names only: the password never goes into a description.
    public var description: String { "scratch user \(user), role \(role)" }
}

/// The comment tags of a request: `# expect: deny`, `# index-scope: logs-*` (several patterns
/// separated by commas or given on several lines).
struct ProbeTags {
    var expectDeny = false
    var indexScope: [String] = []

    init(_ comments: [String]) {
        for comment in comments {
            let parts = comment.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            switch parts[0].lowercased() {
            case "expect": if parts[1].lowercased() == "deny" { expectDeny = true }
            case "index-scope": indexScope += parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            default: break
            }
        }
    }
}
