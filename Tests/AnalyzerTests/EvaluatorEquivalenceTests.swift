import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// The evaluator answers from precomputed tables, per-subject caches and shortcuts. These tests
/// hold it against a deliberately naive reading of the rules (§2.2–§3 of
/// shared/reference/opensearch-security-semantics.md) on thousands of generated requests: any
/// shortcut that changes a decision fails here.
@Suite("Evaluator against a naive oracle")
struct EvaluatorEquivalenceTests {
    /// The rules read straight off the role definitions, with no table, cache or shortcut, and
    /// none of the evaluator's own facts: the role mapping, the renames, the cluster-action rule,
    /// the sub-actions and the DNFOF list are written here again from the semantics reference
    /// (shared/reference/opensearch-security-semantics.md, sections named at each), for the
    /// default profile (the newest OpenSearch, legacy evaluator). Only the pattern matcher is
    /// shared; PatternTests hold it to §2.1.
    /// A cluster action needs a cluster_permissions entry (groups resolved) that matches it; an
    /// index cell needs one index_permissions entry whose allowed_actions match the action and one
    /// of whose index patterns (templates substituted, date math resolved) matches the index.
    final class Oracle {
        let config: SecurityConfig
        let now: Date

        init(config: SecurityConfig, now: Date) {
            self.config = config
            self.now = now
        }

        /// §2.4: renamed before checking.
        static func rename(_ action: String) -> String {
            switch action {
            case "indices:admin/auto_create": "indices:admin/create"
            case "indices:admin/mapping/auto_put": "indices:admin/mapping/put"
            default: action.hasPrefix("internal:indices/admin/upgrade") ? "indices:admin/upgrade" : action
            }
        }

        /// §2.3, `isClusterPerm` of the 3.6+ legacy evaluator.
        static func isCluster(_ action: String) -> Bool {
            let prefixes = ["cluster:", "indices:admin/template/", "indices:admin/index_template/", "indices:data/read/scroll",
                            "indices:data/read/msearch"]
            let names = ["indices:data/write/bulk", "indices:data/read/mget", "indices:data/read/mtv", "indices:data/write/reindex",
                         "indices:data/read/search/template/render"]
            return prefixes.contains(where: action.hasPrefix) || names.contains(action) || !action.hasPrefix("indices:")
        }

        /// §2.3: the index actions the sub-requests of multi-item actions are checked with.
        static let subRequests: [String: String] = [
            "indices:data/write/bulk": "indices:data/write/bulk[s]", "indices:data/read/mget": "indices:data/read/mget[shard]",
            "indices:data/read/mtv": "indices:data/read/mtv[shard]", "indices:data/read/msearch": "indices:data/read/search",
            "indices:data/read/msearch/template": "indices:data/read/search",
        ]

        /// §3: `DNFOF_MATCHER` on main (the 2.11 list plus 2.15's aliases/get).
        static let dnfof = ["indices:data/read/*", "indices:admin/mappings/fields/get*", "indices:admin/shards/search_shards",
                            "indices:admin/resolve/index", "indices:monitor/settings/get", "indices:monitor/stats",
                            "indices:admin/aliases/get"].map(Pattern.init)

        /// §4, MAPPING_ONLY: the user's own security roles plus every mapping with a user pattern
        /// matching the name, a backend_roles pattern matching a backend role, all of its
        /// and_backend_roles patterns matching, or a hosts pattern matching the host; mappings to
        /// roles that do not exist are ignored.
        func roles(of subject: Subject) -> [String] {
            var held = Set(subject.securityRoles)
            for (role, mapping) in config.roleMappings {
                let users = mapping.users.map { Pattern($0.value) }, any = mapping.backendRoles.map { Pattern($0.value) }
                let all = mapping.andBackendRoles.map { Pattern($0.value) }, hosts = mapping.hosts.map { Pattern($0.value) }
                if users.contains(where: { $0.matches(subject.name) })
                    || any.contains(where: { pattern in subject.backendRoles.contains(where: pattern.matches) })
                    || (!all.isEmpty && all.allSatisfy { pattern in subject.backendRoles.contains(where: pattern.matches) })
                    || subject.host.map({ host in hosts.contains { $0.matches(host) } }) == true {
                    held.insert(role)
                }
            }
            return held.filter { config.roles[$0] != nil }.sorted()
        }

