/// The state of one diff while it goes through the subjects: both sides, the shared pattern
/// texts, and the comparisons already made (many subjects share the same pair of grant sets).
struct DiffRun {
    let source: DiffSide
    let target: DiffSide
    let maxWitnesses: Int
    /// Each differing action's own verdict is wanted (`ConfigDiff.perActionVerdicts`).
    let perActionVerdicts: Bool
    private let texts: PatternTexts
    /// Which patterns include which: pair facts for the run, bit sets for the subject being compared.
    private var coverage: PatternCoverage
    /// Per (members set, others set): a number for the direction between them, for the subject
    /// being compared, and per number what `analyze` found (nil until it is needed).
    private var analyses: [UInt64: Int32] = [:]
    private var coveredOf: [Covered?] = []
    /// Outcomes of the requests a direction tries first (`decisionKey`), for the subject being compared.
    private var decided: [UInt64: Outcomes] = [:]
    /// The subject's grant sets per position until `coverage` is started on them (`startCoverage`):
    /// most subjects that differ are settled without it.
    private var pendingCoverageSets: (source: [Int32], target: [Int32])?
    /// Per grant set of the subject being compared: `leastOwnName`'s request (nil: none).
    private var leastOfSet: [Int32: [String]?] = [:]
    /// Names every side treats specially whatever the grants: tried when the sides check an action differently.
    private let specialNames: [String]

    /// Universe positions in the order witnesses are listed: the requests people make most first.
    private let order: [Int]
    /// Positions checked at cluster level on one side, at index level on the other.
    private let mixedRoutes: [Int]
    /// Positions checked at index level on both sides, in `order`.
    private let indexPositions: [Int]
    /// The other positions, in `order`, and per position whether it is decided by the evaluators
    /// even when the subject's cluster grants agree (routes differ, or a tenant action: granted by
    /// tenant_permissions, which the cluster bits leave out).
    private let clusterPositions: [Int]
    private let alwaysDecided: [Bool]
    /// Per position: both sides check a one-index request alike (`samePlan`), worked out once.
    private let samePlans: [Bool]
    /// Every action is checked the same way on both sides.
    private let plansAlike: Bool
    /// Per universe position checked at index level on both sides: a number shared by the
    /// positions whose plans have the same `Run.SingleIndexTraits` on each side (-1 elsewhere).
    /// Positions with the same number and the same pair of grant sets decide a one-index request
    /// alike, so it is decided once for all of them.
    private let traitPairs: [Int]

    /// Listed first when there are more witnesses than are shown.
    static let everyday = ["indices:data/read/search", "indices:data/read/get", "indices:data/write/index", "indices:data/write/bulk[s]",
                           "indices:data/write/delete", "indices:data/write/update", "indices:admin/create", "indices:admin/delete",
                           "cluster:monitor/health", "indices:data/write/bulk", "cluster:monitor/state", "indices:monitor/stats"]

