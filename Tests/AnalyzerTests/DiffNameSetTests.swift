import Foundation
import Testing
@testable import Analyzer

/// The index-pattern algebra behind `secperm diff`: each automaton must accept exactly the names
/// `Pattern.matches` (the plugin's WildcardMatcher, semantics §2.1) accepts, and comparisons must
/// be proofs with shortest witnesses.
@Suite("Diff: index name sets as automata")
struct DiffNameSetTests {
    static let probes = ["", "a", "b", "ab", "logs", "logs-", "logs-1", "logstash", "log", "x:y", "a*b", "a/b", "svc-1-22", "svc-1-",
                         "app-1-logs", "team7-x", "é", "aé", "a😀", "a\n", "A", "abc", "abcd", "a.b", "9", "a b", "-x", "a\r",
                         "dept-d1-3", "a_b", "zzz", "😀", "a\u{2028}"]

    static let patterns = ["*", "", " ", "logs-*", "log*", "logs", "*logs*", "a?", "a??", "a*b", "?", "*-1-2?", "/logs-.*/", "/log.*/",
                           "/a.b/", "/[a-c]+/", "/[^a]*/", "/\\d+/", "/\\w+/", "/\\s/", "/a|b/", "/^ab$/", "/a{2,3}/", "/(ab)*c?/",
                           "/svc-\\d+-\\d+/", "/a.*?/", "/\\S+/", "/[\\w.-]+/", "/(?:a|b)c/", "/.*/", "/a\\.b/", "/x{0}y/"]

    @Test("automaton accepts exactly what the matcher matches", arguments: patterns)
    func automatonAgreesWithMatcher(_ text: String) throws {
        let pattern = Pattern(text)
        var automaton = NameAutomaton()
        #expect(PatternLanguage.add(pattern, to: &automaton) == nil)
        // The evaluator's regex engine (ICU) reads \d, \w, \s as Unicode classes where Java (the
        // plugin) reads them as ASCII; with those classes only ASCII probes are compared here.
        let classes = ["\\d", "\\w", "\\s", "\\D", "\\W", "\\S"].contains { text.contains($0) }
        for probe in Self.probes where !classes || probe.utf8.allSatisfy({ $0 < 0x80 }) {
            #expect(automaton.accepts(bytes: probe.utf8) == pattern.matches(probe), "\(text) on \(probe.debugDescription)")
        }
    }

    /// `secperm diff` tests names on the determinized automaton (cached per pattern) where it used
    /// the automaton itself: both must accept the same byte strings, broken UTF-8 included.
    @Test("the determinized automaton accepts what the automaton accepts", arguments: patterns)
    func determinizedAgrees(_ text: String) {
        var automaton = NameAutomaton()
        #expect(PatternLanguage.add(Pattern(text), to: &automaton) == nil)
        let deterministic = Determinized(automaton)
        let bytes = Self.probes.map { Array($0.utf8) } + [[0xFF], [0x61, 0xC3], [0x61, 0x80, 0x62], [0xED, 0xA0, 0x80]]
        for probe in bytes {
            #expect(deterministic.accepts(bytes: probe) == automaton.accepts(bytes: probe), "\(text) on \(probe)")
        }
    }

    @Test("unsupported regex constructs are reported, never guessed", arguments: [
        "/(a)\\1/", "/a(?=b)/", "/(?i)abc/", "/a*+/", "/\\bword/", "/[[a]]/", "/a^b/", "/\\p{L}/", "/a{1000}/",
    ])
    func unsupported(_ text: String) {
        var automaton = NameAutomaton()
        #expect(PatternLanguage.add(Pattern(text), to: &automaton) != nil, "\(text)")
    }

    @Test("Java classes are ASCII-only (java.util.regex.Pattern without UNICODE_CHARACTER_CLASS)")
    func javaClasses() {
        for (text, name, expected) in [("/\\w+/", "é", false), ("/\\W/", "é", true), ("/\\S+/", "a\u{2028}", true), ("/\\d/", "٣", false)] {
            var automaton = NameAutomaton()
            #expect(PatternLanguage.add(Pattern(text), to: &automaton) == nil)
            #expect(automaton.accepts(bytes: name.utf8) == expected, "\(text) on \(name)")
        }
    }

