/// The state of one diff while it goes through the subjects: both sides, the shared pattern
/// texts, and the comparisons already made (many subjects share the same pair of grant sets).
struct DiffRun {
    let source: DiffSide
    let target: DiffSide
    let maxWitnesses: Int
    private let texts = PatternTexts()
    private var inclusions: [UInt64: Bool] = [:]
    /// Per (members set, others set): what `direction` learns without the evaluators.
    private var analyses: [UInt64: DirectionAnalysis] = [:]
    /// Per pattern id, its own shortest names once worked out (`shortestNames`).
    private var ownNames: [[String]?] = []
    /// For the subject being compared, per side of the members (0: source): the other side's
    /// patterns, sorted, and each member's coverers among them (`coverers(of:side:)`).
    private var otherKinds = [PatternsByKind(), PatternsByKind()]
    /// Per side, per member pattern id: its coverers for the subject being compared, valid while
    /// `coveringStamps[side][id]` is `subjectStamp` (an array read per member, no hashing). Each
    /// subject starts a new stamp: its other-side patterns differ, and a list kept from an earlier
    /// subject would miss this one's coverers.
    private var coveringLists: [[[Int32]]] = [[], []]
    private var coveringStamps: [[Int]] = [[], []]
    private var subjectStamp = 0
    /// Per pattern id of another form (glob, regex, contains): its bit in `CoverTrials`, -1 until given one.
    private var otherBits: [Int] = []
    /// Per bit of `CoverTrials`: its pattern id.
    private var bitPatterns: [Int32] = []
    /// For the subject being compared, per side of the members: the other side's patterns of
    /// another form, as a bit set over `otherBits`.
    private var otherMasks: [[UInt64]] = [[], []]
    /// Per member pattern id: which other-form patterns were already tested as its coverers, and
    /// which cover it. The test depends on the two patterns alone, so it holds across subjects
    /// (whose other-side patterns differ, but mostly draw on the same roles).
    private var trials: [CoverTrials] = []
    /// Names every side treats specially whatever the grants: tried when the sides check an action differently.
    private let specialNames: [String]