    init(source: DiffSide, target: DiffSide, maxWitnesses: Int, perActionVerdicts: Bool) {
        self.source = source
        self.target = target
        self.maxWitnesses = maxWitnesses
        self.perActionVerdicts = perActionVerdicts
        let texts = PatternTexts()
        self.texts = texts
        coverage = PatternCoverage(texts: texts)
        let rank = Dictionary(Self.everyday.enumerated().map { ($0.element, $0.offset) }) { first, _ in first }
        order = source.universe.indices.sorted { (rank[source.universe[$0]] ?? Int.max, $0) < (rank[source.universe[$1]] ?? Int.max, $1) }
        mixedRoutes = order.filter { (source.plans[$0].route == .index) != (target.plans[$0].route == .index) }
        indexPositions = order.filter { source.plans[$0].route == .index && target.plans[$0].route == .index }
        clusterPositions = order.filter { source.plans[$0].route != .index || target.plans[$0].route != .index }
        alwaysDecided = source.universe.indices.map { position in
            let routes = (source.plans[position].route, target.plans[position].route)
            return routes.0 != routes.1 || routes.0 == .tenant
        }
        samePlans = source.universe.indices.map { position in Self.samePlan(source, target, position) }
        plansAlike = source.universe.indices.allSatisfy { position in
            let a = source.plans[position], b = target.plans[position]
            return a.route == b.route && a.name == b.name && a.isDnfof == b.isDnfof && a.isRead == b.isRead && a.isWriteType == b.isWriteType
                && a.isSystemIndexPermission == b.isSystemIndexPermission
        }
        var pairNumbers: [[Run.SingleIndexTraits]: Int] = [:]
        traitPairs = source.universe.indices.map { position in
            guard let a = Run.SingleIndexTraits(source.plans[position], profile: source.evaluator.profile),
                  let b = Run.SingleIndexTraits(target.plans[position], profile: target.evaluator.profile) else { return -1 }
            if let known = pairNumbers[[a, b]] { return known }
            pairNumbers[[a, b]] = pairNumbers.count
            return pairNumbers.count - 1
        }
        let settings = [source.evaluator.settings, target.evaluator.settings]
        let listed = settings.flatMap { [$0.securityIndexName] + $0.systemIndices + $0.protectedIndices }
        specialNames = Array(Set(listed.compactMap(DiffSubjects.representative))).sorted()
    }

    /// Which request a direction tries first, as the key of its outcomes in `decided`: the
    /// direction's number, the side of its members (0: SRC; the same pair of sets can meet in both
    /// directions), the stage (0: `leastOwnName`, 1: `Covered.first`; each names one request per
    /// direction) and the number in `traitPairs` (the same for every action of that number), so
    /// that a request is decided once per number, not once per action. (Trait numbers are below
    /// 2^12: six traits per side.)
    private static func decisionKey(direction: Int32, side: Int, stage: Int, traits: Int) -> UInt64 {
        UInt64(UInt32(bitPattern: direction)) << 32 | UInt64(side) << 31 | UInt64(stage) << 30 | UInt64(traits)
    }

    typealias Outcomes = (source: Decision.Outcome, target: Decision.Outcome)

    /// What the coverage analysis of one direction finds.
    private struct Covered {
        /// Some member is included by no single pattern of the other set.
        let differs: Bool
        /// The first name the witness search tries (the uncovered members' own names in `OwnNames`
        /// order, those a plain pattern of the other set matches skipped), found without listing
        /// every uncovered member: the least own name of an uncovered member, when the other set's
        /// plain patterns leave it out; else nil, and the search starts from the beginning.
        /// Held as the one-index request each action that tries it sends (made once, not per action).
        let first: [String]?
        /// Listed once the first name decided nothing: the uncovered members, their own shortest
        /// names (in no order, perhaps repeated: `OwnNames` yields them in order), and the
        /// comparison of those members with the other set.
        var uncovered: [Int32]?
        var own: [String] = []
        var comparison: NameSetComparison?
    }

    /// What one subject's comparison collects.
    private struct Findings {
        var witnesses: [DiffResult.Witness] = []
        var undecided: [DiffResult.Undecided] = []
        var verdict = DiffResult.Verdict.equivalent
        /// Per universe position: the verdict of its requests found differing, nil while none is.
        var actionVerdicts: [DiffResult.Verdict?]

        init(positions: Int) {
            actionVerdicts = [DiffResult.Verdict?](repeating: nil, count: positions)
        }

        func differs(_ position: Int) -> Bool { actionVerdicts[position] != nil }
    }

