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
        let loader = ConfigLoader()
        var config = try DiffCoverageTests.searchRole("own", patterns: patterns, mapping: "users: [\(users.joined(separator: ", "))]")
        config.internalUsers = try loader.load(text: "_meta: {type: internalusers, config_version: 2}\n"
            + users.map { "\($0):\n  hash: '\(hash)'\n" }.joined(), name: "internal_users.yml").config.internalUsers
        return DiffInput(config: config, catalog: Catalog(profile: .default))
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
        let loader = ConfigLoader()
        func config(_ roles: String) throws -> DiffInput {
            var config = try loader.load(text: "_meta: {type: roles, config_version: 2}\n" + roles, name: "roles.yml").config
            config.roleMappings = try loader.load(text: """
                _meta: {type: rolesmapping, config_version: 2}
                own:
                  users: [alice]
                """, name: "roles_mapping.yml").config.roleMappings
            config.internalUsers = try loader.load(text: "_meta: {type: internalusers, config_version: 2}\nalice:\n  hash: '\(Self.hash)'\n",
                                                   name: "internal_users.yml").config.internalUsers
            return DiffInput(config: config, catalog: Catalog(profile: .default))
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
        let witnesses = result.subjects.flatMap(\.witnesses).map { "\($0.action) \($0.index ?? "-") \($0.source.outcome.rawValue)/\($0.target.outcome.rawValue)" }
        #expect(result.verdict == .incomparable)
        #expect(witnesses == ["indices:data/read/search logs-a allow/deny", "indices:data/read/search other deny/allow",
                              "indices:data/read/get logs- deny/allow"])
    }
}

/// The witness search's first name is found without listing every uncovered member (`DiffRun.analyze`):
/// the least own name (shortest, then by UTF-8 bytes) of a member no single pattern of the other set
/// includes. When that name is matched by a plain pattern of the other set, or is decided alike, the
/// search goes on through the full list exactly as before. Semantics §2.1 (`WildcardMatcher`: a
/// glob's literal characters must appear in every name it matches; a regex matches the whole name).
@Suite("Diff: witness search")
struct DiffWitnessSearchTests {
    static func compare(_ source: [String], _ target: [String]) throws -> [String: String] {
        try DiffSharingTests.compare(source, target, users: ["alice"])
    }

    @Test("the least name of the least uncovered member is the witness, whatever the members' order")
    func leastUncoveredName() throws {
        // SRC over DST: `b-1` comes before `app-1` (3 bytes < 5); `x` is covered by `x*`. Ids follow
        // the order the patterns are met, so both orders are tried. DST over SRC: `x*`'s least name
        // `x` is SRC's exact `x` (skipped), so its next name is the witness.
        let expected = ["alice": "incomparable | b-1 allow/deny | xa deny/allow"]
        #expect(try Self.compare(["app-1", "b-1", "x"], ["x*"]) == expected)
        #expect(try Self.compare(["x", "b-1", "app-1"], ["x*"]) == expected)
    }

    @Test("a least name that a plain pattern of the other set matches is skipped")
    func leastNameMatchedByPlainPattern() throws {
        // `/ab|cd|ef/` has three own names; DST's exact `ab` matches the least and covers none of
        // the member, so the search starts at `cd` (not past it).
        #expect(try Self.compare(["/ab|cd|ef/"], ["ab"]) == ["alice": "narrower | cd allow/deny"])
        #expect(try Self.compare(["logs-*"], ["logs-"]) == ["alice": "narrower | logs-a allow/deny"])
    }

    @Test("a least name decided alike (a regex matches it) leaves the search to the next names")
    func leastNameDecidedAlike() throws {
        // A regex is not a plain pattern, so `logs-` is tried first, and DST's `/logs-/` grants it.
        #expect(try Self.compare(["logs-*"], ["/logs-/"]) == ["alice": "narrower | logs-a allow/deny"])
    }

