/// The set of names an index pattern matches, as an automaton fragment, following `Pattern`'s
/// matcher (the plugin's `WildcardMatcher`, shared/reference/opensearch-security-semantics.md §2.1):
/// exact names compare code units, `*` spans every character, `?` is one UTF-16 unit, `/…/` is a
/// Java regex matched in full, blank patterns match nothing.
enum PatternLanguage {
    /// Adds the names `pattern` matches to the union `automaton` accepts; returns why it cannot
    /// when the pattern is a regex outside the translated subset.
    static func add(_ pattern: Pattern, to automaton: inout NameAutomaton) -> JavaRegexTranslation.Unsupported? {
        switch fragment(pattern, into: &automaton) {
        case .success(let fragment):
            if let fragment { automaton.addMember(fragment) }
            return nil
        case .failure(let unsupported): return unsupported
        }
    }

    static func fragment(_ pattern: Pattern, into automaton: inout NameAutomaton)
    -> Result<NameAutomaton.Fragment?, JavaRegexTranslation.Unsupported> {
        switch pattern.form {
        case .nothing: return .success(nil)
        case .anything: return .success(automaton.anyRun())
        case .exact(let name): return .success(automaton.literal(name.utf8))
        case .prefix(let prefix): return .success(automaton.concatenate([automaton.literal(prefix.utf8), automaton.anyRun()]))
        case .contains(let part):
            return .success(automaton.concatenate([automaton.anyRun(), automaton.literal(part.utf8), automaton.anyRun()]))
        case .glob: return .success(glob(pattern.source, into: &automaton))
        case .regex(let regex):
            return JavaRegexTranslation.parse(regex.body).map { JavaRegexTranslation.build($0, into: &automaton) }
        }
    }

    /// Bytes that every name `pattern` matches contains: a glob's characters other than `*` and
    /// `?` (each stands for itself, spelt in UTF-8 as `glob` spells it), the middle of `*…*`; none
    /// for the other forms (exact names and prefixes are compared on their bytes, regexes are not
    /// looked into).
    static func requiredBytes(_ pattern: Pattern) -> ByteSet {
        switch pattern.form {
        case .glob: ByteSet(pattern.source.utf8.filter { $0 != UInt8(ascii: "*") && $0 != UInt8(ascii: "?") })
        case .contains(let part): ByteSet(part.utf8)
        default: ByteSet()
        }
    }

    /// A glob: `*` any run, `?` one UTF-16 unit, every other character itself (no escapes).
    private static func glob(_ text: String, into automaton: inout NameAutomaton) -> NameAutomaton.Fragment {
        var parts: [NameAutomaton.Fragment] = []
        var literal: [UInt8] = []
        func flush(_ automaton: inout NameAutomaton) {
            if !literal.isEmpty { parts.append(automaton.literal(literal)) }
            literal = []
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "*":
                flush(&automaton)
                parts.append(automaton.anyRun())
            case "?":
                flush(&automaton)
                parts.append(automaton.utf16Unit())
            default: literal += Array(String(scalar).utf8)
            }
        }
        flush(&automaton)
        return automaton.concatenate(parts)
    }
}
