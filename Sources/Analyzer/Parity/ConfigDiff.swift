import Foundation
import PermissionCatalog

/// One side of a diff as the evaluator needs it.
public struct DiffInput: Sendable {
    public let config: SecurityConfig
    public let catalog: Catalog
    public let settings: NodeSettings
    /// False for a cluster read through the Security REST API, which blanks every hash: password
    /// hashes are then not compared (the entry diff leaves `hash` out on both sides).
    public var hashesKnown: Bool

    public init(config: SecurityConfig, catalog: Catalog, settings: NodeSettings = NodeSettings(), hashesKnown: Bool = true) {
        self.config = config
        self.catalog = catalog
        self.settings = settings
        self.hashesKnown = hashesKnown
    }
}

/// Proves that two configurations decide every request alike, subject by subject, or finds a
/// request decided differently (issue 12).
///
/// Per subject, cluster-level actions are decided on each side by the evaluator. Index-level
/// actions are compared as sets of index names: for each action, the patterns the subject's roles
/// grant it on (templates rendered for the subject, date math at one fixed `now`), compared as
/// automata over all names. When both sides check the action alike (same node settings, DNFOF,
/// action kind, protected-role holding), equal sets mean equal decisions for every single index;
/// a difference is shown by the shortest names in it, each confirmed by the evaluator on both
/// sides before it is reported. Whatever cannot be decided this way is reported as undecided.
public struct ConfigDiff: Sendable {
    public var selection: DiffSubjectSelection = .all
    public var users: [String] = []
    /// Witnesses kept per subject (0: all); every differing action is still counted.
    public var maxWitnesses = 10
    /// Whether each differing action's own verdict is worked out (`SubjectDiff.actionVerdicts`,
    /// which the HTML matrix shows): both ways (DST allows less, more) are then searched for every
    /// action. Without it, an action found differing one way is not searched the other way once
    /// the subject's verdict is settled; the verdicts, the differing actions and their count are
    /// the same, with fewer witnesses for actions that differ both ways.
    public var perActionVerdicts = true
    /// Backend-role combinations compared at most (`DiffCombinations`); beyond it the verdict is undecided.
    public var combinationLimit = DiffCombinations.limit
    public var now: Date

    /// Subjects (and role sets) each side's evaluator keeps prepared.
    static let evaluatorCacheLimit = 64

    public init(now: Date = Date()) {
        self.now = now
    }

    public func compare(source: DiffInput, target: DiffInput) -> DiffResult {
        // Each subject is compared once, holding its prepared subjects (`SideSubject`): the
        // evaluators keep few (tables kept for every subject cost memory and allocator time).
        let sourceEvaluator = Evaluator(config: source.config, catalog: source.catalog, settings: source.settings, now: now,
                                        cacheLimit: Self.evaluatorCacheLimit, roleSetTables: .perBackendRole)
        let targetEvaluator = Evaluator(config: target.config, catalog: target.catalog, settings: target.settings, now: now,
                                        cacheLimit: Self.evaluatorCacheLimit, roleSetTables: .perBackendRole)
        let universe = ActionUniverse.actions(sourceEvaluator, targetEvaluator)
        var run = DiffRun(source: DiffSide(evaluator: sourceEvaluator, universe: universe),
                          target: DiffSide(evaluator: targetEvaluator, universe: universe), maxWitnesses: maxWitnesses,
                          perActionVerdicts: perActionVerdicts)
        var subjects = DiffSubjects.enumerate([sourceEvaluator.config, targetEvaluator.config], selection: selection, users: users)
        var combinations = DiffCombinations.Outcome()
        if users.isEmpty, selection != .internal, let placeholder = subjects.first(where: { $0.user == nil })?.evaluatedName {
            combinations = DiffCombinations.combinations(of: subjects, evaluators: [sourceEvaluator, targetEvaluator], placeholder: placeholder,
                                                           limit: combinationLimit)
            subjects += combinations.subjects
        }
        // Compared in an order that keeps subjects holding the same roles together (the roles'
        // data is then still in the processor's caches), reported in the order enumerated.
        var results = [DiffResult.SubjectDiff?](repeating: nil, count: subjects.count)
        for position in Self.localityOrder(subjects, sourceEvaluator.config, targetEvaluator.config) {
            results[position] = run.compare(subjects[position])
        }
        var differing: [DiffResult.SubjectDiff] = []
        var verdict = DiffResult.Verdict.equivalent
        for case let result? in results {
            verdict = verdict.combined(with: result.verdict)
            if result.verdict != .equivalent { differing.append(result) }
        }
        let settingsVerdict = SettingsComparison.verdict(source: sourceEvaluator.config.dynamic, target: targetEvaluator.config.dynamic)
        verdict = verdict.combined(with: settingsVerdict)
        // Combinations beyond the bound were not proved alike: never reported as equivalent.
        if combinations.omitted > 0 { verdict = verdict.combined(with: .undecided) }
        let entries = EntryDiff.compare(source: source, target: target)
        return DiffResult(sourceTarget: source.catalog.profile.name, targetTarget: target.catalog.profile.name, verdict: verdict,
                          subjects: differing, equivalentSubjects: subjects.count - differing.count, actionCount: universe.count,
                          entries: entries, settingsVerdict: settingsVerdict, combinationsNotCompared: combinations.omitted)
    }
}