        /// §2.2: entries plus everything reachable through exact group names; cycles end.
        func resolve(_ entries: [String]) -> [String] {
            var seen = Set<String>(), pending = entries
            while let entry = pending.popLast() {
                guard seen.insert(entry).inserted else { continue }
                pending += config.actionGroups[entry]?.allowedActions.map(\.value) ?? []
            }
            return Array(seen)
        }

        /// Resolved entry lists, remembered only to keep a debug-build test quick.
        var resolved: [[String]: [Pattern]] = [:]

        func grants(_ entries: [Located<String>], _ action: String) -> Bool {
            let written = entries.map(\.value)
            let patterns = resolved[written] ?? resolve(written).map(Pattern.init)
            resolved[written] = patterns
            return patterns.contains { $0.matches(action) }
        }

        /// §3: `${user.name}` / `${user_name}` and attributes (`${attr.internal.x}` /
        /// `${attr_internal_x}`) replaced as written, before the pattern is read; date math resolved.
        /// (The generated roles use no other variable.)
        func indexPattern(_ text: String, subject: Subject) -> Pattern {
            if DateMath.isExpression(text) {
                guard case .success(let resolved) = DateMath.resolve(text, now: now) else { return Pattern("") }
                return Pattern(resolved)
            }
            var rendered = text.replacingOccurrences(of: "${user.name}", with: subject.name)
                .replacingOccurrences(of: "${user_name}", with: subject.name)
            for (key, value) in subject.attributes {
                rendered = rendered.replacingOccurrences(of: "${\(key)}", with: value)
                    .replacingOccurrences(of: "${\(key.replacingOccurrences(of: ".", with: "_"))}", with: value)
            }
            return Pattern(rendered)
        }

        func cluster(roles: [String], action: String) -> Bool {
            roles.contains { config.roles[$0].map { grants($0.clusterPermissions, action) } ?? false }
        }

        func cell(subject: Subject, roles: [String], action: String, index: String) -> Bool {
            roles.contains { name in
                config.roles[name]?.indexPermissions.contains { entry in
                    grants(entry.allowedActions, action)
                        && entry.indexPatterns.contains { indexPattern($0.value, subject: subject).matches(index) }
                } ?? false
            }
        }

        /// The expected outcome and allowed indices of a request without cluster metadata.
        func expect(subject: Subject, action asked: String, indices: [String]) -> (Decision.Outcome, [String]) {
            let roles = roles(of: subject)
            let action = Self.rename(asked)
            var indexActions = [action]
            if Self.isCluster(action) {
                // Multi-item actions are checked again per target index with their shard-level action (§2.3–2.4).
                guard cluster(roles: roles, action: action) else { return (.deny, []) }
                guard let subAction = Self.subRequests[action], !indices.isEmpty else { return (.allow, []) }
                indexActions = [subAction]
            }
            var names: [String] = []
            for index in indices where !names.contains(index) { names.append(index) }
            let allowed = names.filter { index in
                indexActions.allSatisfy { cell(subject: subject, roles: roles, action: $0, index: index) }
            }
            if allowed.count == names.count { return (.allow, names) }
            let dynamic = config.dynamic
            if dynamic.doNotFailOnForbidden, indexActions.allSatisfy({ action in Self.dnfof.contains { $0.matches(action) } }),
               !allowed.isEmpty || dynamic.doNotFailOnForbiddenEmpty {
                return (.partial, allowed)
            }
            return (.deny, allowed)
        }
    }