    mutating func compare(_ subject: DiffSubject) -> DiffResult.SubjectDiff {
        texts.startSubject()
        let sourceSubject = SideSubject(resolve(subject, source), side: source)
        let targetSubject = SideSubject(resolve(subject, target), side: target)
        var findings = Findings(positions: source.universe.count)
        let alike = sameSubjectContext(sourceSubject, targetSubject)
        compareClusterLevel(sourceSubject, targetSubject, alike: alike, &findings)
        let sourceRecords = source.records(sourceSubject, texts), targetRecords = target.records(targetSubject, texts)
        // The same grant records give the same pattern set for every index action.
        if !(alike && plansAlike && sourceRecords == targetRecords) {
            let sets = (source.indexGrantSets(sourceRecords, texts), target.indexGrantSets(targetRecords, texts))
            compareMixedRoutes(sourceSubject, targetSubject, sets, &findings)
            compareIndexLevel(sourceSubject, targetSubject, sets, alike: alike, &findings)
        }
        let verdict = findings.undecided.isEmpty ? findings.verdict : findings.verdict.combined(with: .undecided)
        let backendRoles = subject.user == nil ? subject.backendRoles
            : (source.evaluator.config.internalUsers[subject.evaluatedName] != nil ? sourceSubject : targetSubject).resolved.subject.backendRoles
        return DiffResult.SubjectDiff(user: subject.user, backendRoles: backendRoles, host: subject.host, evaluatedName: subject.evaluatedName,
                                      verdict: verdict, witnesses: findings.witnesses, undecided: findings.undecided,
                                      differingActions: findings.actionVerdicts.count { $0 != nil },
                                      actionVerdicts: !perActionVerdicts ? [:] : Dictionary(uniqueKeysWithValues: findings.actionVerdicts.enumerated().compactMap { position, verdict in
                                          verdict.map { (source.universe[position], $0) }
                                      }))
    }

    private func resolve(_ subject: DiffSubject, _ side: DiffSide) -> ResolvedSubject {
        // The request always names a user, the one input `resolve` rejects without.
        (try? SubjectResolver.resolve(subject.request, config: side.evaluator.config))
            ?? ResolvedSubject(subject: Subject(name: subject.evaluatedName, backendRoles: subject.backendRoles, host: subject.host),
                               subjectNotes: [], canAuthenticate: true)
    }

    // MARK: cluster level

    /// Cluster-level, tenant and always-allowed actions. With both sides alike (settings, login
    /// state, service account), a cluster action's outcome follows from whether a held role grants
    /// it (explicitly where needed), so only actions whose grant differs, or whose route differs,
    /// are decided by the evaluators, with every tenant action (granted by tenant_permissions);
    /// otherwise every such action is.
    private mutating func compareClusterLevel(_ sourceSubject: SideSubject, _ targetSubject: SideSubject, alike: Bool, _ findings: inout Findings) {
        let candidates: [Int]
        if alike {
            let a = source.clusterGrants(sourceSubject), b = target.clusterGrants(targetSubject)
            candidates = clusterPositions.filter { position in
                if alwaysDecided[position] { return true }
                let bit = UInt64(1) << UInt64(position % 64)
                return (a[position / 64] & bit) != (b[position / 64] & bit)
            }
        } else {
            candidates = clusterPositions
        }
        for position in candidates {
            let action = source.universe[position]
            // A tenant action is decided without preparing the subject (most subjects need nothing else).
            let from = source.evaluator.tenantOutcome(sourceSubject.tenantSubject, action: action)
                ?? source.evaluator.outcome(sourceSubject.prepared, action: action, indices: [])
            let to = target.evaluator.tenantOutcome(targetSubject.tenantSubject, action: action)
                ?? target.evaluator.outcome(targetSubject.prepared, action: action, indices: [])
            if from != to { record(position: position, index: nil, outcomes: (from, to), sourceSubject, targetSubject, &findings) }
        }
    }

