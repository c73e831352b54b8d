import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

/// The shortcuts `DiffRun.analyze` / `covers` take before a product of automata (an exact name
/// or a prefix tested on the bytes, a shorter prefix covering a longer one, the other side's plain
/// patterns skipped as witnesses) give the verdicts and witnesses the automata give: semantics §2.1
/// (`WildcardMatcher`: an exact name matches itself, `prefix*` every name starting with it).
@Suite("Diff: pattern coverage shortcuts")
struct DiffCoverageTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    /// One role `logs` with `patterns`, mapped from backend role `ops`.
    static func input(_ patterns: [String]) throws -> DiffInput {
        DiffInput(config: try searchRole("logs", patterns: patterns, mapping: "backend_roles: [ops]"), catalog: Catalog(profile: .default))
    }

    /// A configuration of one role granting search on `patterns`, with one mapping line for it.
    static func searchRole(_ role: String, patterns: [String], mapping: String) throws -> SecurityConfig {
        let loader = ConfigLoader()
        let list = patterns.map { "'\($0)'" }.joined(separator: ", ")
        var config = try loader.load(text: """
            _meta: {type: roles, config_version: 2}
            \(role):
              index_permissions:
              - index_patterns: [\(list)]
                allowed_actions: ['indices:data/read/search']
            """, name: "roles.yml").config
        config.roleMappings = try loader.load(text: """
            _meta: {type: rolesmapping, config_version: 2}
            \(role):
              \(mapping)
            """, name: "roles_mapping.yml").config.roleMappings
        return config
    }

    /// The verdict, and the witnesses on the search action as (index, SRC outcome, DST outcome).
    static func compare(_ source: [String], _ target: [String]) throws -> (String, [String]) {
        let result = ConfigDiff(now: now).compare(source: try input(source), target: try input(target))
        let witnesses = result.subjects.flatMap(\.witnesses).filter { $0.action == "indices:data/read/search" }
            .map { "\($0.index ?? "-") \($0.source.outcome.rawValue)/\($0.target.outcome.rawValue)" }
        return (result.verdict.rawValue, witnesses)
    }

    @Test("a prefix is not covered by exact names it starts with")
    func prefixOverExactNames() throws {
        let (verdict, witnesses) = try Self.compare(["logs-*"], ["logs-", "logs-a", "logs-b"])
        #expect(verdict == "narrower")
        #expect(witnesses == ["logs-c allow/deny"])
    }

    @Test("a longer prefix is covered by a shorter one, not the other way round")
    func prefixOverPrefix() throws {
        #expect(try Self.compare(["team1-*"], ["team1*"]) == ("broader", ["team1 deny/allow"]))
        #expect(try Self.compare(["team1-*", "team1*"], ["team1*"]) == ("equivalent", []))
    }

    @Test("a glob is refuted by a name outside an exact name or a prefix")
    func globOverExactAndPrefix() throws {
        let narrowed = try Self.compare(["x-5-2?"], ["x-5-2a"])
        // A name SRC's glob allows and DST's exact name does not (never `x-5-2a` itself).
        #expect(narrowed.0 == "narrower" && narrowed.1.count == 1 && narrowed.1.allSatisfy { $0.hasSuffix(" allow/deny") && !$0.hasPrefix("x-5-2a ") })
        #expect(try Self.compare(["x-5-2?"], ["x-5-*"]) == ("broader", ["x-5- deny/allow"]))
        #expect(try Self.compare(["x-5-2?", "x-5-*"], ["x-5-*"]) == ("equivalent", []))
    }

    @Test("an exact name covered by a glob or a regex on the other side is no difference")
    func exactOverGlobAndRegex() throws {
        #expect(try Self.compare(["x-5-21", "*-5-2?"], ["*-5-2?"]) == ("equivalent", []))
        #expect(try Self.compare(["svc-1-7", "/svc-1-\\d+/"], ["/svc-1-\\d+/"]) == ("equivalent", []))
    }

    @Test("a name the other side's plain patterns match is not tried as a witness")
    func ownNamesOutsideOtherPlainPatterns() throws {
        // `app-a*`'s own shortest name `app-a` is granted by DST's exact `app-a`: the witness is
        // the next name, one DST denies.
        let (verdict, witnesses) = try Self.compare(["app-a*"], ["app-a"])
        #expect(verdict == "narrower")
        #expect(witnesses.count == 1 && witnesses[0].hasSuffix("allow/deny") && witnesses[0] != "app-a allow/deny")
    }
}