    /// A generated configuration with extra roles for what the generator does not write: date
    /// math, a regex with a group, an underscore template, an unknown action pattern, `*` grants.
    static func configuration(doNotFailOnForbidden: Bool) -> SecurityConfig {
        var size = SyntheticConfig.Size()
        size.roles = 150
        size.patterns = 1_500
        size.users = 300
        size.actionGroups = 40
        size.backendRoles = 40
        var config = SyntheticConfig(size: size, seed: 7).config
        let here = SourceLocation(file: "<test>", line: 1)
        func located(_ values: [String]) -> [Located<String>] { values.map { Located($0, at: here) } }
        let extra: [(String, [String], [String], [String])] = [
            ("dated", ["<logs-{now/d}>", "<audit-{now/M{yyyy.MM}}>"], ["read"], ["br_1"]),
            ("regex_group", ["/(svc|ops)-[0-9]+-.*/"], ["indices:data/read/*", "indices:data/write/index"], ["br_2"]),
            ("underscore", ["home-${user_name}", "dept-${attr_internal_dept}-*"], ["crud"], ["br_3"]),
            ("custom_actions", ["app-1*"], ["indices:data/read/custom*"], ["br_4"]),
            ("star_reader", ["*"], ["indices:data/read/get"], ["br_5"]),
            ("star_everything", ["team7-*"], ["*"], ["br_6"]),
        ]
        for (name, patterns, actions, backend) in extra {
            let cluster = name == "star_everything" ? ["*"] : ["cluster:admin/custom/*"]
            config.roles[name] = Role(name: name, location: here, clusterPermissions: located(cluster),
                                      indexPermissions: [IndexPermission(location: here, indexPatterns: located(patterns), allowedActions: located(actions))])
            config.roleMappings[name] = RoleMapping(roleName: name, location: here, backendRoles: located(backend))
        }
        config.dynamic.doNotFailOnForbidden = doNotFailOnForbidden
        return config
    }

    /// Requests mixing catalog and unknown actions, renamed actions, one to three indices, names
    /// the patterns were written for, dot-names and near misses.
    static func requests(count: Int, users: Int, now: Date) -> [(String, String, [String])] {
        var random = SyntheticConfig.Random(state: 99)
        let day = DateMath.resolve("<logs-{now/d}>", now: now)
        let month = DateMath.resolve("<audit-{now/M{yyyy.MM}}>", now: now)
        let actions = SyntheticConfig.indexActions + SyntheticConfig.clusterActions
            + ["indices:admin/auto_create", "indices:data/read/custom_read", "cluster:admin/custom/thing", "indices:monitor/settings/get"]
        return (0..<count).map { _ in
            let user = "user_\(random.below(users))"
            let action = random.pick(actions)
            let indices: [String] = (0..<(1 + random.below(3))).map { _ in
                let n = random.below(2_000)
                switch random.below(12) {
                case 0: return "app-\(n)-logs"
                case 1: return "team\(n % 400)-\(n)"
                case 2: return "x-\(n)-2\(n % 10)"
                case 3: return "\(user)-notes"
                case 4: return "svc-\(n % 100)-\(n)"
                case 5: return "dept-d\(random.below(50))-\(n % 20)"
                case 6: return "home-\(user)"
                case 7: return (try? day.get()) ?? "logs"
                case 8: return (try? month.get()) ?? "audit"
                case 9: return "ops-\(n)-x"
                case 10: return ".hidden-\(n % 5)"
                default: return "team7-\(n)"
                }
            }
            return (user, action, SyntheticConfig.clusterActions.contains(action) && random.below(2) == 0 ? [] : indices)
        }
    }