extension ConfigDiff {
    /// Positions of `subjects` ordered by their backend roles (an internal user's from either
    /// side), then as enumerated: subjects sharing a backend role mostly share its mapped roles.
    static func localityOrder(_ subjects: [DiffSubject], _ source: SecurityConfig, _ target: SecurityConfig) -> [Int] {
        let keys = subjects.map { subject -> [String] in
            if subject.user != nil, let user = source.internalUsers[subject.evaluatedName] ?? target.internalUsers[subject.evaluatedName] {
                return user.backendRoles.map(\.value)
            }
            return subject.backendRoles
        }
        return subjects.indices.sorted { first, second in
            keys[first] != keys[second] ? keys[first].lexicographicallyPrecedes(keys[second]) : first < second
        }
    }
}

/// The actions compared: both catalogs' actions, the Dashboards saved-object actions (listed as
/// patterns in the catalog, `kibana:saved_objects/*/read|write`, but checked by these very names
/// against `tenant_permissions`), and every literal action named in either configuration (an exact
/// `cluster_permissions` / `allowed_actions` / group entry with a `:` that is not a group name
/// there: plugins' own actions the catalog does not know).
enum ActionUniverse {
    static func actions(_ evaluators: Evaluator...) -> [String] {
        var names = Set<String>()
        for evaluator in evaluators {
            names.formUnion(evaluator.catalog.actions.map(\.name))
            names.formUnion(evaluator.catalog.tenantActionNames)
            let config = evaluator.config
            var written = config.roles.values.flatMap { role in
                role.clusterPermissions.map(\.value) + role.indexPermissions.flatMap { $0.allowedActions.map(\.value) }
            }
            written += config.actionGroups.values.flatMap { $0.allowedActions.map(\.value) }
            for entry in written where entry.contains(":") && config.actionGroups[entry] == nil && Pattern(entry).isExact {
                names.insert(entry)
            }
        }
        return names.sorted()
    }
}

/// DNFOF changes the outcome of requests naming several indices (a partial grant passes filtered
/// instead of failing): turning it off narrows, on broadens (semantics §3).
enum SettingsComparison {
    static func verdict(source: DynamicSettings, target: DynamicSettings) -> DiffResult.Verdict {
        var verdict = DiffResult.Verdict.equivalent
        for (from, to) in [(source.doNotFailOnForbidden, target.doNotFailOnForbidden),
                           (source.doNotFailOnForbidden && source.doNotFailOnForbiddenEmpty, target.doNotFailOnForbidden && target.doNotFailOnForbiddenEmpty)]
        where from != to {
            verdict = verdict.combined(with: from ? .narrower : .broader)
        }
        return verdict
    }
}
