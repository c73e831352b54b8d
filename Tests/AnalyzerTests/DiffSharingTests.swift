import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// What `DiffRun` works out once and reuses (each member's covering patterns, once per subject
/// and side; the analysis of a pair of grant sets, once per subject) must not carry one
/// subject's `${user.name}` rendering over to another: each user is compared on its own sets.
/// Semantics §2.1 (`WildcardMatcher`: `prefix*` matches every name starting with it, an exact
/// name only itself) and `UserAttributes.replaceProperties` (`${user.name}` is the user's name).
@Suite("Diff: per-subject sharing")
struct DiffSharingTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)
    static let hash = "$2y$12$abcdefghijklmnopqrstuu1234567890123456789012345678901"

    /// One role `own` granting search on `patterns`, mapped to `users` by name (each an internal user).
    static func input(_ patterns: [String], users: [String]) throws -> DiffInput {
        var config = try DiffCoverageTests.searchRole("own", patterns: patterns, mapping: "users: [\(users.joined(separator: ", "))]")
        config.internalUsers = try internalUsers(users)
        return DiffInput(config: config, catalog: Catalog(profile: .default))
    }

    /// A configuration of `roles` and `mapping` (roles.yml and roles_mapping.yml without `_meta`)
    /// and the internal users `users`.
    static func input(roles: String, mapping: String, users: [String]) throws -> DiffInput {
        let loader = ConfigLoader()
        var config = try loader.load(text: "_meta: {type: roles, config_version: 2}\n" + roles, name: "roles.yml").config
        config.roleMappings = try loader.load(text: "_meta: {type: rolesmapping, config_version: 2}\n" + mapping,
                                              name: "roles_mapping.yml").config.roleMappings
        config.internalUsers = try internalUsers(users)
        return DiffInput(config: config, catalog: Catalog(profile: .default))
    }

    /// Internal users named `users`, each with the same placeholder hash.
    static func internalUsers(_ users: [String]) throws -> ConfigEntries<InternalUser> {
        try ConfigLoader().load(text: "_meta: {type: internalusers, config_version: 2}\n" + users.map { "\($0):\n  hash: '\(hash)'\n" }.joined(),
                                name: "internal_users.yml").config.internalUsers
    }

    /// A witness as "action index SRC/DST".
    static func line(_ witness: DiffResult.Witness) -> String {
        "\(witness.action) \(witness.index ?? "-") \(witness.source.outcome.rawValue)/\(witness.target.outcome.rawValue)"
    }

    /// Per non-equivalent user: its verdict and its witnesses on search as "index SRC/DST".
    static func compare(_ source: [String], _ target: [String], users: [String]) throws -> [String: String] {
        let result = ConfigDiff(now: now).compare(source: try input(source, users: users), target: try input(target, users: users))
        var found: [String: String] = [:]
        for subject in result.subjects {
            let witnesses = subject.witnesses.filter { $0.action == "indices:data/read/search" }
                .map { "\($0.index ?? "-") \($0.source.outcome.rawValue)/\($0.target.outcome.rawValue)" }
            found[subject.user ?? "?"] = ([subject.verdict.rawValue] + witnesses).joined(separator: " | ")
        }
        return found
    }

    /// Subjects are compared in an order that keeps those sharing backend roles together (only
    /// for the processor's caches): every subject exactly once, ties and the rest as enumerated.
    @Test("subjects are compared grouped by backend roles, each once")
    func localityOrder() throws {
        let users = try ConfigLoader().load(text: """
            _meta: {type: internalusers, config_version: 2}
            u1: {hash: '\(Self.hash)'}
            u2: {hash: '\(Self.hash)', backend_roles: [a]}
            u3: {hash: '\(Self.hash)', backend_roles: [b]}
            u4: {hash: '\(Self.hash)'}
            """, name: "internal_users.yml").config
        let subjects = ["u1", "u2", nil, "u3", "u4"].map { user in
            DiffSubject(user: user, backendRoles: user == nil ? ["b"] : [], host: nil, evaluatedName: user ?? "placeholder")
        }
        // u1 and u4 have no backend role; u2 has a; the combination [b] and u3 have b.
        #expect(ConfigDiff.localityOrder(subjects, users, SecurityConfig()) == [0, 4, 1, 2, 3])
        #expect(ConfigDiff.localityOrder(subjects, SecurityConfig(), users) == [0, 4, 1, 2, 3])
        #expect(ConfigDiff.localityOrder(subjects, SecurityConfig(), SecurityConfig()) == [0, 1, 3, 4, 2])
    }

    @Test("two users whose template renders differently are compared on their own names")
    func templateRenderedPerUser() throws {
        // SRC `${user.name}-*` is `alice-*` for alice (DST's fixed pattern) and `bob-*` for bob.
        let found = try Self.compare(["${user.name}-*"], ["alice-*"], users: ["alice", "bob"])
        #expect(found == ["bob": "incomparable | bob- allow/deny | alice- deny/allow"])
    }

    @Test("a fixed-pattern difference hidden by one user's template and not by the others'")
    func fixedDifferenceHiddenForOneUser() throws {
        // SRC's fixed `alice-x` is inside `alice-*`, which the template gives alice on both sides;
        // `adam` (compared before alice) and `zed` (after) have no pattern covering it in DST.
        let source = ["alice-x", "${user.name}-*"], target = ["${user.name}-*"]
        #expect(try Self.compare(source, target, users: ["alice", "zed"]) == ["zed": "narrower | alice-x allow/deny"])
        #expect(try Self.compare(source, target, users: ["adam", "alice"]) == ["adam": "narrower | alice-x allow/deny"])
    }

    @Test("a member's coverage by a glob, tested for one user, is not taken for another user's glob")
    func globCoverageKeptPerPattern() throws {
        // `amy-1` (SRC, fixed) is tested against the DST globs of each user in turn: amy's
        // `amy-?` covers it, zed's `zed-?` does not; the fixed `x?` covers it for neither.
        // What was tested for amy (two globs, one covering) must not count for zed's globs.
        let source = ["amy-1", "${user.name}-?", "x?"], target = ["${user.name}-?", "x?"]
        #expect(try Self.compare(source, target, users: ["amy", "zed"]) == ["zed": "narrower | amy-1 allow/deny"])
        #expect(try Self.compare(source, target, users: ["zed", "amy"]) == ["zed": "narrower | amy-1 allow/deny"])
    }

    @Test("a member covered at one action's set and not at another's, within one subject")
    func coverageDependsOnTheOtherSet() throws {
        // DST grants `logs-*` on get only: `logs-a` (SRC, search and get) is covered there and
        // not on search, although `logs-*` is among the subject's DST patterns for both.
        func config(_ roles: String) throws -> DiffInput {
            try Self.input(roles: roles, mapping: "own:\n  users: [alice]\n", users: ["alice"])
        }
        let source = try config("""
            own:
              index_permissions:
              - index_patterns: ['logs-a']
                allowed_actions: ['indices:data/read/search', 'indices:data/read/get']
            """)
        let target = try config("""
            own:
              index_permissions:
              - index_patterns: ['logs-*']
                allowed_actions: ['indices:data/read/get']
              - index_patterns: ['logs-a', 'other']
                allowed_actions: ['indices:data/read/get']
              - index_patterns: ['other']
                allowed_actions: ['indices:data/read/search']
            """)
        let result = ConfigDiff(now: Self.now).compare(source: source, target: target)
        let witnesses = result.subjects.flatMap(\.witnesses).map(Self.line)
        #expect(result.verdict == .incomparable)
        #expect(witnesses == ["indices:data/read/search logs-a allow/deny", "indices:data/read/search other deny/allow",
                              "indices:data/read/get logs- deny/allow"])
    }
}

