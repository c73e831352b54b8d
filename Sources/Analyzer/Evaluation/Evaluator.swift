import Foundation
import PermissionCatalog
import Synchronization

/// A resolved subject bound to one evaluator, with its roles already mapped. A class, so that
/// handing it to every evaluation costs one reference.
public final class PreparedSubject: Sendable {
    public let resolved: ResolvedSubject
    let context: SubjectContext

    init(resolved: ResolvedSubject, context: SubjectContext) {
        self.resolved = resolved
        self.context = context
    }
}

/// Decides requests the way the security plugin's default (legacy) privilege evaluator does, for
/// one configuration, profile, node settings and cluster state. Built once (groups flattened,
/// mappings indexed, action plans made), then shared: a decision costs a few hash lookups and
/// pattern matches. Roles are compiled, and the tables of a role set built, the first time a
/// subject holds them (tables and subjects are kept up to `cacheLimit`), so that a decision costs
/// what its subject's roles cost, not the whole file.
public final class Evaluator: Sendable {
    public let catalog: Catalog
    public let config: SecurityConfig
    public let settings: NodeSettings
    public let metadata: ClusterMetadata?
    let hasMetadata: Bool
    public let now: Date
    let profile: TargetProfile
    /// The profile's tenant rules, made once (each tenant decision reads them).
    let tenantEvaluation: TenantEvaluation
    let groups: FlattenedActionGroups
    /// The roles, compiled when first held.
    let roles: CompiledRoles
    let mapper: RoleMapper
    let special: SpecialIndexRules
    /// config.yml's `kibana` settings for the Dashboards-index step (TenantRules).
    let dashboards: DashboardsSettings
    let plans: ActionPlans
    /// Answers "does a held role grant this?" (the tables; PlainPrivileges says what they must answer).
    let privileges = TabledPrivileges()
    private let catalogCount: Int
    private let rendered = Mutex<[CodeUnitKey: Pattern]>([:])
    private let contexts = Mutex<[Subject: SubjectContext]>([:])
    /// Role set (names, sorted) → its tables.
    private let roleSetTables = Mutex<[[String]: PrivilegeTables]>([:])
    /// Group of roles (names, sorted) → its name tables (``RoleSetTables/perBackendRole``).
    private let groupTables = Mutex<[[String]: NameGrants]>([:])
    private let roleSetTableKind: RoleSetTables
    private let staticGroups = Mutex<[StaticGroupGrant]?>(nil)
    /// How many subjects' contexts, and role sets' tables, are kept for later requests before the
    /// caches start over.
    private let cacheLimit: Int

