/// `${…}` substitution in index patterns (§3, `UserAttributes`): done by plain string replacement
/// before the pattern is parsed, so attribute values are not escaped — a value containing `*`
/// widens the pattern. Unknown variables stay literal (and then match nothing real).
public enum UserAttributes {
    /// The variables a subject provides, both dot and underscore spellings.
    public static func variables(for subject: Subject, mappedRoles: [String]) -> [String: String] {
        func quoted(_ items: [String]) -> String { items.map { "\"\($0)\"" }.joined(separator: ",") }
        var variables: [String: String] = [
            "user.name": subject.name, "user_name": subject.name,
            "user.roles": quoted(subject.backendRoles), "user_roles": quoted(subject.backendRoles),
        ]
        let securityRoles = quoted(Array(Set(subject.securityRoles + mappedRoles)).sorted())
        variables["user.securityRoles"] = securityRoles
        variables["user_securityRoles"] = securityRoles
        for (key, value) in subject.attributes {
            variables[key] = value
            variables[String(key.map { $0 == "." ? "_" : $0 })] = value
        }
        return variables
    }

    /// Replaces every `${name}` whose name is known. With `defaults` (see
    /// `TargetProfile.attributeDefaultValues`), `${name:-fallback}` uses the fallback when the name
    /// is unknown. Others stay as written.
    public static func substitute(_ text: String, _ variables: [String: String], defaults: Bool = false) -> String {
        let utf8 = text.utf8
        guard utf8.contains(UInt8(ascii: "$")) else { return text }
        var output = ""
        var copied = utf8.startIndex, position = utf8.startIndex
        // '$', '{' and '}' are ASCII, so the byte positions found here are character boundaries.
        while position < utf8.endIndex {
            let next = utf8.index(after: position)
            guard utf8[position] == UInt8(ascii: "$"), next < utf8.endIndex, utf8[next] == UInt8(ascii: "{") else {
                position = next
                continue
            }
            let nameStart = utf8.index(after: next)
            // No closing brace: the rest stays as written.
            guard let close = utf8[nameStart...].firstIndex(of: UInt8(ascii: "}")) else { break }
            output += text[copied..<position]
            let name = String(text[nameStart..<close])
            if let value = variables[name] {
                output += value
            } else if defaults, let split = name.firstRange(of: ":-") {
                output += variables[String(name[..<split.lowerBound])] ?? String(name[split.upperBound...])
            } else {
                output += text[position...close]
            }
            position = utf8.index(after: close)
            copied = position
        }
        return output + text[copied...]
    }

    /// Variable names used in a pattern (for audits).
    public static func references(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let start = rest.firstRange(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            names.append(String(rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return names
    }
}
