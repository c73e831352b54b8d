import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// What a prepared subject shares with others and what stays its own: the tables of a role set
/// are built once for every subject holding it, the `${…}` templates are rendered per subject,
/// the role mapping gives every role once, sorted, with all its reasons, and the template
/// variables looked up one by one equal the whole dictionary.
@Suite("Subject preparation")
struct SubjectPreparationTests {
    func evaluator(_ roles: String, mapping: String, cacheLimit: Int = 100_000) throws -> Evaluator {
        let loader = ConfigLoader(profile: .default)
        var config = try loader.load(text: "_meta: {type: roles, config_version: 2}\n" + roles, name: "roles.yml").config
        config.roleMappings = try loader.load(text: "_meta: {type: rolesmapping, config_version: 2}\n" + mapping, name: "roles_mapping.yml").config.roleMappings
        return Evaluator(config: config, catalog: Catalog(), cacheLimit: cacheLimit)
    }

    /// An evaluator that keeps few subjects (as `diff`'s do) starts its caches over past the limit,
    /// and decides every request as one that keeps them all.
    @Test("a small cache limit: contexts and tables kept up to it, the same decisions past it")
    func cacheLimit() throws {
        let roles = "reader:\n  index_permissions:\n  - index_patterns: ['${user.name}-*']\n    allowed_actions: ['indices:data/read/search']\n"
        let e = try evaluator(roles, mapping: "reader:\n  users: ['*']\n", cacheLimit: 2)
        func subject(_ name: String) -> ResolvedSubject {
            ResolvedSubject(subject: Subject(name: name, backendRoles: []), subjectNotes: [], canAuthenticate: true)
        }
        let alice = e.prepare(subject("alice")), bob = e.prepare(subject("bob"))
        #expect(e.prepare(subject("alice")).context === alice.context)
        // A third subject reaches the limit: the caches start over, alice is prepared anew.
        let carol = e.prepare(subject("carol"))
        #expect(e.prepare(subject("alice")).context !== alice.context)
        for (prepared, own) in [(alice, "alice-1"), (bob, "bob-1"), (carol, "carol-1")] {
            #expect(e.outcome(prepared, action: "indices:data/read/search", indices: [own]) == .allow)
            #expect(e.outcome(prepared, action: "indices:data/read/search", indices: ["dave-1"]) == .deny)
        }
    }

    /// §3 (`UserAttributes`): `${…}` is replaced by the subject's own attribute values before the
    /// pattern is read, so two users holding the same roles get different index patterns.
    @Test("two subjects with the same role set share its tables but not their rendered templates (§3)")
    func sameRolesDifferentAttributes() throws {
        let roles = """
            dept_reader:
              index_permissions:
              - index_patterns: ['dept-${attr.internal.dept}-*', 'shared-*']
                allowed_actions: ['indices:data/read/search']
            own:
              index_permissions:
              - index_patterns: ['${user.name}-notes', '/svc-[0-9]+/']
                allowed_actions: ['indices:data/read/search']
            """
        let e = try evaluator(roles, mapping: "dept_reader:\n  backend_roles: [staff]\nown:\n  backend_roles: [staff]\n")
        let alice = e.prepare(ResolvedSubject(subject: Subject(name: "alice", backendRoles: ["staff"], attributes: ["attr.internal.dept": "hr"]),
                                              subjectNotes: [], canAuthenticate: true))
        let bob = e.prepare(ResolvedSubject(subject: Subject(name: "bob", backendRoles: ["staff"], attributes: ["attr.internal.dept": "it"]),
                                            subjectNotes: [], canAuthenticate: true))
        #expect(alice.context.tables === bob.context.tables)
        let search = "indices:data/read/search"
        func outcome(_ subject: PreparedSubject, _ index: String) -> Decision.Outcome {
            e.outcome(subject, action: search, indices: [index])
        }
        #expect(outcome(alice, "dept-hr-1") == .allow)
        #expect(outcome(alice, "dept-it-1") == .deny)
        #expect(outcome(bob, "dept-it-1") == .allow)
        #expect(outcome(bob, "dept-hr-1") == .deny)
        #expect(outcome(alice, "alice-notes") == .allow)
        #expect(outcome(alice, "bob-notes") == .deny)
        #expect(outcome(bob, "bob-notes") == .allow)
        // The shared part answers the same for both.
        #expect(outcome(alice, "shared-x") == .allow)
        #expect(outcome(bob, "svc-12") == .allow)
        #expect(outcome(bob, "svc-x") == .deny)
        // Preparing alice again finds the same context; her templates were rendered for her alone.
        #expect(e.prepare(alice.resolved).context === alice.context)
        #expect(alice.context.render("dept-${attr.internal.dept}-*", evaluator: e).source == "dept-hr-*")
        #expect(bob.context.render("dept-${attr.internal.dept}-*", evaluator: e).source == "dept-it-*")
    }

