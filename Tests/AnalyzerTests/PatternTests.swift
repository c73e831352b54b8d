import Foundation
import Testing
@testable import Analyzer

/// shared/reference/opensearch-security-semantics.md §2.1 (WildcardMatcher).
@Suite("Pattern matcher (§2.1)")
struct PatternTests {
    @Test("matching table", arguments: [
        // exact, case-sensitive
        ("exact_string", "exact_string", true), ("exact_string", "Exact_string", false), ("exact_string", "exact_strin", false),
        // bare * matches everything, the empty string included
        ("*", "", true), ("*", "anything/at:all", true),
        // empty and blank match nothing
        ("", "", false), ("  ", "  ", false),
        // prefix
        ("prefix_string*", "prefix_string_more", true), ("prefix_string*", "prefi", false),
        // * spans / and :
        ("indices:data/read*", "indices:data/read/search[phase/query]", true), ("cluster:*", "cluster:admin/x/y", true),
        ("indices:*/search", "indices:data/read/search", true),
        // contains
        ("*infix*", "has_infix_inside", true), ("*infix*", "infi", false),
        // ? is exactly one character
        ("index_?", "index_a", true), ("index_?", "index_ab", false), ("index_?", "index_", false),
        ("a?c*", "abcdef", true),
        // no escapes: a backslash is a literal character, * still a wildcard
        ("a\\*b", "a\\xxb", true), ("a\\*b", "a*b", false),
        // no character classes in globs
        ("[ab]*", "[ab]x", true), ("[ab]*", "ax", false),
        // code-unit equality, as Java's String.equals: canonically equivalent spellings differ
        ("caf\u{E9}", "cafe\u{301}", false), ("caf\u{E9}", "caf\u{E9}", true), ("\u{212A}*", "Kx", false),
        ("*\u{E9}*", "xe\u{301}x", false), ("*\u{E9}*", "x\u{E9}x", true), ("caf?", "caf\u{E9}", true),
        // a '*' in the text is an ordinary character; the pattern's star still spans it
        ("a*", "a*b", true), ("a*c", "a*b*c", true), ("a?", "a*", true),
        // /regex/ must match the whole text
        ("/index_[ab]\\d/", "index_a1", true), ("/index_[ab]\\d/", "xindex_a1", false), ("/index_[ab]\\d/", "index_a12", false),
        ("/a|ab/", "ab", true), ("/logs-\\d{4}/", "logs-2024", true), ("/Logs/", "logs", false),
        // a lone slash is an exact name
        ("/", "/", true),
    ])
    func table(pattern: String, text: String, expected: Bool) {
        #expect(Pattern(pattern).matches(text) == expected)
        // The evaluator's flat layout must answer the same.
        #expect(FlatPatterns([Pattern(pattern)]).matchesAny(0..<1, text) == expected)
    }

    /// FlatPatterns matches ASCII on bytes and hands the rest to Pattern: on random patterns and
    /// names over a small alphabet (wildcards, a regex, non-ASCII letters) both must agree.
    @Test("the flat layout answers exactly as Pattern on random patterns and names")
    func flatEquivalence() {
        var random = SyntheticConfig.Random(state: 5)
        let pieces = ["a", "b", "-", "*", "?", "é", "1"]
        func word(_ length: Int) -> String { (0..<length).map { _ in random.pick(pieces) }.joined() }
        let regexes = ["/a[b-]+1?/", "/é.*/", "/ab\\d+/"]
        var patterns: [Pattern] = (0..<200).map { _ in Pattern(word(1 + random.below(5))) }
        patterns += regexes.map(Pattern.init)
        let flat = FlatPatterns(patterns)
        var matched = 0
        for _ in 0..<400 {
            let text = random.below(10) == 0 ? "" : word(random.below(7)).replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "?", with: "")
            for (position, pattern) in patterns.enumerated() {
                let expected = pattern.matches(text)
                if expected { matched += 1 }
                #expect(flat.matchesAny(position..<(position + 1), text) == expected, "\(pattern.source) against \(text)")
            }
            #expect(flat.matchesAny(0..<patterns.count, text) == patterns.contains { $0.matches(text) })
        }
        #expect(matched > 1_000)
    }

    @Test("forms are classified like WildcardMatcher.from")
    func forms() {
        #expect(Pattern("abc").isExact)
        #expect(Pattern("abc*").form == .prefix("abc"))
        #expect(Pattern("*abc*").form == .contains("abc"))
        #expect(Pattern("*").isAnything)
        #expect(Pattern("/a.c/").isRegex)
        #expect(!Pattern("/a.c/").isExact)
        #expect(Pattern("").form == .nothing)
    }

    @Test("an invalid regex is an error, and as a grant it matches nothing")
    func invalidRegex() throws {
        let result = Pattern.compile("/logs-(\\d+/")
        guard case .failure(let error) = result else { Issue.record("expected failure"); return }
        #expect(error.pattern == "/logs-(\\d+/")
        #expect(error.reason == "unclosed group")
        #expect(error.description == "invalid regular expression /logs-(\\d+/: unclosed group")
        #expect(Pattern("/logs-(\\d+/").matches("logs-(1") == false)
        guard case .failure(let unbalanced) = Pattern.compile("/a)(b/") else { Issue.record("expected failure"); return }
        #expect(unbalanced.reason == "unmatched closing parenthesis")
    }

    @Test("a catastrophic regex is cut off and counts as no match")
    func boundedRegex() throws {
        let regex = try BoundedRegex.compile("(a+)+b").get()
        let text = String(repeating: "a", count: 40) + "c"
        #expect(regex.evaluate(text) == .timedOut)
        #expect(Pattern("/(a+)+b/").matches(text) == false)
        #expect(regex.evaluate("aaab") == .match)
    }

    @Test("a pattern set is an OR")
    func set() {
        let set = PatternSet(["logs-*", "/metrics-\\d+/"])
        #expect(set.matches("logs-a"))
        #expect(set.matches("metrics-12"))
        #expect(!set.matches("metrics-x"))
        #expect(set.firstMatch("metrics-12")?.source == "/metrics-\\d+/")
    }
}

