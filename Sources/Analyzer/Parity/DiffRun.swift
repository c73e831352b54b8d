/// The state of one diff while it goes through the subjects: both sides, the shared pattern
/// texts, and the comparisons already made (many subjects share the same pair of grant sets).
struct DiffRun {
    let source: DiffSide
    let target: DiffSide
    let maxWitnesses: Int
    private let texts = PatternTexts()
    private var pairs: [PairKey: PairComparison] = [:]
    private var clusterCells: [ClusterKey: [(position: Int, source: Decision.Outcome, target: Decision.Outcome)]] = [:]
    /// Names every side treats specially whatever the grants: tried when the sides check an action differently.
    private let specialNames: [String]

    /// Universe positions in the order witnesses are listed: the requests people make most first.
    private let order: [Int]

    /// Listed first when there are more witnesses than are shown.
    static let everyday = ["indices:data/read/search", "indices:data/read/get", "indices:data/write/index", "indices:data/write/bulk[s]",
                           "indices:data/write/delete", "indices:data/write/update", "indices:admin/create", "indices:admin/delete",
                           "cluster:monitor/health", "indices:data/write/bulk", "cluster:monitor/state", "indices:monitor/stats"]

    init(source: DiffSide, target: DiffSide, maxWitnesses: Int) {
        self.source = source
        self.target = target
        self.maxWitnesses = maxWitnesses
        let rank = Dictionary(Self.everyday.enumerated().map { ($0.element, $0.offset) }) { first, _ in first }
        order = source.universe.indices.sorted { (rank[source.universe[$0]] ?? Int.max, $0) < (rank[source.universe[$1]] ?? Int.max, $1) }
        let settings = [source.evaluator.settings, target.evaluator.settings]
        let listed = settings.flatMap { [$0.securityIndexName] + $0.systemIndices + $0.protectedIndices }
        specialNames = Array(Set(listed.compactMap(DiffSubjects.representative))).sorted()
    }

    private struct PairKey: Hashable {
        let first: [Int32]
        let second: [Int32]
    }

    private struct ClusterKey: Hashable {
        let source: BitSet
        let target: BitSet
        let flags: [Bool]
    }

    /// Per direction: proved empty, or candidate names, or why it is not known.
    struct PairComparison {
        var onlyFirst: NameSetComparison.Difference
        var onlySecond: NameSetComparison.Difference
        var undecided: String?
        /// The names listed are the whole difference (so when none is decided differently, the
        /// decisions agree on every name).
        var exhaustive = false
    }

    /// What one subject's comparison collects.
    private struct Findings {
        var witnesses: [DiffResult.Witness] = []
        var undecided: [DiffResult.Undecided] = []
        var verdict = DiffResult.Verdict.equivalent
        var differingActions = Set<Int>()
        var actionVerdicts: [String: DiffResult.Verdict] = [:]
    }

    mutating func compare(_ subject: DiffSubject) -> DiffResult.SubjectDiff {
        let sourceSubject = resolve(subject, source)
        let targetSubject = resolve(subject, target)
        let sourcePrepared = source.evaluator.prepare(sourceSubject)
        let targetPrepared = target.evaluator.prepare(targetSubject)
        var findings = Findings()
        let sourceSets = source.indexGrantSets(sourcePrepared, texts)
        let targetSets = target.indexGrantSets(targetPrepared, texts)
        compareClusterLevel(sourcePrepared, targetPrepared, (sourceSets, targetSets), &findings)
        compareIndexLevel(sourcePrepared, targetPrepared, (sourceSets, targetSets), &findings)
        let verdict = findings.undecided.isEmpty ? findings.verdict : findings.verdict.combined(with: .undecided)
        let backendRoles = subject.user == nil ? subject.backendRoles
            : (source.evaluator.config.internalUsers[subject.evaluatedName] != nil ? sourceSubject : targetSubject).subject.backendRoles
        return DiffResult.SubjectDiff(user: subject.user, backendRoles: backendRoles, host: subject.host, evaluatedName: subject.evaluatedName,
                                      verdict: verdict, witnesses: findings.witnesses, undecided: findings.undecided,
                                      differingActions: findings.differingActions.count, actionVerdicts: findings.actionVerdicts)
    }

