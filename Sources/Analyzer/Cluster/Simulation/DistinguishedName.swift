/// An X.509 distinguished name compared as the plugin compares admin DNs (`javax.naming.ldap.LdapName`
/// equality, RFC 2253): RDNs in order, attribute types and values without regard to case, spaces
/// around separators ignored, escapes resolved, the parts of a multi-valued RDN in any order.
struct DistinguishedName: Hashable, Sendable {
    let rdns: [[String]]

    init?(_ text: String) {
        var rdns: [[String]] = []
        for rdn in DistinguishedName.split(text, on: [",", ";"]) {
            var parts: [String] = []
            for pair in DistinguishedName.split(rdn, on: ["+"]) {
                guard let equals = pair.firstIndex(of: "=") else { return nil }
                let type = pair[..<equals].trimmingSpaces.lowercased()
                let value = DistinguishedName.unescape(String(pair[pair.index(after: equals)...]).trimmingSpaces).lowercased()
                guard !type.isEmpty else { return nil }
                parts.append("\(type)=\(value)")
            }
            rdns.append(parts.sorted())
        }
        guard !rdns.isEmpty else { return nil }
        self.rdns = rdns
    }

    /// Splits at separators that are not escaped with `\` and not inside double quotes.
    private static func split(_ text: String, on separators: Set<Character>) -> [String] {
        var pieces: [String] = []
        var current = ""
        var escaped = false, quoted = false
        for character in text {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" { current.append(character); escaped = true; continue }
            if character == "\"" { quoted.toggle() }
            if !quoted, separators.contains(character) {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        return pieces.filter { !$0.trimmingSpaces.isEmpty }
    }

    private static func unescape(_ value: String) -> String {
        var text = value
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
        var result = ""
        var escaped = false
        for character in text {
            if escaped { result.append(character); escaped = false } else if character == "\\" { escaped = true } else { result.append(character) }
        }
        return result
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
