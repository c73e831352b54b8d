import PermissionCatalog

/// Index pattern texts shared by both sides of a diff: the same text gets the same id, so two
/// grant sets written alike compare as two sorted id lists without any automaton.
final class PatternTexts {
    private var ids: [String: Int32] = [:]
    private(set) var patterns: [Pattern] = []

    func id(_ text: String) -> Int32 {
        if let known = ids[text] { return known }
        let id = Int32(patterns.count)
        ids[text] = id
        patterns.append(Pattern(text))
        return id
    }

    func patterns(_ ids: [Int32]) -> [Pattern] { ids.map { patterns[Int($0)] } }
}

/// One side of a diff: an evaluator and, for each action of the compared universe, how that side
/// checks it.
final class DiffSide {
    let evaluator: Evaluator
    /// Universe position → position in this side's catalog action list of the action as checked
    /// (after renames such as auto_create → create); nil when the catalog does not list it.
    let catalogIDs: [Int?]
    let universe: [String]
    /// Universe position → the plan the evaluator uses.
    let plans: [ActionPlan]
    private var grantPatterns: [ObjectIdentifier: [Int32]] = [:]

    init(evaluator: Evaluator, universe: [String]) {
        self.evaluator = evaluator
        self.universe = universe
        let positions = Dictionary(evaluator.catalog.actions.map(\.name).enumerated().map { ($0.element, $0.offset) }) { first, _ in first }
        let plans = universe.map { evaluator.plans.plan(for: $0) }
        self.plans = plans
        catalogIDs = plans.map { positions[$0.name] }
    }

    /// The fixed (not per-subject) pattern ids of an index grant.
    private func fixedPatterns(_ grant: IndexGrant, _ texts: PatternTexts) -> [Int32] {
        let key = ObjectIdentifier(grant)
        if let known = grantPatterns[key] { return known }
        var ids: [Int32] = []
        if grant.matchesEverything { ids.append(texts.id("*")) }
        ids += grant.exactNames.map(texts.id)
        ids += grant.prefixes.map { texts.id($0 + "*") }
        ids += grant.others.map { texts.id($0.source) }
        grantPatterns[key] = ids
        return ids
    }

    /// For each universe action with index route here, the sorted distinct pattern ids the subject's
    /// roles grant it on (templates rendered for the subject, date math at the evaluator's `now`).
    /// `system:admin/system_index` counts only explicit grants (semantics §2.5), as the evaluator.
    func indexGrantSets(_ prepared: PreparedSubject, _ texts: PatternTexts) -> [[Int32]] {
        var sets = [[Int32]](repeating: [], count: universe.count)
        guard prepared.resolved.canAuthenticate else { return sets }
        let context = prepared.context
        let evaluator = self.evaluator
        let rule = evaluator.profile.explicitPrivilegeRule
        let catalogActions = evaluator.catalog.actions.count
        var universeOfCatalog = [[Int]](repeating: [], count: catalogActions)
        for (position, id) in catalogIDs.enumerated() where plans[position].route == .index && !plans[position].isSystemIndexPermission {
            if let id { universeOfCatalog[id].append(position) }
        }
        let uncatalogued = (0..<universe.count).filter { catalogIDs[$0] == nil && plans[$0].route == .index && !plans[$0].isSystemIndexPermission }
        let explicit = (0..<universe.count).filter { plans[$0].route == .index && plans[$0].isSystemIndexPermission }
        for role in context.roles {
            for grant in role.indexGrants {
                var ids = fixedPatterns(grant, texts)
                for template in grant.templates + grant.dateMath { ids.append(texts.id(context.render(template, evaluator: evaluator).source)) }
                guard !ids.isEmpty else { continue }
                for (word, bits) in grant.actionBits.words.enumerated() where bits != 0 {
                    var remaining = bits
                    while remaining != 0 {
                        let id = word * 64 + remaining.trailingZeroBitCount
                        remaining &= remaining - 1
                        guard id < catalogActions else { continue }
                        for position in universeOfCatalog[id] { sets[position] += ids }
                    }
                }
                for position in uncatalogued where grant.actions.grants(plans[position].name) { sets[position] += ids }
                for position in explicit where grant.actions.grantsExplicitly(plans[position].name, rule: rule) { sets[position] += ids }
            }
        }
        for position in sets.indices where sets[position].count > 1 { sets[position] = Array(Set(sets[position])).sorted() }
        return sets
    }
}