    private func resolve(_ subject: DiffSubject, _ side: DiffSide) -> ResolvedSubject {
        // The request always names a user, the one input `resolve` rejects without.
        (try? SubjectResolver.resolve(subject.request, config: side.evaluator.config))
            ?? ResolvedSubject(subject: Subject(name: subject.evaluatedName, backendRoles: subject.backendRoles, host: subject.host),
                               notes: [], canAuthenticate: true)
    }

    // MARK: cluster level

    private mutating func compareClusterLevel(_ sourcePrepared: PreparedSubject, _ targetPrepared: PreparedSubject,
                                              _ sets: (source: [[Int32]], target: [[Int32]]), _ findings: inout Findings) {
        let key = ClusterKey(source: sourcePrepared.context.roleSet, target: targetPrepared.context.roleSet,
                             flags: [sourcePrepared.resolved.canAuthenticate, targetPrepared.resolved.canAuthenticate,
                                     sourcePrepared.resolved.subject.isServiceAccount, targetPrepared.resolved.subject.isServiceAccount])
        let cells: [(position: Int, source: Decision.Outcome, target: Decision.Outcome)]
        if let known = clusterCells[key] {
            cells = known
        } else {
            var found: [(position: Int, source: Decision.Outcome, target: Decision.Outcome)] = []
            for position in order where source.plans[position].route != .index || target.plans[position].route != .index {
                let action = source.universe[position]
                let from = source.evaluator.outcome(sourcePrepared, action: action, indices: [])
                let to = target.evaluator.outcome(targetPrepared, action: action, indices: [])
                if from != to { found.append((position, from, to)) }
            }
            // Role sets are per evaluator; the cache holds only while subjects share them.
            clusterCells[key] = found
            cells = found
        }
        for cell in cells {
            record(position: cell.position, index: nil, sourcePrepared, targetPrepared, &findings)
        }
        // Checked at cluster level on one side and at index level on the other: alike for every
        // request when the cluster side denies and the index side grants the action on no index
        // (and DNFOF cannot turn a denial into an empty result there).
        for position in source.universe.indices where (source.plans[position].route == .index) != (target.plans[position].route == .index) {
            guard !cells.contains(where: { $0.position == position }) else { continue }
            let sourceIsIndex = source.plans[position].route == .index
            let indexSet = sourceIsIndex ? sets.source[position] : sets.target[position]
            let clusterSide = sourceIsIndex ? (target, targetPrepared) : (source, sourcePrepared)
            let indexSide = sourceIsIndex ? source : target
            let clusterDenies = clusterSide.0.evaluator.outcome(clusterSide.1, action: source.universe[position], indices: []) == .deny
            if indexSet.isEmpty, clusterDenies, !filtersSingleIndex(indexSide.evaluator) { continue }
            // Names inside and outside the index side's grant: one of them is decided differently
            // whenever the cluster side's single answer differs from the index side's on it.
            let patterns = texts.patterns(indexSet)
            var candidates = ["*"]
            for difference in [NameSetComparison.compare(patterns, []).onlyFirst, NameSetComparison.compare([Pattern("*")], patterns).onlyFirst] {
                if case .names(let names) = difference { candidates += names }
            }
            if confirm(position, candidates, sourcePrepared, targetPrepared, &findings) { continue }
            findings.undecided.append(DiffResult.Undecided(action: source.universe[position], reason: .actionCheckedDifferently))
        }
    }

    // MARK: index level