    @Test("comparisons and witnesses")
    func comparisons() {
        func compare(_ a: [String], _ b: [String]) -> NameSetComparison { .compare(a.map(Pattern.init), b.map(Pattern.init)) }
        #expect(compare(["logs-*"], ["/logs-.*/"]).isEqual == false) // `.` stops at line terminators
        let narrowed = compare(["log*"], ["logs-*"])
        #expect(narrowed.onlyFirst == .names(["log", "loga", "logs"]))
        #expect(narrowed.onlySecond == .none)
        #expect(compare(["logs-*", "logs"], ["logs*"]).onlySecond == .names(["logsa"]))
        #expect(compare(["a*", "b*"], ["/[ab].*/", "a\n*", "b\n*", "a*\n*", "b*\n*"]).isEqual == false)
        #expect(compare(["svc-*"], ["svc-*", "svc-1"]).isEqual)
        #expect(compare(["/a|b/"], ["a", "b"]).isEqual)
        #expect(compare(["/a{2,3}/"], ["aa", "aaa"]).isEqual)
        #expect(compare(["a?"], ["/a./", "a\n", "a\r"]).isEqual == false) // `?` is a UTF-16 unit: "a😀" needs two
        #expect(compare(["*"], ["/(.|\\n|\\r)*/"]).isEqual == false)
        #expect(compare(["*x*"], ["*x*", "x"]).isEqual)
        #expect(compare([], [""]).isEqual)
        // The difference between `*` and `/[^*]*/` holds only names with '*': no single index names it.
        let starOnly = compare(["*"], ["/[^*?,:<]*/"])
        #expect(starOnly.onlyFirst == .unnameable)
        #expect(compare(["/(a)\\1/"], ["a"]).undecided != nil)
    }

    /// The byte a class of bytes stands for, read from tables, is the one a scan of the class in
    /// byte order picks: the nameable byte of the lowest preference, the first of those.
    @Test("a class's representative byte, from tables, is the scan's")
    func representativeByte() {
        func scanned(_ low: UInt8, _ high: UInt8, first: Bool) -> UInt8? {
            var best: UInt8?
            for byte in low...high where ProductExploration.isNameable(byte, first: first) {
                if best.map({ ProductExploration.preference[Int(byte)] < ProductExploration.preference[Int($0)] }) ?? true { best = byte }
            }
            return best
        }
        var mismatches: [String] = []
        for low in 0...255 {
            for high in low...255 {
                for first in [false, true] where ProductExploration.representative(UInt8(low), UInt8(high), first: first) != scanned(UInt8(low), UInt8(high), first: first) {
                    mismatches.append("\(low)…\(high) first: \(first)")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(ProductExploration.representative(UInt8(ascii: "*"), UInt8(ascii: "*"), first: false) == nil)
        #expect(ProductExploration.representative(UInt8(ascii: "-"), UInt8(ascii: "-"), first: true) == nil)
        #expect(ProductExploration.representative(UInt8(ascii: "-"), UInt8(ascii: "."), first: true) == UInt8(ascii: "."))
    }

    /// A pattern's own names, found by the one-sided walk that stops at `count`, are the first of
    /// those the comparison with the empty set lists.
    @Test("own names are the first names of the comparison with nothing", arguments: patterns + ["*-499-2?", "a-*-?", "-*", "/[-x]y?/"])
    func ownNamesAgreeWithComparison(_ text: String) {
        let pattern = Pattern(text)
        var listed: [String] = []
        if case .names(let names) = NameSetComparison.compare([pattern], []).onlyFirst { listed = names }
        for count in 1...NameSetComparison.candidateCount {
            #expect(NameSetComparison.ownNames(pattern, count: count) == Array(listed.prefix(count)), "\(text), \(count)")
        }
    }
}
