import Testing
@testable import Analyzer

/// The HTML report escapes the five characters HTML gives meaning to, character by character (a
/// quote carrying a combining mark is one character, not a quote, and stays as written); text
/// without any of them is returned as it is.
@Suite("Diff: HTML escaping")
struct DiffHTMLEscapeTests {
    @Test("exact escapes, plain and non-ASCII text unchanged", arguments: [
        ("a<b>&\"'😀", "a&lt;b&gt;&amp;&quot;&#39;😀"),
        ("logs-é😀-*", "logs-é😀-*"),
        ("", ""),
        ("it's", "it&#39;s"),
        ("a\"b", "a&quot;b"),
        ("x\"\u{301}y&", "x\"\u{301}y&amp;"),
        ("role \u{1}\t/\\", "role \u{1}\t/\\"),
    ])
    func escapes(_ text: String, _ expected: String) {
        #expect(Array(DiffHTMLReport.escape(text).unicodeScalars) == Array(expected.unicodeScalars))
    }
}