    /// §4 (`ConfigurableRoleMapper`): a role appears once, with every rule that maps it, and roles
    /// are listed by name; mappings to roles that do not exist are kept as missing.
    @Test("mapped roles come sorted, once each, with every reason (§4)")
    func mappingOrderAndReasons() throws {
        let roles = "b_role: {}\nc_role: {}\na_role: {}\n"
        let mapping = """
            c_role:
              users: [u]
              backend_roles: [x, 'y*']
            a_role:
              backend_roles: [y1]
            b_role:
              hosts: ['10.*']
            ghost:
              users: [u]
            """
        let e = try evaluator(roles, mapping: mapping)
        let subject = Subject(name: "u", backendRoles: ["y1", "x", "z"], host: "10.0.0.1")
        let mapped = e.mapper.map(subject)
        #expect(mapped.map(\.name) == ["a_role", "b_role", "c_role", "ghost"])
        #expect(mapped.map(\.exists) == [true, true, true, false])
        #expect(mapped[2].reasons == [MappingReason(rule: .user, patterns: ["u"], matched: ["u"]),
                                      MappingReason(rule: .backendRole, patterns: ["x", "y*"], matched: ["y1", "x"])])
        #expect(mapped[1].reasons == [MappingReason(rule: .host, patterns: ["10.*"], matched: ["10.0.0.1"])])
        // A direct security role joins them in name order, with its own reason first.
        var direct = subject
        direct.securityRoles = ["c_role", "aa_role"]
        let withDirect = e.mapper.map(direct)
        #expect(withDirect.map(\.name) == ["a_role", "aa_role", "b_role", "c_role", "ghost"])
        #expect(withDirect[3].reasons.first == MappingReason(rule: .direct, patterns: ["c_role"], matched: ["u"]))
        #expect(withDirect[3].reasons.count == 3)
        #expect(e.mapper.map(Subject(name: "nobody")).isEmpty)
    }

    /// §3: the variables looked up one at a time are those of the whole dictionary.
    @Test("template variables looked up one by one equal the dictionary (§3)")
    func variablesLookup() {
        let subject = Subject(name: "alice", backendRoles: ["b2", "b1"],
                              attributes: ["attr.internal.dept": "hr", "attr.jwt.team": "blue", "plain": "p"],
                              securityRoles: ["own"])
        let values = UserAttributes.Values(subject: subject, mappedRoles: ["r2", "own", "r1"])
        let all = UserAttributes.variables(for: subject, mappedRoles: ["r2", "own", "r1"])
        #expect(all["user.securityRoles"] == "\"own\",\"r1\",\"r2\"")
        #expect(all["user_roles"] == "\"b2\",\"b1\"")
        #expect(all["attr_internal_dept"] == "hr")
        for (name, value) in all { #expect(values.value(name) == value, "\(name)") }
        #expect(values.value("attr.internal.missing") == nil)
        #expect(values.value("user") == nil)
        let template = "${user.name}-${attr_jwt_team}-${user.roles}-${nope}-${attr.internal.dept}"
        #expect(UserAttributes.substitute(template, defaults: false, value: values.value) == UserAttributes.substitute(template, all))
        #expect(UserAttributes.substitute(template, defaults: false, value: values.value) == "alice-blue-\"b2\",\"b1\"-${nope}-hr")
    }

    /// §6 (`IndexPrivileges`, role → action → index pattern): a role set grants what any of its
    /// roles grants, so the set's name and prefix tables are the union of each role's. Each role's
    /// names are hashed and merged per name once (``RoleTableParts``); the set only adds them up.
    /// Breaking the union (a later role overwriting a shared name's actions, or the prefix
    /// lengths and first bytes taken from one role only) fails this test.
    @Test("a role set's tables are the union of its roles' hashed names and prefixes (§6)")
    func roleSetTablesAreTheUnionOfRoleParts() throws {
        let roles = """
            a:
              index_permissions:
              - index_patterns: ['logs-1', 'team-*']
                allowed_actions: ['indices:data/read/search']
              - index_patterns: ['logs-1']
                allowed_actions: ['indices:data/write/index']
            b:
              index_permissions:
              - index_patterns: ['logs-1', 'team-*', 'other', 'x*']
                allowed_actions: ['indices:data/read/get']
            """
        let e = try evaluator(roles, mapping: "a:\n  backend_roles: [ra, both]\nb:\n  backend_roles: [rb, both]\n")
        func subject(_ backendRole: String) -> PreparedSubject {
            e.prepare(ResolvedSubject(subject: Subject(name: "u-" + backendRole, backendRoles: [backendRole]), subjectNotes: [], canAuthenticate: true))
        }
        let both = subject("both"), onlyA = subject("ra"), onlyB = subject("rb")
        // Role a names logs-1 in two grants: one entry with both grants' actions.
        let a = e.compiledRoles(["a"])
        #expect(a.map(\.tableParts.exact.count) == [1])
        #expect(a.map(\.tableParts.prefixes.count) == [1])
        // The role's parts are made once and shared by every set holding it.
        #expect(e.compiledRoles(["a"]).first === a.first)
        let search = "indices:data/read/search", get = "indices:data/read/get", write = "indices:data/write/index"
        func outcome(_ subject: PreparedSubject, _ action: String, _ index: String) -> Decision.Outcome {
            e.outcome(subject, action: action, indices: [index])
        }
        var seen: [String] = []
        for (action, index) in [(search, "logs-1"), (write, "logs-1"), (get, "logs-1"), (search, "team-x"), (get, "team-x"),
                                (write, "team-x"), (get, "other"), (search, "other"), (get, "xyz"), (search, "xyz")] {
            seen.append("\(outcome(both, action, index)) \(outcome(onlyA, action, index)) \(outcome(onlyB, action, index))")
        }
        #expect(seen == ["allow allow deny", "allow allow deny", "allow deny allow", "allow allow deny", "allow deny allow",
                         "deny deny deny", "allow deny allow", "deny deny deny", "allow deny allow", "deny deny deny"])
        #expect(both.context.tables !== onlyA.context.tables)
    }
}