@Suite("Regex literal prefix (a shortcut that must never change a result)")
struct RegexPrefixTests {
    @Test("the required prefix is a sound shortcut", arguments: [
        ("svc-1-\\d+", "svc-1-"), ("abc*d", "ab"), ("ab?c", "a"), ("a{2}b", ""), ("x|y", ""), ("(abc)", ""), ("\\d+", ""), ("logs-[0-9]+", "logs-"),
    ])
    func prefix(body: String, expected: String) {
        #expect(BoundedRegex.literalPrefix(of: body) == expected)
    }

    @Test("results with the shortcut equal the engine's", arguments: ["svc-1-22", "svc-1-", "svc-12-3", "ac", "abbbc", "logs-7", "xlogs-7"])
    func agrees(text: String) throws {
        for body in ["svc-1-\\d+", "ab*c", "logs-[0-9]+", "a?c"] {
            let regex = try BoundedRegex.compile(body).get()
            let plain = try #require(try? NSRegularExpression(pattern: "\\A(?:\(body))\\z"))
            let expected = plain.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
            #expect((regex.evaluate(text) == .match) == expected, "\(body) vs \(text)")
        }
    }
}

/// shared/reference/opensearch-security-semantics.md §3: `${…}` variables are replaced by plain
/// string substitution before the pattern is parsed; unknown variables stay as written.
@Suite("Template substitution (§3)")
struct SubstitutionTests {
    static let variables = ["user.name": "bob", "user_name": "bob", "attr.internal.dept": "d*"]

    @Test("substitution table", arguments: [
        ("${user.name}-*", false, "bob-*"),
        ("logs-${user_name}", false, "logs-bob"),
        ("${user.name}${user_name}", false, "bobbob"),
        // values are not escaped: a '*' in an attribute widens the pattern
        ("dept-${attr.internal.dept}", false, "dept-d*"),
        ("x-${unknown}-y", false, "x-${unknown}-y"),
        ("a${}b", false, "a${}b"),
        ("no-close-${user.name", false, "no-close-${user.name"),
        ("$${user.name}", false, "$bob"),
        ("${user.name}}", false, "bob}"),
        ("\u{E9}-${user.name}-\u{FC}", false, "\u{E9}-bob-\u{FC}"),
        ("plain", false, "plain"),
        // defaults (3.9+): ${name:-fallback}
        ("${attr.internal.team:-ops}-*", true, "ops-*"),
        ("${attr.internal.team:-ops}-*", false, "${attr.internal.team:-ops}-*"),
        ("${user.name:-nobody}", true, "bob"),
        ("${user.name:-nobody}", false, "${user.name:-nobody}"),
    ])
    func table(text: String, defaults: Bool, expected: String) {
        #expect(UserAttributes.substitute(text, Self.variables, defaults: defaults) == expected)
    }

    /// Semantics reference §3 (index pattern kinds): a pattern that contains `${` is a template,
    /// rendered per subject; found byte for byte, as `substitute` finds its variables.
    @Test("a pattern is a template when it contains ${ (§3)")
    func templateDetection() {
        let texts = ["logs-${user.name}", "$${x}", "${", "$ {x}", "{$}", "$", "plain-*", "\u{E9}${x}", "/a\\$\\{/"]
        #expect(texts.map(UserAttributes.hasTemplate) == [true, true, true, false, false, false, false, true, false])
    }
}