    private mutating func compareIndexLevel(_ sourcePrepared: PreparedSubject, _ targetPrepared: PreparedSubject,
                                            _ sets: (source: [[Int32]], target: [[Int32]]), _ findings: inout Findings) {
        let (sourceSets, targetSets) = sets
        let sameContext = sameSubjectContext(sourcePrepared, targetPrepared)
        let everything = texts.id("*")
        for position in order where source.plans[position].route == .index && target.plans[position].route == .index {
            let first = sourceSets[position], second = targetSets[position]
            let alike = sameContext && samePlan(position)
            if first == second && alike { continue }
            let action = source.universe[position]
            var confirmed = false
            // A grant on `*` itself decides requests on all indices (the evaluator's shortcut).
            if first.contains(everything) != second.contains(everything) {
                confirmed = confirm(position, ["*"], sourcePrepared, targetPrepared, &findings) || confirmed
            }
            guard first != second else {
                confirmed = confirm(position, specialNames, sourcePrepared, targetPrepared, &findings) || confirmed
                if !confirmed { findings.undecided.append(DiffResult.Undecided(action: action, reason: .actionCheckedDifferently)) }
                continue
            }
            let comparison = compare(first, second)
            if let reason = comparison.undecided {
                findings.undecided.append(DiffResult.Undecided(action: action, reason: .comparison(reason)))
                continue
            }
            for difference in [comparison.onlyFirst, comparison.onlySecond] {
                switch difference {
                case .none: continue
                case .unnameable: findings.undecided.append(DiffResult.Undecided(action: action, reason: .unnameable))
                case .names(let names):
                    if !confirm(position, names, sourcePrepared, targetPrepared, &findings), !comparison.exhaustive {
                        findings.undecided.append(DiffResult.Undecided(action: action, reason: .unconfirmed))
                    }
                }
            }
            if !alike, !findings.differingActions.contains(position) {
                if !confirm(position, specialNames, sourcePrepared, targetPrepared, &findings) {
                    findings.undecided.append(DiffResult.Undecided(action: action, reason: .actionCheckedDifferently))
                }
            }
        }
    }

    /// Whether the two sides decide an index action alike for equal grant sets: same node settings,
    /// DNFOF, service-account and login state, and protected-role holding.
    private func sameSubjectContext(_ first: PreparedSubject, _ second: PreparedSubject) -> Bool {
        let a = source.evaluator, b = target.evaluator
        guard a.settings == b.settings, filtersSingleIndex(a) == filtersSingleIndex(b),
              first.resolved.canAuthenticate == second.resolved.canAuthenticate,
              first.resolved.subject.isServiceAccount == second.resolved.subject.isServiceAccount else { return false }
        guard a.settings.protectedIndicesEnabled else { return true }
        let holds = { (prepared: PreparedSubject, evaluator: Evaluator) in
            prepared.context.roles.contains { evaluator.special.protectedRoles.matches($0.name) }
        }
        return holds(first, a) == holds(second, b)
    }

    /// DNFOF turns a denied single-index request into an empty filtered one only with
    /// `do_not_fail_on_forbidden_empty` (semantics §3: with no allowed index left, the request
    /// fails unless empty results are allowed); otherwise a single index is either granted or not.
    /// Requests naming several indices are covered by `SettingsComparison`.
    private func filtersSingleIndex(_ evaluator: Evaluator) -> Bool {
        evaluator.config.dynamic.doNotFailOnForbidden && evaluator.config.dynamic.doNotFailOnForbiddenEmpty
    }

    private func samePlan(_ position: Int) -> Bool {
        let a = source.plans[position], b = target.plans[position]
        return (a.isDnfof && filtersSingleIndex(source.evaluator)) == (b.isDnfof && filtersSingleIndex(target.evaluator)) && a.isRead == b.isRead && a.isWriteType == b.isWriteType
            && a.isSystemIndexPermission == b.isSystemIndexPermission && a.name == b.name
    }

    private mutating func compare(_ first: [Int32], _ second: [Int32]) -> PairComparison {
        let key = PairKey(first: first, second: second)
        if let known = pairs[key] { return known }
        let result = QuickInclusion.compare(first, second, texts) ?? {
            let exact = NameSetComparison.compare(texts.patterns(first), texts.patterns(second))
            return PairComparison(onlyFirst: exact.onlyFirst, onlySecond: exact.onlySecond, undecided: exact.undecided)
        }()
        pairs[key] = result
        return result
    }