    @Test("a glob covers a name holding its literal characters, not one missing any")
    func globLiteralBytes() throws {
        // `é-?`: é is two UTF-8 bytes, both in `é-1`, which it covers; `*-2?` needs `2`, absent from
        // `ab-1x`, the only SRC witness. DST's own names are SRC's witnesses the other way.
        #expect(try Self.compare(["é-1", "ab-1x"], ["é-?", "*-2?"]) == ["alice": "incomparable | ab-1x allow/deny | a-2- deny/allow"])
        // `q-*` (a prefix) is covered by `q*` but not by `*z*` (no `z` in `q-`).
        #expect(try Self.compare(["q-*"], ["q*"]) == ["alice": "broader | q deny/allow"])
        #expect(try Self.compare(["q-*"], ["*z*"]) == ["alice": "incomparable | q- allow/deny | z deny/allow"])
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

/// `PatternCoverage`, asked directly: which single pattern of a set includes a member (semantics
/// §2.1: `prefix*` includes every name starting with the prefix; a glob's `*` spans any run and `?`
/// one UTF-16 unit, its other characters stand for themselves, so each must appear in a name it matches).
@Suite("Diff: pattern coverage")
struct PatternCoverageTests {
    /// Whether each of `members` (side 0) is covered by the set `others` (side 1).
    static func covered(_ members: [String], by others: [String]) -> [Bool] {
        let texts = PatternTexts()
        let memberIDs = members.map(texts.id), otherIDs = others.map(texts.id)
        let set = texts.setID(Array(Set(otherIDs)).sorted())
        var coverage = PatternCoverage(texts: texts)
        coverage.begin(sets: [[texts.setID(Array(Set(memberIDs)).sorted())], [set]])
        return memberIDs.map { coverage.isCovered($0, side: 0, by: set) }
    }

    @Test("exact names and prefixes under prefixes, globs and the same pattern")
    func kinds() {
        #expect(Self.covered(["logs-1", "logs-*", "log*", "app", "x"], by: ["logs-*", "x"]) == [true, true, false, false, true])
        #expect(Self.covered(["é-1", "ab-1x", "a-2b", "q-*", "q-z*"], by: ["é-?", "*-2?", "*z*"]) == [true, false, true, false, true])
        #expect(Self.covered(["anything", "*"], by: ["*"]) == [true, true])
        #expect(Self.covered(["*"], by: ["a*", "?*"]) == [false])
    }

    @Test("a glob's literal bytes, needed in every name it matches")
    func requiredBytes() {
        let texts = PatternTexts()
        let glob = texts.id("*-2?"), contains = texts.id("*é*"), prefix = texts.id("x*")
        #expect(texts.mayMatch(glob, nameBytes: ByteSet("a-2b".utf8)))
        #expect(!texts.mayMatch(glob, nameBytes: ByteSet("a-1b".utf8)))
        #expect(texts.mayMatch(contains, nameBytes: ByteSet("café".utf8)))
        #expect(!texts.mayMatch(contains, nameBytes: ByteSet("cafe".utf8)))
        // No requirement for the forms decided on their literal (a prefix) or without one.
        #expect(texts.mayMatch(prefix, nameBytes: ByteSet()))
    }
}

extension PatternCoverageTests {
    @Test("a prefix pattern's own names, without the automaton, are what the comparison finds")
    func prefixOwnNames() {
        // Plain names, a leading `-`, the bytes a request cannot name one index with, `_all`,
        // non-ASCII, and prefixes of `_all`.
        let prefixes = ["logs-", "a", "-a", "a-", "a:b", "a,b", "<x", "_all", "_al", "_all_", "é", "日本-", " ", "a b", "_"]
        let texts = PatternTexts()
        var coverage = PatternCoverage(texts: texts)
        for prefix in prefixes {
            let pattern = Pattern(prefix + "*")
            var expected: [String] = []
            if case .names(let found) = NameSetComparison.compare([pattern], []).onlyFirst { expected = Array(found.prefix(3)) }
            #expect(coverage.shortestNames(texts.id(prefix + "*")) == expected, "\(prefix)*")
        }
        #expect(coverage.shortestNames(texts.id("logs-*")) == ["logs-", "logs-a"])
        #expect(coverage.shortestNames(texts.id("_all*")) == ["_alla"])
        #expect(coverage.shortestNames(texts.id("-a*")) == [])
    }
}

extension DiffWitnessSearchTests {
    /// A subject with more than 64 grant records (one per index permission): the records covering
    /// a position are kept in several words, and each word's records count.
    @Test("grant sets built from more than 64 records")
    func manyRecords() throws {
        func input(_ grants: [[String]]) throws -> DiffInput {
            let loader = ConfigLoader()
            let permissions = grants.map { "  - index_patterns: [\($0.map { "'\($0)'" }.joined(separator: ", "))]\n"
                + "    allowed_actions: ['indices:data/read/search']\n" }.joined()
            var config = try loader.load(text: "_meta: {type: roles, config_version: 2}\nown:\n  index_permissions:\n" + permissions,
                                         name: "roles.yml").config
            config.roleMappings = try loader.load(text: "_meta: {type: rolesmapping, config_version: 2}\nown:\n  users: [alice]\n",
                                                  name: "roles_mapping.yml").config.roleMappings
            config.internalUsers = try loader.load(text: "_meta: {type: internalusers, config_version: 2}\nalice:\n  hash: '\(DiffSharingTests.hash)'\n",
                                                   name: "internal_users.yml").config.internalUsers
            return DiffInput(config: config, catalog: Catalog(profile: .default))
        }
        let names = (0..<70).map { "idx-\($0)" }
        func compare(_ source: [[String]], _ target: [[String]]) throws -> [String] {
            let result = ConfigDiff(now: DiffSharingTests.now).compare(source: try input(source), target: try input(target))
            return result.subjects.flatMap(\.witnesses).filter { $0.action == "indices:data/read/search" }
                .map { "\($0.index ?? "-") \($0.source.outcome.rawValue)/\($0.target.outcome.rawValue)" }
        }
        // 70 records against one: alike. Without the 66th (second word) or the 1st: that name differs.
        #expect(try compare(names.map { [$0] }, [names]) == [])
        #expect(try compare(names.map { [$0] }, [names.filter { $0 != "idx-65" }]) == ["idx-65 allow/deny"])
        #expect(try compare(names.map { [$0] }, [Array(names.dropFirst())]) == ["idx-0 allow/deny"])
    }
}