    /// `config` is the configuration as loaded; the profile's built-in entries are added here.
    /// `cacheLimit`: subjects (and role sets) whose preparation is kept; a caller that visits each
    /// subject once, holding its `PreparedSubject`, keeps few (a kept table it never asks for again
    /// costs memory and allocator time).
    public init(config: SecurityConfig, catalog: Catalog, settings: NodeSettings = NodeSettings(),
                metadata: ClusterMetadata? = nil, now: Date = Date(), cacheLimit: Int = 100_000, roleSetTables: RoleSetTables = .merged) {
        self.cacheLimit = cacheLimit
        roleSetTableKind = roleSetTables
        self.catalog = catalog
        profile = catalog.profile
        tenantEvaluation = catalog.profile.tenantEvaluation
        let merged = config.withStatics(from: catalog).config
        self.config = merged
        self.settings = settings
        self.metadata = metadata
        hasMetadata = metadata != nil
        self.now = now
        let groups = FlattenedActionGroups(merged.actionGroups)
        self.groups = groups
        let actions = catalog.actions.map(\.name)
        catalogCount = actions.count
        roles = CompiledRoles(merged.roles, actionSets: ActionSetCache(groups: groups, catalogActions: actions))
        mapper = RoleMapper(config: merged, resolution: settings.rolesMappingResolution)
        special = SpecialIndexRules(settings: settings, metadata: metadata)
        dashboards = DashboardsSettings(merged.dynamic)
        let actionIDs = Dictionary(actions.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        plans = ActionPlans(catalogActions: actions, otherNames: catalog.tenantActionNames,
                            actionIDs: actionIDs, profile: profile,
                            securityIndexRestoreEnabled: settings.restoreSecurityIndexEnabled)
    }

    /// How the name tables of a set of held roles are made (``PrivilegeTables``).
    public enum RoleSetTables: Sendable {
        /// One table merged per set: a build per set, then one lookup per question. For callers
        /// that ask many questions of each set (`check --batch`).
        case merged
        /// One table per group of the set's roles mapped through one backend role, and one of the
        /// others (``backendRoleGroups(_:)``), each shared by every set holding that group: a new
        /// set costs no build, a question a lookup per group. For callers that ask few questions
        /// of each of many sets (`secperm diff`).
        case perBackendRole
    }

    /// A built-in action group and the catalog actions it grants.
    typealias StaticGroupGrant = (name: String, type: String?, actions: Set<String>)

    /// Built-in action groups with the catalog actions each grants, smallest first (for fixes;
    /// expanded when a fix first asks).
    var staticGroupGrants: [StaticGroupGrant] {
        if let known = staticGroups.withLock({ $0 }) { return known }
        let expander = ActionExpander(catalog: catalog, groups: groups)
        let made: [StaticGroupGrant] = catalog.staticActionGroups
            .map { group -> StaticGroupGrant in (group.name, group.type, Set(expander.expand([group.name]).actions)) }
            .sorted { ($0.actions.count, $0.name) < ($1.actions.count, $1.name) }
        staticGroups.withLock { $0 = made }
        return made
    }

    // MARK: entry point

    public func evaluate(_ request: AccessRequest, explain: Bool = true) -> Decision {
        var run = Run(evaluator: self, context: context(for: request.subject), action: request.action, indices: request.indices, explain: explain)
        run.evaluate()
        return run.decision()
    }

    /// A subject whose roles are mapped once, for checking many requests of the same user.
    public func prepare(_ subject: ResolvedSubject) -> PreparedSubject {
        PreparedSubject(resolved: subject, context: context(for: subject.subject))
    }

    /// Evaluates for a resolved subject: its notes come first, and a user who cannot
    /// authenticate (disabled internal user) is refused before authorization (401, not 403).
    public func evaluate(_ subject: ResolvedSubject, action: String, indices: [String], explain: Bool = true) -> Decision {
        evaluate(prepare(subject), action: action, indices: indices, explain: explain)
    }

    /// `reasonsOnly`: an explained decision without the fix plan and the 403 text, for callers
    /// that show only why it was decided (the grant chain, the missing privilege, the notes).
    public func evaluate(_ prepared: PreparedSubject, action: String, indices: [String], explain: Bool = true,
                         reasonsOnly: Bool = false) -> Decision {
        var run = Run(evaluator: self, context: prepared.context, action: action, indices: indices, explain: explain)
        run.reasonsOnly = reasonsOnly
        run.evaluate()
        return decision(of: run, for: prepared.resolved)
    }

    /// The outcome alone, for callers that act on it without reading why (the same steps as
    /// `evaluate(_:action:indices:explain:)` with `explain: false`, without assembling a Decision).
    public func outcome(_ prepared: PreparedSubject, action: String, indices: [String]) -> Decision.Outcome {
        outcome(prepared.resolved, context: prepared.context, action: action, indices: indices)
    }

    private func outcome(_ resolved: ResolvedSubject, context: SubjectContext, action: String, indices: [String]) -> Decision.Outcome {
        guard resolved.canAuthenticate else { return .deny }
        var run = Run(evaluator: self, context: context, action: action, indices: indices, explain: false, records: false)
        run.evaluate()
        return run.outcome
    }

    /// A subject with its roles mapped but not prepared (no role-set tables): enough for tenant
    /// actions, whose decision reads the mapped role names, the roles' `tenant_permissions` as
    /// configured and the tenant settings (``TenantRules``).
    public final class TenantSubject: Sendable {
        let resolved: ResolvedSubject
        let context: SubjectContext

        init(resolved: ResolvedSubject, context: SubjectContext) {
            self.resolved = resolved
            self.context = context
        }
    }

    /// `subject` mapped for ``tenantOutcome(_:action:)``: a caller that decides nothing else for
    /// most subjects (`secperm diff`) saves their preparation.
    public func tenantSubject(_ subject: ResolvedSubject) -> TenantSubject {
        TenantSubject(resolved: subject, context: SubjectContext(subject: subject.subject, evaluator: self, withTables: false))
    }

    /// The subject prepared from its mapped roles (not kept for later requests: for a caller that
    /// holds the prepared subject while it needs it).
    public func prepare(_ subject: TenantSubject) -> PreparedSubject {
        PreparedSubject(resolved: subject.resolved, context: subject.context.withTables(self))
    }

    /// The outcome of a tenant action (`kibana:saved_objects/*/read|write`) as a prepared subject
    /// gets it; nil for an action on another route.
    public func tenantOutcome(_ subject: TenantSubject, action: String) -> Decision.Outcome? {
        guard plans.plan(for: action).route == .tenant else { return nil }
        return outcome(subject.resolved, context: subject.context, action: action, indices: [])
    }

    /// Index actions the plugin checks together on the same indices (e.g. `bulk[s]` with the bulk
    /// items' operations): one decision, whose 403 lists every missing action of the set.
    public func evaluate(_ prepared: PreparedSubject, indexActions actions: [String], indices: [String], explain: Bool = true) -> Decision {
        guard actions.count > 1 else { return evaluate(prepared, action: actions.first ?? "", indices: indices, explain: explain) }
        var run = Run(evaluator: self, context: prepared.context, action: actions[0], indices: indices, explain: explain)
        run.index(actions: actions.map(plans.plan(for:)), expressions: indices)
        return decision(of: run, for: prepared.resolved)
    }

    /// The run's decision with the subject's notes first; a user who cannot authenticate is refused.
    private func decision(of run: Run, for subject: ResolvedSubject) -> Decision {
        // Returned as built when nothing is added: a Decision is large, and a copy retains every field.
        guard (run.explain && !subject.subjectNotes.isEmpty) || !subject.canAuthenticate else { return run.decision() }
        var decision = run.decision()
        if run.explain, !subject.subjectNotes.isEmpty { decision.decisionNotes = subject.subjectNotes.map(DecisionNote.subject) + decision.decisionNotes }
        if !subject.canAuthenticate {
            decision.outcome = .deny
            decision.denial = .cannotAuthenticate
            decision.forbiddenMessage = nil
            decision.fix = [FixStep(section: .none, advice: .enableUser)]
        }
        return decision
    }

    /// The subject's roles and rendered patterns, kept for the next request of the same subject
    /// (up to `cacheLimit` subjects).
    func context(for subject: Subject) -> SubjectContext {
        if let cached = contexts.withLock({ $0[subject] }) { return cached }
        let context = SubjectContext(subject: subject, evaluator: self)
        contexts.withLock { cache in
            if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[subject] = context
        }
        return context
    }

    // MARK: shared lookups

    /// The concrete names of a request's index expressions (without copying the cluster
    /// metadata for the common plain-name case).
    func resolve(_ expressions: [String]) -> IndexResolution {
        if !hasMetadata, let plain = IndexResolution.plain(expressions) { return plain }
        return IndexResolution(expressions: expressions, metadata: metadata, now: now)
    }

    /// The roles of these names that exist, compiled.
    func compiledRoles(_ names: [String]) -> [CompiledRole] { roles.roles(names) }

    /// The tables of the roles held (sorted, existing), kept for every subject holding the same
    /// set (up to `cacheLimit` sets). Per backend-role group, only the groups' tables are kept: a
    /// set's own part is a few unions.
    func tables(for held: [MappedRole]) -> PrivilegeTables {
        let names = held.map(\.name)
        if roleSetTableKind == .perBackendRole {
            let groups = Self.backendRoleGroups(held)
            return PrivilegeTables(roles: roles.roles(names), catalogCount: catalogCount,
                                   names: groups.isEmpty ? [nameGrants(names)] : groups.map(groupNameGrants))
        }
        if let cached = roleSetTables.withLock({ $0[names] }) { return cached }
        let made = PrivilegeTables(roles: roles.roles(names), catalogCount: catalogCount, names: [nameGrants(names)])
        return roleSetTables.withLock { cache in
            if let kept = cache[names] { return kept }
            if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[names] = made
            return made
        }
    }

    private func nameGrants(_ names: [String]) -> NameGrants {
        NameGrants(roles: roles.roles(names), catalogCount: catalogCount, renderDateMath: { self.render($0, variables: [:]) })
    }

    /// The name tables of a group (``backendRoleGroups(_:)``), kept for every set holding it (up
    /// to `groupCacheLimit` groups).
    private func groupNameGrants(_ names: [String]) -> NameGrants {
        if let cached = groupTables.withLock({ $0[names] }) { return cached }
        let made = nameGrants(names)
        return groupTables.withLock { cache in
            if let kept = cache[names] { return kept }
            if cache.count >= Self.groupCacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[names] = made
            return made
        }
    }

    /// Groups kept: far more than a configuration's backend roles usually are.
    private static let groupCacheLimit = 4_096

    /// The held roles (sorted by name) in groups that other subjects share: per backend role, the
    /// roles a `backend_roles` entry maps through it (the same for every subject with that backend
    /// role), in backend-role order; then the roles held for any other reason (user, host,
    /// `and_backend_roles`, own roles). A role mapped through several backend roles is in each of
    /// their groups; together the groups hold every role.
    static func backendRoleGroups(_ held: [MappedRole]) -> [[String]] {
        var byBackendRole: [String: [String]] = [:], others: [String] = []
        for role in held {
            var grouped = false
            for reason in role.reasons where reason.rule == .backendRole {
                for backendRole in reason.matched { byBackendRole[backendRole, default: []].append(role.name) }
                grouped = true
            }
            if !grouped || role.reasons.contains(where: { $0.rule != .backendRole }) { others.append(role.name) }
        }
        var groups = byBackendRole.keys.sorted().compactMap { byBackendRole[$0] }
        if !others.isEmpty { groups.append(others) }
        return groups
    }

    /// A template or date-math index pattern rendered for the subject, cached by its rendered text.
    func render(_ template: String, variables: [String: String]) -> Pattern {
        render(template) { variables[$0] }
    }

    /// ``render(_:variables:)`` with each variable's value asked of `value` (``UserAttributes/Values``).
    func render(_ template: String, value: (String) -> String?) -> Pattern {
        var text = template
        if DateMath.isExpression(template) {
            guard case .success(let resolved) = DateMath.resolve(template, now: now) else { return Pattern("") }
            text = resolved
        } else {
            text = UserAttributes.substitute(template, defaults: profile.attributeDefaultValues, value: value)
        }
        if let cached = rendered.withLock({ $0[CodeUnitKey(text)] }) { return cached }
        let pattern = Pattern(text)
        rendered.withLock { $0[CodeUnitKey(text)] = pattern }
        return pattern
    }

    /// Names an index is matched under besides its own (§3, legacy): the aliases pointing at it and
    /// its data stream. Empty without cluster metadata.
    func otherMatchNames(_ index: String) -> [String] {
        guard let metadata else { return [] }
        var names = metadata.aliasesOfIndex[index] ?? []
        if let stream = metadata.parentDataStream[index] { names.append(stream) }
        return names
    }

    /// Names an index is matched under (§3, legacy): itself, the aliases pointing at it, its data stream.
    func matchNames(_ index: String) -> [String] {
        guard let metadata else { return [index] }
        var names = [index]
        names += metadata.aliasesOfIndex[index] ?? []
        if let stream = metadata.parentDataStream[index] { names.append(stream) }
        return names
    }
}