    /// Tries candidate names until one is decided differently; records it as the action's witness.
    private func confirm(_ position: Int, _ names: [String], _ sourcePrepared: PreparedSubject, _ targetPrepared: PreparedSubject,
                         _ findings: inout Findings) -> Bool {
        let action = source.universe[position]
        for name in names {
            let from = source.evaluator.outcome(sourcePrepared, action: action, indices: [name])
            let to = target.evaluator.outcome(targetPrepared, action: action, indices: [name])
            guard from != to else { continue }
            record(position: position, index: name, sourcePrepared, targetPrepared, &findings)
            return true
        }
        return false
    }

    private func record(position: Int, index: String?, _ sourcePrepared: PreparedSubject, _ targetPrepared: PreparedSubject,
                        _ findings: inout Findings) {
        let action = source.universe[position]
        let indices = index.map { [$0] } ?? []
        findings.differingActions.insert(position)
        let sourceOutcome = source.evaluator.outcome(sourcePrepared, action: action, indices: indices)
        let targetOutcome = target.evaluator.outcome(targetPrepared, action: action, indices: indices)
        let verdict = DiffResult.verdict(source: sourceOutcome, target: targetOutcome)
        findings.verdict = findings.verdict.combined(with: verdict)
        findings.actionVerdicts[action] = (findings.actionVerdicts[action] ?? .equivalent).combined(with: verdict)
        guard maxWitnesses == 0 || findings.witnesses.count < maxWitnesses else { return }
        findings.witnesses.append(DiffResult.Witness(action: action, index: index,
                                                     source: source.evaluator.evaluate(sourcePrepared, action: action, indices: indices),
                                                     target: target.evaluator.evaluate(targetPrepared, action: action, indices: indices)))
    }
}

/// Inclusion answered without automata where the patterns make it plain: a pattern is covered by
/// the same pattern, an exact name by a non-regex pattern matching it, a prefix by `*` or a shorter
/// prefix. An exact name no pattern of the other side matches is a candidate witness. Regexes are
/// left to the automata (the evaluator's regex engine reads `\w` and friends as Unicode classes,
/// the plugin's Java as ASCII, so matching them here would not be a proof).
enum QuickInclusion {
    static func compare(_ first: [Int32], _ second: [Int32], _ texts: PatternTexts) -> DiffRun.PairComparison? {
        guard let forward = direction(first, over: second, texts), let backward = direction(second, over: first, texts) else { return nil }
        return DiffRun.PairComparison(onlyFirst: forward, onlySecond: backward, undecided: nil, exhaustive: true)
    }

    private static func direction(_ members: [Int32], over others: [Int32], _ texts: PatternTexts) -> NameSetComparison.Difference? {
        let otherSet = Set(others)
        let extra = members.filter { !otherSet.contains($0) }
        guard !extra.isEmpty else { return NameSetComparison.Difference.none }
        let covering = texts.patterns(others).filter { !$0.isRegex }
        var uncovered: [String] = []
        for pattern in texts.patterns(extra) {
            switch pattern.form {
            case .nothing: continue
            case .exact(let name):
                if covering.contains(where: { $0.matches(name) }) { continue }
                guard !texts.patterns(others).contains(where: \.isRegex), IndexResolution.isPlainName(name) else { return nil }
                uncovered.append(name)
            case .prefix(let prefix):
                let covered = covering.contains { other in
                    switch other.form {
                    case .anything: true
                    case .prefix(let shorter): prefix.utf8.starts(with: shorter.utf8)
                    default: false
                    }
                }
                if !covered { return nil }
            default: return nil
            }
        }
        return uncovered.isEmpty ? NameSetComparison.Difference.none : .names(uncovered.sorted())
    }
}
