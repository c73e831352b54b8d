import Dispatch
import Foundation
import PermissionCatalog
import Synchronization
import Testing
@testable import Analyzer

/// The evaluator compiles a role, and builds the tables of a role set, the first time a subject
/// holds them. These tests hold that to the same decisions as compiling everything first, whatever
/// order and threads subjects come in, and check what an unused broken role may and may not change.
@Suite("Roles compiled when first held")
struct LazyRoleCompileTests {
    /// Every role compiled before the first subject, subjects prepared one by one in request order:
    /// what a decision is whatever is compiled when.
    static func eager(_ config: SecurityConfig, settings: NodeSettings) -> Evaluator {
        let evaluator = Evaluator(config: config, catalog: Catalog(), settings: settings)
        _ = evaluator.compiledRoles(evaluator.config.roles.keys)
        return evaluator
    }

    @Test("a lazily compiled evaluator decides every generated request as one that compiled every role first")
    func lazyEqualsEager() throws {
        let config = EvaluatorEquivalenceTests.configuration(doNotFailOnForbidden: true)
        var settings = NodeSettings()
        settings.systemIndicesEnabled = true
        settings.systemIndices = [".kibana_*", ".plugins-ml-*"]
        let eager = Self.eager(config, settings: settings)
        let lazy = Evaluator(config: config, catalog: Catalog(), settings: settings, now: eager.now)
        #expect(lazy.roles.compiledCount == 0)
        let requests = EvaluatorEquivalenceTests.requests(count: 1_500, users: 300, now: eager.now)
        let users = Array(Set(requests.map(\.0))).sorted()
        // The lazy side prepares its subjects on four threads, last user first.
        let resolved = try users.map { try SubjectResolver.resolve(SubjectRequest(user: $0), config: lazy.config) }
        let preparedLazily = Mutex<[String: PreparedSubject]>([:])
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for position in stride(from: resolved.count - 1 - thread, through: 0, by: -4) {
                let subject = lazy.prepare(resolved[position])
                preparedLazily.withLock { $0[resolved[position].subject.name] = subject }
            }
        }
        let lazySubjects = preparedLazily.withLock { $0 }
        var differences: [String] = [], outcomes = Set<Decision.Outcome>()
        for (user, action, indices) in requests {
            let subject = try #require(lazySubjects[user])
            let expected = eager.evaluate(try SubjectResolver.resolve(SubjectRequest(user: user), config: eager.config), action: action, indices: indices)
            let decided = lazy.evaluate(subject, action: action, indices: indices)
            outcomes.insert(decided.outcome)
            if decided != expected { differences.append("\(user) \(action) \(indices): \(decided.outcome) vs \(expected.outcome)") }
            #expect(lazy.outcome(subject, action: action, indices: indices) == expected.outcome)
        }
        #expect(differences.isEmpty, "\(differences.count) differences, first: \(differences.prefix(3))")
        #expect(outcomes == [.allow, .deny, .partial])
        // Each role was compiled once and is shared: what two threads raced for is kept once.
        let names = lazy.config.roles.keys
        let first = lazy.compiledRoles(names), again = lazy.compiledRoles(names)
        #expect(zip(first, again).allSatisfy { $0 === $1 })
        #expect(first.count == names.count)
    }

    @Test("only the roles a subject holds are compiled")
    func onlyHeldRolesCompiled() throws {
        let config = EvaluatorEquivalenceTests.configuration(doNotFailOnForbidden: false)
        let evaluator = Evaluator(config: config, catalog: Catalog())
        let subject = try SubjectResolver.resolve(SubjectRequest(user: "user_3"), config: evaluator.config)
        let prepared = evaluator.prepare(subject)
        let held = prepared.context.held.map(\.name)
        #expect(!held.isEmpty)
        _ = evaluator.evaluate(prepared, action: "indices:data/read/search", indices: ["app-1-logs"])
        #expect(evaluator.roles.compiledCount == held.count)
        // A second subject with the same roles shares the first one's tables.
        let twin = evaluator.prepare(ResolvedSubject(subject: Subject(name: "twin", securityRoles: held), subjectNotes: [], canAuthenticate: true))
        #expect(twin.context.tables === prepared.context.tables)
    }

    /// A role no subject holds, written with everything the plugin drops entry by entry rather than
    /// refusing the configuration (semantics §2.1: an invalid regex is logged and its entry skipped;
    /// §2.2: an unknown group name stays a literal; §3: a template with an unknown variable stays
    /// literal, a date-math expression that does not resolve matches nothing).
    static let brokenRole = Role(
        name: "broken", location: SourceLocation(file: "roles.yml", line: 1),
        clusterPermissions: [Located("/[unclosed/", at: SourceLocation(file: "roles.yml", line: 2)), Located("no_such_group", at: SourceLocation(file: "roles.yml", line: 3))],
        indexPermissions: [IndexPermission(location: SourceLocation(file: "roles.yml", line: 4),
                                           indexPatterns: ["/(oops/", "<logs-{now/x}>", "${attr.internal.nothing}-*", "app-1-logs"].map { Located($0, at: SourceLocation(file: "roles.yml", line: 5)) },
                                           allowedActions: ["/*bad/", "read"].map { Located($0, at: SourceLocation(file: "roles.yml", line: 6)) })])

    @Test("an unmapped broken role changes no decision; held, it grants exactly its valid entries (§2.1, §2.2, §3)")
    func unmappedBrokenRole() throws {
        let base = EvaluatorEquivalenceTests.configuration(doNotFailOnForbidden: false)
        var withBroken = base
        withBroken.roles["broken"] = Self.brokenRole
        let clean = Evaluator(config: base, catalog: Catalog())
        let broken = Evaluator(config: withBroken, catalog: Catalog(), now: clean.now)
        for (user, action, indices) in EvaluatorEquivalenceTests.requests(count: 600, users: 300, now: clean.now) {
            let request = SubjectRequest(user: user)
            let expected = clean.evaluate(try SubjectResolver.resolve(request, config: clean.config), action: action, indices: indices)
            #expect(broken.evaluate(try SubjectResolver.resolve(request, config: broken.config), action: action, indices: indices) == expected)
        }
        #expect(broken.roles.compiledCount < withBroken.roles.count)
        // Held, the role grants `read` on app-1-logs and nothing through its broken entries.
        let holder = broken.prepare(ResolvedSubject(subject: Subject(name: "h", securityRoles: ["broken"]), subjectNotes: [], canAuthenticate: true))
        #expect(broken.outcome(holder, action: "indices:data/read/search", indices: ["app-1-logs"]) == .allow)
        #expect(broken.outcome(holder, action: "indices:data/read/search", indices: ["(oops"]) == .deny)
        #expect(broken.outcome(holder, action: "indices:data/read/search", indices: ["logs-2024.01.01"]) == .deny)
        #expect(broken.outcome(holder, action: "indices:data/read/search", indices: ["${attr.internal.nothing}-1"]) == .allow)
        #expect(broken.outcome(holder, action: "cluster:monitor/health", indices: []) == .deny)
        #expect(broken.outcome(holder, action: "no_such_group", indices: []) == .allow)
    }

    /// What the plugin refuses to load is refused whether or not a subject holds the entry: a custom
    /// role named like a built-in one stops the configuration from loading before 3.4
    /// (security-layer-responses.md "Authentication failures", TargetProfile.staticNameClash). That
    /// is found on the configuration, not by compiling roles.
    @Test("an unmapped role the release refuses still stops the configuration from loading")
    func refusedUnmappedRole() throws {
        let profile = try #require(TargetProfile(parsing: "opensearch-2.11"))
        var config = EvaluatorEquivalenceTests.configuration(doNotFailOnForbidden: false)
        config.roles["kibana_user"] = Role(name: "kibana_user", location: SourceLocation(file: "roles.yml", line: 9),
                                           clusterPermissions: [Located("*", at: SourceLocation(file: "roles.yml", line: 10))])
        let errors = config.withStatics(from: Catalog(profile: profile)).diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.location) == [SourceLocation(file: "roles.yml", line: 9)])
        let cluster = try SimulatedCluster(documents: SecurityDocuments(config: config, passwordHashes: [:]), catalog: Catalog(profile: profile), adminDNs: [])
        #expect(cluster.initializationProblems.count == 1)
        #expect(cluster.initializationProblems.first?.message.contains("custom role 'kibana_user'") == true)
    }
}