/// The order own names are tried in (the first one decided differently is the witness): the
/// order the former sort gave, shortest first, then by UTF-8 code units, each name once.
@Suite("Diff: own names in order")
struct DiffOwnNamesTests {
    @Test("shortest first, then by UTF-8 bytes, repeats yielded once")
    func order() {
        // "é" is two UTF-8 bytes (C3 A9): after every one-byte name, and after "z" at equal length.
        let names = Array(OwnNames(["logs-b", "é", "a", "logs-a", "zz", "a", "b", "logs-a"]))
        #expect(names == ["a", "b", "zz", "é", "logs-a", "logs-b"])
        #expect(Array(OwnNames([])) == [])
    }

    @Test("order keys order names as the full comparison does")
    func orderKeys() {
        // Equal starts past seven bytes, non-ASCII, one length apart, and names of 255 bytes or more
        // (which all share the largest key and are told apart by the full comparison).
        let long = String(repeating: "x", count: 255)
        let names = ["a", "b", "ab", "é", "z", "logs-2024-a", "logs-2024-b", "logs-20", "logs-2", "日本", "\u{7F}", long, long + "a",
                     String(repeating: "w", count: 300), "abcdefgh", "abcdefgi", "abcdefg"]
        for first in names {
            for second in names {
                let a = PatternCoverage.LeastName(name: first, key: OwnNames.orderKey(first))
                let b = PatternCoverage.LeastName(name: second, key: OwnNames.orderKey(second))
                #expect(a.precedes(b) == OwnNames.precedes(first, second), "\(first) \(second)")
            }
        }
    }
}

extension DiffSharingTests {
    /// Grant sets are numbered per subject (`PatternTexts.startSubject`): a set the first user
    /// also had gets a number of the second user's own, not the first user's.
    @Test("a grant set met again by a later subject is numbered for that subject")
    func setsNumberedPerSubject() throws {
        func input(_ getPattern: String) throws -> DiffInput {
            try Self.input(roles: """
                r1:
                  index_permissions:
                  - index_patterns: ['logs-*']
                    allowed_actions: ['indices:data/read/search']
                r2:
                  index_permissions:
                  - index_patterns: ['\(getPattern)']
                    allowed_actions: ['indices:data/read/get']
                """, mapping: "r1:\n  users: [alice]\nr2:\n  users: [alice, bob]\n", users: ["alice", "bob"])
        }
        // alice has two sets ({logs-*} on search, {data-*} on get); bob only the second.
        let result = ConfigDiff(now: Self.now).compare(source: try input("data-*"), target: try input("data-x*"))
        let found = result.subjects.map { subject in
            "\(subject.user ?? "?"): " + subject.witnesses.map(Self.line).joined(separator: ", ")
        }
        #expect(found == ["alice: indices:data/read/get data- allow/deny", "bob: indices:data/read/get data- allow/deny"])
    }
}
