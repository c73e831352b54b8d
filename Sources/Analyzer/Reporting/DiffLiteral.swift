/// How `secperm diff` writes names and sentences in text and HTML, where a raw control character
/// (`app-2024-a` followed by U+0080, a shortest name the automaton found) would be invisible, or
/// would move the cursor, and the witness could not be typed back into `secperm check`.
///
/// - A witness (its action and index) is written with every scalar outside printable ASCII
///   (U+0020–U+007E) as `\uXXXX` (`\u{XXXXX}` beyond U+FFFF), and `\` as `\\`: what is shown is
///   exactly what was decided, and a Cyrillic `а` is not mistaken for a Latin `a`.
/// - Every other text (user and role names, reasons, entry names) keeps printable characters,
///   non-ASCII letters and symbols included (`→`, `é`), and escapes only what does not print:
///   controls, format characters (bidi overrides, zero-width), separators other than the space,
///   private-use, surrogate and unassigned code points.
///
/// JSON needs neither: its strings are decoded back to the exact name.
enum DiffLiteral {
    /// A witness action or index, exactly and in printable ASCII.
    static func witness(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 > 0x7E || $0 == UInt8(ascii: "\\") }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "\\" {
                out += "\\\\"
            } else if scalar.value >= 0x20 && scalar.value <= 0x7E {
                out.unicodeScalars.append(scalar)
            } else {
                out += code(scalar)
            }
        }
        return out
    }

    /// A name or sentence with what does not print escaped; when the sentence quotes the witness
    /// index, it is quoted the way the witness line writes it.
    static func text(_ text: String, witnessIndex: String? = nil) -> String {
        var text = text
        if let index = witnessIndex, !index.isEmpty {
            let written = witness(index)
            if written != index { text = text.replacingOccurrences(of: index, with: written) }
        }
        guard text.unicodeScalars.contains(where: hidden) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if hidden(scalar) { out += code(scalar) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    private static func hidden(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value >= 0x20 && scalar.value <= 0x7E { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .privateUse, .surrogate, .unassigned: return true
        default: return false
        }
    }

    private static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        if scalar.value > 0xFFFF { return "\\u{\(hex)}" }
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