    /// Checked at cluster level on one side and at index level on the other: alike for every
    /// request when the cluster side denies and the index side grants the action on no index (and
    /// DNFOF cannot turn a denial into an empty result there); else names inside and outside the
    /// index side's grant are tried.
    private mutating func compareMixedRoutes(_ sourceSubject: SideSubject, _ targetSubject: SideSubject,
                                             _ sets: (source: [Int32], target: [Int32]), _ findings: inout Findings) {
        for position in mixedRoutes where !findings.differs(position) {
            let sourceIsIndex = source.plans[position].route == .index
            let indexSet = texts.sets[Int(sourceIsIndex ? sets.source[position] : sets.target[position])]
            let (clusterSide, clusterSubject) = sourceIsIndex ? (target, targetSubject) : (source, sourceSubject)
            let indexSide = sourceIsIndex ? source : target
            let clusterDenies = clusterSide.evaluator.outcome(clusterSubject.prepared, action: source.universe[position], indices: []) == .deny
            if indexSet.isEmpty, clusterDenies, !Self.filtersSingleIndex(indexSide.evaluator) { continue }
            let patterns = texts.patterns(indexSet)
            var candidates = ["*"]
            for difference in [NameSetComparison.compare(patterns, []).onlyFirst, NameSetComparison.compare([Pattern("*")], patterns).onlyFirst] {
                if case .names(let names) = difference { candidates += names }
            }
            if confirm(position, candidates, sourceSubject, targetSubject, &findings) { continue }
            findings.undecided.append(DiffResult.Undecided(action: source.universe[position], reason: .actionCheckedDifferently))
        }
    }

    // MARK: index level

    private mutating func compareIndexLevel(_ sourceSubject: SideSubject, _ targetSubject: SideSubject,
                                            _ sets: (source: [Int32], target: [Int32]), alike sameContext: Bool, _ findings: inout Findings) {
        let (sourceSets, targetSets) = sets
        let everything = texts.id("*")
        pendingCoverageSets = sets
        analyses.removeAll(keepingCapacity: true)
        coveredOf.removeAll(keepingCapacity: true)
        decided.removeAll(keepingCapacity: true)
        leastOfSet.removeAll(keepingCapacity: true)
        for position in indexPositions {
            let first = sourceSets[position], second = targetSets[position]
            let alike = sameContext && samePlans[position]
            if first == second && alike { continue }
            let action = source.universe[position]
            var confirmed = false
            // A grant on `*` itself decides requests on all indices (the evaluator's shortcut).
            if texts.sets[Int(first)].contains(everything) != texts.sets[Int(second)].contains(everything) {
                confirmed = confirm(position, ["*"], sourceSubject, targetSubject, &findings) || confirmed
            }
            guard first != second else {
                confirmed = confirm(position, specialNames, sourceSubject, targetSubject, &findings) || confirmed
                if !confirmed { findings.undecided.append(DiffResult.Undecided(action: action, reason: .actionCheckedDifferently)) }
                continue
            }
            for side in 0..<2 {
                let (members, others) = side == 0 ? (first, second) : (second, first)
                // The other way adds nothing asked for once the action differs and the subject's
                // verdict is settled (differences both ways), unless each action's verdict is wanted.
                if side == 1, !perActionVerdicts, findings.verdict == .incomparable, findings.differs(position) { break }
                if let reason = direction(members, over: others, side: side, position, sourceSubject, targetSubject, alike: alike, &findings) {
                    findings.undecided.append(DiffResult.Undecided(action: action, reason: reason))
                }
            }
            if !alike, !findings.differs(position) {
                if !confirm(position, specialNames, sourceSubject, targetSubject, &findings) {
                    findings.undecided.append(DiffResult.Undecided(action: action, reason: .actionCheckedDifferently))
                }
            }
        }
    }

    /// Whether the two sides decide an index action alike for equal grant sets: same node settings,
    /// DNFOF, service-account and login state, and protected-role holding.
    private func sameSubjectContext(_ first: SideSubject, _ second: SideSubject) -> Bool {
        let a = source.evaluator, b = target.evaluator
        guard a.settings == b.settings, Self.filtersSingleIndex(a) == Self.filtersSingleIndex(b),
              first.resolved.canAuthenticate == second.resolved.canAuthenticate,
              first.resolved.subject.isServiceAccount == second.resolved.subject.isServiceAccount else { return false }
        guard a.settings.protectedIndicesEnabled else { return true }
        // Mapped role names, defined or not, as the evaluator's protected-index rule reads them.
        let holds = { (subject: SideSubject, evaluator: Evaluator) in
            evaluator.special.holdsProtectedRole(evaluator.mapper.map(subject.resolved.subject).map(\.name))
        }
        return holds(first, a) == holds(second, b)
    }