    @Test("decisions equal the naive oracle on generated requests, with and without DNFOF (§2.2–§3)", arguments: [false, true])
    func generated(doNotFailOnForbidden: Bool) throws {
        let config = Self.configuration(doNotFailOnForbidden: doNotFailOnForbidden)
        var settings = NodeSettings()
        settings.systemIndicesEnabled = true
        settings.systemIndices = [".kibana_*", ".plugins-ml-*"]
        let evaluator = Evaluator(config: config, catalog: Catalog(), settings: settings)
        let oracle = Oracle(config: config.withStatics(from: evaluator.catalog).config, now: evaluator.now)
        var prepared: [String: PreparedSubject] = [:]
        var outcomes: [Decision.Outcome: Int] = [:]
        var disagreements: [String] = []
        for (user, action, indices) in Self.requests(count: 3_000, users: 300, now: evaluator.now) {
            if prepared[user] == nil {
                prepared[user] = evaluator.prepare(try SubjectResolver.resolve(SubjectRequest(user: user), config: evaluator.config))
            }
            let subject = prepared[user]!
            let lean = evaluator.evaluate(subject, action: action, indices: indices, explain: false)
            let explained = evaluator.evaluate(subject, action: action, indices: indices, explain: true)
            let (outcome, allowed) = oracle.expect(subject: subject.resolved.subject, action: action, indices: indices)
            #expect(oracle.roles(of: subject.resolved.subject) == explained.roles.map(\.name), "roles of \(user)")
            outcomes[outcome, default: 0] += 1
            for decision in [lean, explained] where decision.outcome != outcome || (outcome != .deny && decision.allowedIndices != allowed) {
                disagreements.append("\(user) \(action) \(indices): expected \(outcome) \(allowed), got \(decision.outcome) \(decision.allowedIndices)")
            }
            if explained.outcome == .deny {
                #expect(explained.forbiddenMessage != nil)
                #expect(!explained.fix.isEmpty)
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, first: \(disagreements.prefix(5).joined(separator: "\n"))")
        // The generated requests must exercise every outcome the setting allows, or this test proves little.
        #expect((outcomes[.allow] ?? 0) > 300)
        #expect((outcomes[.deny] ?? 0) > 300)
        #expect(doNotFailOnForbidden ? (outcomes[.partial] ?? 0) > 50 : outcomes[.partial] == nil)
    }

    /// The privilege index the evaluator uses (tables, name tables, pattern masks) answers every
    /// cluster and index question as the plain walk over the roles' entries does, on generated
    /// configurations of different seeds.
    @Test("the tabled privilege index answers as the plain one on generated configurations", arguments: [7, 23])
    func privilegeIndexes(seed: Int) throws {
        var config = Self.configuration(doNotFailOnForbidden: false)
        if seed != 7 {
            var size = SyntheticConfig.Size()
            size.roles = 120
            size.patterns = 1_000
            size.users = 200
            size.actionGroups = 30
            size.backendRoles = 30
            config = SyntheticConfig(size: size, seed: UInt64(seed)).config
        }
        let evaluator = Evaluator(config: config, catalog: Catalog())
        let tabled = TabledPrivileges(), plain = PlainPrivileges()
        var contexts: [String: SubjectContext] = [:]
        var granted = 0, clusterGranted = 0, disagreements: [String] = []
        for (user, action, indices) in Self.requests(count: 2_000, users: 200, now: evaluator.now) {
            if contexts[user] == nil {
                contexts[user] = evaluator.context(for: try SubjectResolver.resolve(SubjectRequest(user: user), config: evaluator.config).subject)
            }
            let context = try #require(contexts[user])
            let plan = evaluator.plans.plan(for: action)
            for candidate in [plan] + plan.subActions {
                let cluster = tabled.grantsCluster(candidate, subject: context)
                if cluster { clusterGranted += 1 }
                if cluster != plain.grantsCluster(candidate, subject: context) {
                    disagreements.append("cluster \(user) \(candidate.name): tables say \(cluster)")
                }
                for index in indices {
                    let answer = tabled.grants(candidate, on: index, subject: context, evaluator: evaluator)
                    if answer { granted += 1 }
                    if answer != plain.grants(candidate, on: index, subject: context, evaluator: evaluator) {
                        disagreements.append("\(user) \(candidate.name) on \(index): tables say \(answer)")
                    }
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, first: \(disagreements.prefix(5).joined(separator: "\n"))")
        // Both answers must occur often, or agreeing proves little.
        #expect(granted > 200)
        #expect(clusterGranted > 100)
    }

    /// A subject's grant patterns are kept per action as bitmasks over its distinct patterns, 64
    /// to a word; with more than 64 patterns the later words must be read too. Checked against a
    /// plain loop over the grants.
    @Test("per-action pattern masks answer as a loop over every grant, past 64 patterns")
    func manyGrants() {
        var random = SyntheticConfig.Random(state: 11)
        let actionCount = 20
        let grants: [(actions: BitSet, patterns: [Pattern])] = (0..<200).map { _ in
            var bits = BitSet(capacity: actionCount)
            for _ in 0..<(1 + random.below(4)) { bits.insert(random.below(actionCount)) }
            let patterns = (0..<(1 + random.below(2))).map { _ in Pattern("*-\(random.below(400))-?") }
            return (bits, patterns)
        }
        let matching = MatchingPatterns(grants)
        var hits = 0
        for _ in 0..<3_000 {
            let action = random.below(actionCount + 10)
            let name = "x-\(random.below(400))-\(random.below(10))"
            let expected = grants.contains { $0.actions.contains(action) && $0.patterns.contains { $0.matches(name) } }
            if expected { hits += 1 }
            #expect(matching.covers(actionID: action, name: name) == expected, "action \(action) on \(name)")
        }
        #expect(hits > 100)
    }
}