    /// Universe positions in the order witnesses are listed: the requests people make most first.
    private let order: [Int]
    /// Positions checked at cluster level on one side, at index level on the other.
    private let mixedRoutes: [Int]
    /// Every action is checked the same way on both sides.
    private let plansAlike: Bool

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
        mixedRoutes = order.filter { (source.plans[$0].route == .index) != (target.plans[$0].route == .index) }
        plansAlike = source.universe.indices.allSatisfy { position in
            let a = source.plans[position], b = target.plans[position]
            return a.route == b.route && a.name == b.name && a.isDnfof == b.isDnfof && a.isRead == b.isRead && a.isWriteType == b.isWriteType
                && a.isSystemIndexPermission == b.isSystemIndexPermission
        }
        let settings = [source.evaluator.settings, target.evaluator.settings]
        let listed = settings.flatMap { [$0.securityIndexName] + $0.systemIndices + $0.protectedIndices }
        specialNames = Array(Set(listed.compactMap(DiffSubjects.representative))).sorted()
    }

    /// What one direction between two grant sets comes to, whatever the action: the members no
    /// single pattern of the other set includes, their own shortest names the other set's plain
    /// patterns leave out, and (once asked) the comparison of those members with the other set.
    private struct DirectionAnalysis {
        let uncovered: [Int32]
        /// The uncovered members' own shortest names, in no order, perhaps repeated (`OwnNames`
        /// yields them in order); those the other set's plain (non-regex) patterns match are
        /// skipped when tried, checked only as far as the trial goes.
        let own: [String]
        var comparison: NameSetComparison?
    }

    /// A set of pattern ids sorted by kind, each list ascending.
    private struct PatternsByKind {
        var anything: [Int32] = [], exact: [Int32] = [], prefixes: [Int32] = [], nothing: [Int32] = [], other: [Int32] = []

        init() {}

        init(_ ids: Set<Int32>, _ texts: PatternTexts) {
            for id in ids.sorted() {
                switch texts.kinds[Int(id)] {
                case .anything: anything.append(id)
                case .exact: exact.append(id)
                case .prefix: prefixes.append(id)
                case .nothing: nothing.append(id)
                case .other: other.append(id)
                }
            }
        }
    }

    /// Two bit sets over `otherBits`: tested, and found covering.
    private struct CoverTrials {
        var tested: [UInt64] = []
        var covering: [UInt64] = []
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
        let sourceSubject = SideSubject(resolve(subject, source), evaluator: source.evaluator)
        let targetSubject = SideSubject(resolve(subject, target), evaluator: target.evaluator)
        var findings = Findings()
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
                                      differingActions: findings.differingActions.count, actionVerdicts: findings.actionVerdicts)
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
    /// are decided by the evaluators; otherwise every such action is.
    private mutating func compareClusterLevel(_ sourceSubject: SideSubject, _ targetSubject: SideSubject, alike: Bool, _ findings: inout Findings) {
        let candidates: [Int]
        if alike {
            let a = source.clusterGrants(sourceSubject), b = target.clusterGrants(targetSubject)
            candidates = order.filter { position in
                let routes = (source.plans[position].route, target.plans[position].route)
                guard routes.0 != .index || routes.1 != .index else { return false }
                if routes.0 != routes.1 { return true }
                let bit = UInt64(1) << UInt64(position % 64)
                return (a[position / 64] & bit) != (b[position / 64] & bit)
            }
        } else {
            candidates = order.filter { source.plans[$0].route != .index || target.plans[$0].route != .index }
        }
        for position in candidates {
            let action = source.universe[position]
            let from = source.evaluator.outcome(sourceSubject.prepared, action: action, indices: [])
            let to = target.evaluator.outcome(targetSubject.prepared, action: action, indices: [])
            if from != to { record(position: position, index: nil, outcomes: (from, to), sourceSubject, targetSubject, &findings) }
        }
    }

    /// Checked at cluster level on one side and at index level on the other: alike for every
    /// request when the cluster side denies and the index side grants the action on no index (and
    /// DNFOF cannot turn a denial into an empty result there); else names inside and outside the
    /// index side's grant are tried.
    private mutating func compareMixedRoutes(_ sourceSubject: SideSubject, _ targetSubject: SideSubject,
                                             _ sets: (source: [Int32], target: [Int32]), _ findings: inout Findings) {
        for position in mixedRoutes where !findings.differingActions.contains(position) {
            let sourceIsIndex = source.plans[position].route == .index
            let indexSet = texts.sets[Int(sourceIsIndex ? sets.source[position] : sets.target[position])]
            let (clusterSide, clusterSubject) = sourceIsIndex ? (target, targetSubject) : (source, sourceSubject)
            let indexSide = sourceIsIndex ? source : target
            let clusterDenies = clusterSide.evaluator.outcome(clusterSubject.prepared, action: source.universe[position], indices: []) == .deny
            if indexSet.isEmpty, clusterDenies, !filtersSingleIndex(indexSide.evaluator) { continue }
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
        // Each side's patterns at the positions compared, the candidates `coverers` looks through.
        var granted: [Set<Int32>] = [[], []]
        var seenSets: [Set<Int32>] = [[], []]
        for position in order where source.plans[position].route == .index && target.plans[position].route == .index {
            for (side, id) in [sourceSets[position], targetSets[position]].enumerated() where seenSets[side].insert(id).inserted {
                granted[side].formUnion(texts.sets[Int(id)])
            }
        }
        otherKinds = [PatternsByKind(granted[1], texts), PatternsByKind(granted[0], texts)]
        otherMasks = [otherMask(otherKinds[0].other), otherMask(otherKinds[1].other)]
        subjectStamp += 1
        analyses = [:]
        for position in order where source.plans[position].route == .index && target.plans[position].route == .index {
            let first = sourceSets[position], second = targetSets[position]
            let alike = sameContext && samePlan(position)
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
            for (side, (members, others)) in [(first, second), (second, first)].enumerated() {
                if let reason = direction(members, over: others, side: side, position, sourceSubject, targetSubject, &findings) {
                    findings.undecided.append(DiffResult.Undecided(action: action, reason: reason))
                }
            }
            if !alike, !findings.differingActions.contains(position) {
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
        guard a.settings == b.settings, filtersSingleIndex(a) == filtersSingleIndex(b),
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
    private func filtersSingleIndex(_ evaluator: Evaluator) -> Bool {
        evaluator.config.dynamic.doNotFailOnForbidden && evaluator.config.dynamic.doNotFailOnForbiddenEmpty
    }

    private func samePlan(_ position: Int) -> Bool {
        let a = source.plans[position], b = target.plans[position]
        return (a.isDnfof && filtersSingleIndex(source.evaluator)) == (b.isDnfof && filtersSingleIndex(target.evaluator)) && a.isRead == b.isRead && a.isWriteType == b.isWriteType
            && a.isSystemIndexPermission == b.isSystemIndexPermission && a.name == b.name
    }

    /// Whether the names the set `members` grants beyond the set `others` are decided differently:
    /// nil when that is settled (no such name, or a witness recorded), else why it is not.
    ///
    /// A member is covered when one pattern of the other side includes it (pairwise inclusion,
    /// cached across subjects); the uncovered ones are first tried on their own shortest names,
    /// confirmed by the evaluators, and only then compared with the other side's whole union.
    /// Everything but the evaluators' confirmation depends on the two sets alone, so it is worked
    /// out once per pair of sets (actions and subjects share few).
    private mutating func direction(_ members: Int32, over others: Int32, side: Int, _ position: Int, _ sourceSubject: SideSubject,
                                    _ targetSubject: SideSubject, _ findings: inout Findings) -> DiffResult.Undecided.Reason? {
        let key = UInt64(UInt32(bitPattern: members)) << 32 | UInt64(UInt32(bitPattern: others))
        let analysis: DirectionAnalysis
        if let known = analyses[key] {
            analysis = known
        } else {
            analysis = analyze(texts.sets[Int(members)], over: texts.sets[Int(others)], side: side)
            analyses[key] = analysis
        }
        guard !analysis.uncovered.isEmpty else { return nil }
        let texts = texts, otherIDs = texts.sets[Int(others)]
        let plainMatch = { (name: String) in
            otherIDs.contains { id in
                let pattern = texts.patterns[Int(id)]
                return !pattern.isRegex && pattern.matches(name)
            }
        }
        if confirm(position, OwnNames(analysis.own).lazy.filter { !plainMatch($0) }, sourceSubject, targetSubject, &findings) {
            return nil
        }
        let comparison: NameSetComparison
        if let known = analysis.comparison {
            comparison = known
        } else {
            comparison = NameSetComparison.compare(texts.patterns(analysis.uncovered), texts.patterns(texts.sets[Int(others)]))
            analyses[key]?.comparison = comparison
        }
        if let reason = comparison.undecided { return .comparison(reason) }
        switch comparison.onlyFirst {
        case .none: return nil
        case .unnameable: return .unnameable
        case .names(let names):
            if confirm(position, names, sourceSubject, targetSubject, &findings) { return nil }
            // Exact names are the whole difference: tried and decided alike, so no difference.
            let exact = texts.patterns(analysis.uncovered).allSatisfy(\.isExact) && names.count < NameSetComparison.candidateCount
            return exact ? nil : .unconfirmed
        }
    }

    /// The uncovered members of `members` over `others`, their own shortest names (shortest first,
    /// then by code units: the same witness on every run). `side`: 0 when `members` is the
    /// source's set, 1 the target's (whose coverers `coverers(of:side:)` looks up).
    private mutating func analyze(_ members: [Int32], over others: [Int32], side: Int) -> DirectionAnalysis {
        // A member is covered when one pattern of `others` covers it: one of its coverers among
        // the subject's other-side patterns (worked out once per subject) is in `others`.
        var uncovered: [Int32] = []
        for member in members where !Self.sortedContains(others, member) {
            if !coverers(of: member, side: side).contains(where: { Self.sortedContains(others, $0) }) { uncovered.append(member) }
        }
        guard !uncovered.isEmpty else { return DirectionAnalysis(uncovered: [], own: [], comparison: nil) }
        var own: [String] = []
        for member in uncovered { own += shortestNames(member) }
        return DirectionAnalysis(uncovered: uncovered, own: own, comparison: nil)
    }

    /// Whether the sorted list `ids` holds `id`.
    private static func sortedContains(_ ids: [Int32], _ id: Int32) -> Bool {
        var low = 0, high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && ids[low] == id
    }

    /// The patterns among the subject's other-side patterns (`otherPatterns[side]`: every pattern
    /// the other side grants the subject at some index position) that cover `member`, cached per
    /// subject. A member outside a set is covered by that set iff one of these is in it.
    ///
    /// As `covers` pair by pair, with the shortcuts that spare a cache entry per pair: an exact name
    /// is covered by `*`, by a prefix it starts with, or by a pattern of another form whose
    /// automaton accepts it, never by another exact name; a prefix pattern by `*`, a shorter
    /// prefix, or a pattern of another form that `covers` it, never by an exact name.
    private mutating func coverers(of member: Int32, side: Int) -> [Int32] {
        let slot = Int(member)
        if slot < coveringStamps[side].count, coveringStamps[side][slot] == subjectStamp { return coveringLists[side][slot] }
        var found: [Int32] = []
        let candidates = otherKinds[side]
        found += candidates.anything
        switch texts.kinds[Int(member)] {
        case .nothing:
            // A blank pattern matches no name: every pattern covers it (`covers`).
            found = candidates.anything + candidates.exact + candidates.prefixes + candidates.nothing + candidates.other
        case .anything:
            // Only `*` covers `*` (a prefix or exact name never does; another form as `covers` says).
            appendOtherCoverers(of: member, side: side, to: &found)
        case .exact:
            for other in candidates.prefixes where texts.literal(member, startsWith: other) { found.append(other) }
            appendOtherCoverers(of: member, side: side, to: &found)
        case .prefix:
            for other in candidates.prefixes where texts.literal(member, startsWith: other) { found.append(other) }
            appendOtherCoverers(of: member, side: side, to: &found)
        case .other:
            let names = shortestNames(member)
            // An exact name covers only a pattern whose every name is that one (`covers`): not one
            // with two distinct own names.
            let groups = names.count > 1 ? [candidates.prefixes, candidates.nothing]
                : [candidates.exact, candidates.prefixes, candidates.nothing]
            for group in groups {
                for other in group where covers(other, member, names: names) { found.append(other) }
            }
            appendOtherCoverers(of: member, side: side, to: &found)
        }
        found.removeAll { $0 == member }
        if coveringStamps[side].count <= slot {
            let missing = slot + 1 - coveringStamps[side].count
            coveringStamps[side] += repeatElement(0, count: missing)
            coveringLists[side] += repeatElement([], count: missing)
        }
        coveringStamps[side][slot] = subjectStamp
        coveringLists[side][slot] = found
        return found
    }

    /// Appends the patterns of another form among the subject's other-side ones (`otherMasks[side]`)
    /// that cover `member`, each pair tested once per run (`trials`): an exact name on the
    /// pattern's automaton (a pattern outside the translated subset, with no automaton, covers
    /// nothing), any other member by `covers`.
    private mutating func appendOtherCoverers(of member: Int32, side: Int, to found: inout [Int32]) {
        let mask = otherMasks[side]
        guard !mask.isEmpty else { return }
        let slot = Int(member)
        if trials.count <= slot { trials += repeatElement(CoverTrials(), count: slot + 1 - trials.count) }
        var entry = CoverTrials()
        swap(&entry, &trials[slot])
        if entry.tested.count < mask.count {
            let missing = mask.count - entry.tested.count
            entry.tested += repeatElement(0, count: missing)
            entry.covering += repeatElement(0, count: missing)
        }
        let isExact = texts.kinds[slot] == .exact
        var names: [String]?
        for word in mask.indices {
            var untested = mask[word] & ~entry.tested[word]
            while untested != 0 {
                let bit = untested.trailingZeroBitCount
                untested &= untested - 1
                let other = bitPatterns[word * 64 + bit]
                let covered: Bool
                if isExact {
                    covered = texts.determinized(other)?.accepts(bytes: texts.literal(member)) ?? false
                } else {
                    let own = names ?? shortestNames(member)
                    names = own
                    covered = covers(other, member, names: own)
                }
                entry.tested[word] |= UInt64(1) << UInt64(bit)
                if covered { entry.covering[word] |= UInt64(1) << UInt64(bit) }
            }
            var hits = mask[word] & entry.covering[word]
            while hits != 0 {
                found.append(bitPatterns[word * 64 + hits.trailingZeroBitCount])
                hits &= hits - 1
            }
        }
        swap(&entry, &trials[slot])
    }

    /// The bit of an other-form pattern in `CoverTrials`, given on first use.
    private mutating func otherBit(_ id: Int32) -> Int {
        let slot = Int(id)
        if otherBits.count <= slot { otherBits += repeatElement(-1, count: slot + 1 - otherBits.count) }
        if otherBits[slot] < 0 {
            otherBits[slot] = bitPatterns.count
            bitPatterns.append(id)
        }
        return otherBits[slot]
    }

    /// A bit set over `otherBits` of the given other-form patterns.
    private mutating func otherMask(_ ids: [Int32]) -> [UInt64] {
        var mask: [UInt64] = []
        for id in ids {
            let bit = otherBit(id)
            if mask.count <= bit / 64 { mask += repeatElement(0, count: bit / 64 + 1 - mask.count) }
            mask[bit / 64] |= UInt64(1) << UInt64(bit % 64)
        }
        return mask
    }

    /// Whether every name `member` matches is matched by `pattern` (Java semantics; cached).
    /// `names`: the member's own shortest names (`shortestNames`).
    private mutating func covers(_ pattern: Int32, _ member: Int32, names: [String]) -> Bool {
        if pattern == member { return true }
        let outerKind = texts.kinds[Int(pattern)], innerKind = texts.kinds[Int(member)]
        switch (outerKind, innerKind) {
        case (.anything, _), (_, .nothing): return true
        case (.prefix, .prefix), (.prefix, .exact): return texts.literal(member, startsWith: pattern)
        case (.exact, .exact), (.exact, .prefix), (.exact, .anything), (.prefix, .anything): return false
        default: break
        }
        // One of the member's own names outside the pattern refutes inclusion without a product.
        // An exact name or a prefix accepts exactly the byte strings equal to it or starting with
        // it (PatternLanguage), so those are tested on the bytes without their automaton.
        switch outerKind {
        case .exact, .prefix:
            let span = texts.literalSpans[Int(pattern)]
            let literal = texts.literalBytes[span]
            for name in names {
                let fits = outerKind == .exact ? name.utf8.elementsEqual(literal) : name.utf8.starts(with: literal)
                if !fits { return false }
            }
        default:
            guard let automaton = texts.determinized(pattern) else { return false }
            for name in names where !automaton.accepts(bytes: name.utf8) { return false }
        }
        let key = UInt64(UInt32(bitPattern: pattern)) << 32 | UInt64(UInt32(bitPattern: member))
        if let known = inclusions[key] { return known }
        let comparison = NameSetComparison.compare([texts.patterns[Int(member)]], [texts.patterns[Int(pattern)]])
        let result = comparison.undecided == nil && comparison.onlyFirst == .none
        inclusions[key] = result
        return result
    }

    /// A pattern's own shortest names (cached): the first names to try as witnesses.
    private mutating func shortestNames(_ member: Int32) -> [String] {
        if Int(member) < ownNames.count, let known = ownNames[Int(member)] { return known }
        let pattern = texts.patterns[Int(member)]
        var names: [String] = []
        if case .exact(let name) = pattern.form {
            names = IndexResolution.isPlainName(name) ? [name] : []
        } else if case .names(let found) = NameSetComparison.compare([pattern], []).onlyFirst {
            names = Array(found.prefix(3))
        }
        if Int(member) >= ownNames.count { ownNames += repeatElement(nil, count: Int(member) + 1 - ownNames.count) }
        ownNames[Int(member)] = names
        return names
    }

    /// Tries candidate names until one is decided differently; records it as the action's witness.
    private func confirm(_ position: Int, _ names: some Sequence<String>, _ sourceSubject: SideSubject, _ targetSubject: SideSubject,
                         _ findings: inout Findings) -> Bool {
        let action = source.universe[position]
        for name in names {
            let from = source.evaluator.outcome(sourceSubject.prepared, action: action, indices: [name])
            let to = target.evaluator.outcome(targetSubject.prepared, action: action, indices: [name])
            guard from != to else { continue }
            record(position: position, index: name, outcomes: (from, to), sourceSubject, targetSubject, &findings)
            return true
        }
        return false
    }

    /// Records a request the two sides decide differently, with the outcomes already found for it.
    private func record(position: Int, index: String?, outcomes: (source: Decision.Outcome, target: Decision.Outcome),
                        _ sourceSubject: SideSubject, _ targetSubject: SideSubject, _ findings: inout Findings) {
        let action = source.universe[position]
        let indices = index.map { [$0] } ?? []
        findings.differingActions.insert(position)
        let sourcePrepared = sourceSubject.prepared, targetPrepared = targetSubject.prepared
        let verdict = DiffResult.verdict(source: outcomes.source, target: outcomes.target)
        findings.verdict = findings.verdict.combined(with: verdict)
        findings.actionVerdicts[action] = (findings.actionVerdicts[action] ?? .equivalent).combined(with: verdict)
        guard maxWitnesses == 0 || findings.witnesses.count < maxWitnesses else { return }
        findings.witnesses.append(DiffResult.Witness(action: action, index: index,
                                                     source: source.evaluator.evaluate(sourcePrepared, action: action, indices: indices),
                                                     target: target.evaluator.evaluate(targetPrepared, action: action, indices: indices)))
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

    mutating func next() -> String? {
        guard var best = remaining.first else { return nil }
        for name in remaining.dropFirst() where Self.precedes(name, best) { best = name }
        remaining.removeAll { $0.utf8.elementsEqual(best.utf8) }
        return best
    }
}