    /// DNFOF turns a denied single-index request into an empty filtered one only with
    /// `do_not_fail_on_forbidden_empty` (semantics §3: with no allowed index left, the request
    /// fails unless empty results are allowed); otherwise a single index is either granted or not.
    /// Requests naming several indices are covered by `SettingsComparison`.
    private static func filtersSingleIndex(_ evaluator: Evaluator) -> Bool {
        evaluator.config.dynamic.doNotFailOnForbidden && evaluator.config.dynamic.doNotFailOnForbiddenEmpty
    }

    private static func samePlan(_ source: DiffSide, _ target: DiffSide, _ position: Int) -> Bool {
        let a = source.plans[position], b = target.plans[position]
        return (a.isDnfof && filtersSingleIndex(source.evaluator)) == (b.isDnfof && filtersSingleIndex(target.evaluator)) && a.isRead == b.isRead && a.isWriteType == b.isWriteType
            && a.isSystemIndexPermission == b.isSystemIndexPermission && a.name == b.name
    }

    /// Whether the names the set `members` grants beyond the set `others` are decided differently:
    /// nil when that is settled (no such name, or a witness recorded), else why it is not.
    ///
    /// Where both sides check the action alike, the least own name of all members is tried
    /// first (`leastOwnName`).
    ///
    /// A member is covered when one pattern of the other side includes it (`PatternCoverage`); the
    /// uncovered ones are first tried on their own shortest names, confirmed by the evaluators, and
    /// only then compared with the other side's whole union. Everything but the evaluators'
    /// confirmation depends on the two sets alone, so it is worked out once per pair of sets.
    private mutating func direction(_ members: Int32, over others: Int32, side: Int, _ position: Int, _ sourceSubject: SideSubject,
                                    _ targetSubject: SideSubject, alike: Bool, _ findings: inout Findings) -> DiffResult.Undecided.Reason? {
        let key = UInt64(UInt32(bitPattern: members)) << 32 | UInt64(UInt32(bitPattern: others))
        let number: Int32
        if let known = analyses[key] {
            number = known
        } else {
            number = Int32(coveredOf.count)
            analyses[key] = number
            coveredOf.append(nil)
        }
        let subjects = (sourceSubject, targetSubject)
        if alike, let request = leastOwnName(of: members),
           confirm(position, request: request, subjects, key: Self.decisionKey(direction: number, side: side, stage: 0, traits: traitPairs[position]), &findings) {
            return nil
        }
        if coveredOf[Int(number)] == nil { coveredOf[Int(number)] = analyze(members, over: others, side: side) }
        guard var covered = coveredOf[Int(number)], covered.differs else { return nil }
        // Usually the first name decides (an uncovered member's own name is mostly a witness).
        if let first = covered.first,
           confirm(position, request: first, subjects, key: Self.decisionKey(direction: number, side: side, stage: 1, traits: traitPairs[position]), &findings) {
            return nil
        }
        defer { coveredOf[Int(number)] = covered }
        let texts = texts, otherIDs = texts.sets[Int(others)]
        let plainMatch = { (name: String) in texts.plainPatternMatches(name, in: otherIDs) }
        let uncovered: [Int32]
        if let known = covered.uncovered {
            uncovered = known
        } else {
            startCoverage()
            uncovered = texts.sets[Int(members)].filter { !coverage.isCovered($0, side: side, by: others) }
            covered.uncovered = uncovered
            covered.own = uncovered.flatMap { coverage.shortestNames($0) }
        }
        // The first name, when known, was tried above and is the search's first.
        let tried = covered.first == nil ? 0 : 1
        if confirm(position, OwnNames(covered.own).lazy.filter { !plainMatch($0) }.dropFirst(tried), sourceSubject, targetSubject, &findings) {
            return nil
        }
        let comparison: NameSetComparison
        if let known = covered.comparison {
            comparison = known
        } else {
            comparison = NameSetComparison.compare(texts.patterns(uncovered), texts.patterns(otherIDs))
            covered.comparison = comparison
        }
        if let reason = comparison.undecided { return .comparison(reason) }
        switch comparison.onlyFirst {
        case .none: return nil
        case .unnameable: return .unnameable
        case .names(let names):
            if confirm(position, names, sourceSubject, targetSubject, &findings) { return nil }
            // Exact names are the whole difference: tried and decided alike, so no difference.
            let exact = texts.patterns(uncovered).allSatisfy(\.isExact) && names.count < NameSetComparison.candidateCount
            return exact ? nil : .unconfirmed
        }
    }

