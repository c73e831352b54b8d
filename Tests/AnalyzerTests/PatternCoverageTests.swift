import Foundation
import PermissionCatalog
import Testing
@testable import Analyzer

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
        // A prefix long enough to reach the comparison's state budget: compared, which gives up
        // (no own names), as for any other pattern.
        let long = String(repeating: "a", count: NameSetComparison.stateBudget + 10)
        #expect(NameSetComparison.compare([Pattern(long + "*")], []).undecided != nil)
        #expect(coverage.shortestNames(texts.id(long + "*")) == [])
        let underBudget = String(repeating: "b", count: NameSetComparison.stateBudget / 2 - 1)
        #expect(coverage.shortestNames(texts.id(underBudget + "*")) == [underBudget, underBudget + "a"])
    }
}