    /// Whether some member of `members` is included by no single pattern of `others`, and the
    /// least own name (shortest, then by code units: the same witness on every run) of such a
    /// member. Coverage is asked only of members that could still change the answer. `side`: 0
    /// when `members` is the source's set, 1 the target's.
    private mutating func analyze(_ members: Int32, over others: Int32, side: Int) -> Covered {
        startCoverage()
        var differs = false
        var least: PatternCoverage.LeastName?
        for member in texts.sets[Int(members)] {
            // Once a member differs, only one whose least name comes first can change the answer.
            // Names not yet worked out cost an automaton: coverage is asked first then.
            if differs {
                let (known, candidate) = coverage.knownLeastName(member)
                if known {
                    guard let candidate else { continue }
                    if let least, !candidate.precedes(least) { continue }
                }
            }
            guard !coverage.isCovered(member, side: side, by: others) else { continue }
            differs = true
            if let candidate = coverage.leastName(member), least.map({ candidate.precedes($0) }) ?? true { least = candidate }
        }
        // A least name that a plain pattern of `others` matches is skipped by the search: leave
        // the search to the full list then.
        let first = least.flatMap { texts.plainPatternMatches($0.name, in: texts.sets[Int(others)]) ? nil : [$0.name] }
        return Covered(differs: differs, first: first)
    }

    /// Starts `coverage` on the subject's sets at the positions compared at index level on both
    /// sides (every member and set it is asked about), once per subject, when first needed.
    private mutating func startCoverage() {
        guard let (sourceSets, targetSets) = pendingCoverageSets else { return }
        pendingCoverageSets = nil
        var seenSets: [Set<Int32>] = [[], []]
        for position in indexPositions {
            seenSets[0].insert(sourceSets[position])
            seenSets[1].insert(targetSets[position])
        }
        coverage.begin(sets: seenSets.map(Array.init))
    }

    /// The least own name of all the members of `members` (`OwnNames` order), as a one-index
    /// request; nil when a special rule singles it out on either side (`Evaluator.singlesOut`), or
    /// when no member has one. Tried first where both sides check the action alike, whatever the
    /// other set: a member the other set covers is granted its names on both sides, which then
    /// decide an ordinary name alike, so when this name is decided differently it is the least own
    /// name of an uncovered member, one no plain pattern of the other set matches (that pattern
    /// would grant it there too): the name the coverage analysis would find first. No coverage is
    /// worked out when it decides; when it does not, it cost one decision.
    private mutating func leastOwnName(of members: Int32) -> [String]? {
        if let known = leastOfSet[members] { return known }
        var request: [String]?
        if let least = coverage.leastName(among: texts.sets[Int(members)]),
           !source.evaluator.singlesOut(least.name), !target.evaluator.singlesOut(least.name) {
            request = [least.name]
        }
        leastOfSet[members] = .some(request)
        return request
    }

    /// Tries candidate names until one is decided differently; records it as the action's witness.
    private func confirm(_ position: Int, _ names: some Sequence<String>, _ sourceSubject: SideSubject, _ targetSubject: SideSubject,
                         _ findings: inout Findings) -> Bool {
        for name in names where confirm(position, request: [name], sourceSubject, targetSubject, &findings) { return true }
        return false
    }

    /// Whether the two sides decide the request on `request` (one index) differently; records it then.
    private func confirm(_ position: Int, request: [String], _ sourceSubject: SideSubject, _ targetSubject: SideSubject,
                         _ findings: inout Findings) -> Bool {
        let outcomes = decide(position, request: request, sourceSubject, targetSubject)
        guard outcomes.source != outcomes.target else { return false }
        record(position: position, index: request[0], outcomes: outcomes, sourceSubject, targetSubject, &findings)
        return true
    }

    /// As `confirm(_:request:_:_:_:)`, deciding the request once per `decisionKey`.
    private mutating func confirm(_ position: Int, request: [String], _ subjects: (SideSubject, SideSubject), key: UInt64,
                                  _ findings: inout Findings) -> Bool {
        let outcomes: Outcomes
        if let known = decided[key] {
            outcomes = known
        } else {
            outcomes = decide(position, request: request, subjects.0, subjects.1)
            decided[key] = outcomes
        }
        guard outcomes.source != outcomes.target else { return false }
        record(position: position, index: request[0], outcomes: outcomes, subjects.0, subjects.1, &findings)
        return true
    }

    /// How each side decides the action at `position` on the one-index `request`.
    private func decide(_ position: Int, request: [String], _ sourceSubject: SideSubject, _ targetSubject: SideSubject) -> Outcomes {
        let action = source.universe[position]
        return (source.evaluator.outcome(sourceSubject.prepared, action: action, indices: request),
                target.evaluator.outcome(targetSubject.prepared, action: action, indices: request))
    }

    /// Records a request the two sides decide differently, with the outcomes already found for it.
    private func record(position: Int, index: String?, outcomes: (source: Decision.Outcome, target: Decision.Outcome),
                        _ sourceSubject: SideSubject, _ targetSubject: SideSubject, _ findings: inout Findings) {
        let verdict = DiffResult.verdict(source: outcomes.source, target: outcomes.target)
        findings.verdict = findings.verdict.combined(with: verdict)
        findings.actionVerdicts[position] = (findings.actionVerdicts[position] ?? .equivalent).combined(with: verdict)
        guard maxWitnesses == 0 || findings.witnesses.count < maxWitnesses else { return }
        let action = source.universe[position]
        let indices = index.map { [$0] } ?? []
        let sides = [(source, sourceSubject), (target, targetSubject)].map { side, subject in
            DiffResult.Witness.Side(side.evaluator.evaluate(subject.prepared, action: action, indices: indices, reasonsOnly: true),
                                   roles: subject.heldNames)
        }
        // An outcome reused across actions (`traitPairs`) rests on the grant sets saying what the
        // evaluator grants; the explained decisions, made afresh, must agree (checked in tests).
        assert(sides[0].outcome == outcomes.source && sides[1].outcome == outcomes.target, "\(action) on \(index ?? "-"): outcomes reused wrongly")
        findings.witnesses.append(DiffResult.Witness(action: action, index: index, source: sides[0], target: sides[1]))
    }
}

/// Names in order, shortest first, then by UTF-8 code units (the same witness on every run),
/// each once: the order a sort gives, found one at a time, since the first name tried usually
/// decides (an uncovered member's own name is mostly a witness).
struct OwnNames: Sequence, IteratorProtocol {
    private var remaining: [String]

    init(_ names: [String]) {
        remaining = names
    }

    static func precedes(_ first: String, _ second: String) -> Bool {
        let a = first.utf8.count, b = second.utf8.count
        return a != b ? a < b : first.utf8.lexicographicallyPrecedes(second.utf8)
    }

    /// A number that orders names as `precedes` does where two numbers differ: the length in the
    /// top byte, then the first seven bytes. Equal numbers (same length and start, or a name of 255
    /// bytes or more, which all get the largest number) leave the order to `precedes`.
    static func orderKey(_ name: String) -> UInt64 {
        let count = name.utf8.count
        guard count < 255 else { return UInt64.max }
        var key = UInt64(count) << 56, shift: UInt64 = 48
        for byte in name.utf8.prefix(7) {
            key |= UInt64(byte) << shift
            shift &-= 8
        }
        return key
    }

    mutating func next() -> String? {
        guard var best = remaining.first else { return nil }
        for name in remaining.dropFirst() where Self.precedes(name, best) { best = name }
        remaining.removeAll { $0.utf8.elementsEqual(best.utf8) }
        return best
    }
}
