/// `${…}` substitution in index patterns (§3, `UserAttributes`): done by plain string replacement
/// before the pattern is parsed, so attribute values are not escaped — a value containing `*`
/// widens the pattern. Unknown variables stay literal (and then match nothing real).
public enum UserAttributes {
    /// The variables a subject provides, both dot and underscore spellings.
    public static func variables(for subject: Subject, mappedRoles: [String]) -> [String: String] {
        let values = Values(subject: subject, mappedRoles: mappedRoles)
        let roles = values.backendRoles, securityRoles = values.securityRoles
        var variables: [String: String] = [
            "user.name": subject.name, "user_name": subject.name,
            "user.roles": roles, "user_roles": roles,
            "user.securityRoles": securityRoles, "user_securityRoles": securityRoles,
        ]
        for (key, value) in subject.attributes {
            variables[key] = value
            variables[underscored(key)] = value
        }
        return variables
    }

    /// The same variables as ``variables(for:mappedRoles:)``, each worked out only when a pattern
    /// names it: most subjects' templates name one or two. A class: rendering passes it around.
    public final class Values: Sendable {
        let subject: Subject
        let mappedRoles: [String]

        public init(subject: Subject, mappedRoles: [String]) {
            self.subject = subject
            self.mappedRoles = mappedRoles
        }

        /// `${user.roles}`: the backend roles, each quoted, comma-separated.
        var backendRoles: String { UserAttributes.quoted(subject.backendRoles) }

        /// `${user.securityRoles}`: the subject's own and mapped roles, distinct, sorted, quoted.
        var securityRoles: String { UserAttributes.quoted(Array(Set(subject.securityRoles + mappedRoles)).sorted()) }

        /// The value of `name`, as the dictionary of ``variables(for:mappedRoles:)`` has it: an
        /// attribute under its own key or its underscore spelling first (the dictionary sets them
        /// after the user's), then the user's name, backend roles and security roles.
        public func value(_ name: String) -> String? {
            if let value = subject.attributes[name] { return value }
            // Writing `.` as `_` keeps the length: only keys as long as the name can spell it.
            for (key, value) in subject.attributes
            where key.utf8.count == name.utf8.count && key.utf8.contains(UInt8(ascii: ".")) && UserAttributes.underscored(key) == name {
                return value
            }
            switch name {
            case "user.name", "user_name": return subject.name
            case "user.roles", "user_roles": return backendRoles
            case "user.securityRoles", "user_securityRoles": return securityRoles
            default: return nil
            }
        }
    }

    /// `"a","b"`.
    static func quoted(_ items: [String]) -> String {
        var text = ""
        for (position, item) in items.enumerated() {
            if position > 0 { text += "," }
            text += "\""
            text += item
            text += "\""
        }
        return text
    }

    /// The key with every `.` written `_` (`attr.internal.dept` → `attr_internal_dept`).
    static func underscored(_ key: String) -> String {
        String(key.map { $0 == "." ? "_" : $0 })
    }

    /// Replaces every `${name}` whose name is known. With `defaults` (see
    /// `TargetProfile.attributeDefaultValues`), `${name:-fallback}` uses the fallback when the name
    /// is unknown. Others stay as written.
    public static func substitute(_ text: String, _ variables: [String: String], defaults: Bool = false) -> String {
        substitute(text, defaults: defaults) { variables[$0] }
    }

    /// ``substitute(_:_:defaults:)`` with each variable's value asked of `value`.
    public static func substitute(_ text: String, defaults: Bool = false, value: (String) -> String?) -> String {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return text }
        var text = text
        return text.withUTF8 { bytes in
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 32)
            var copied = 0, position = 0
            // '$', '{' and '}' are ASCII: every piece cut at them is whole UTF-8, so the output
            // decodes to exactly the text with the variables replaced.
            while position < bytes.count {
                let next = position + 1
                guard bytes[position] == UInt8(ascii: "$"), next < bytes.count, bytes[next] == UInt8(ascii: "{") else {
                    position = next
                    continue
                }
                let nameStart = next + 1
                // No closing brace: the rest stays as written.
                guard let close = bytes[nameStart...].firstIndex(of: UInt8(ascii: "}")) else { break }
                output.append(contentsOf: bytes[copied..<position])
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<close]), as: UTF8.self)
                if let known = value(name) {
                    output.append(contentsOf: known.utf8)
                } else if defaults, let split = name.firstRange(of: ":-") {
                    output.append(contentsOf: (value(String(name[..<split.lowerBound])) ?? String(name[split.upperBound...])).utf8)
                } else {
                    output.append(contentsOf: bytes[position...close])
                }
                position = close + 1
                copied = position
            }
            output.append(contentsOf: bytes[copied...])
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// Whether `text` holds `${`, compared byte for byte (as the plugin's `String.contains`
    /// compares code units, and as ``substitute(_:defaults:value:)`` finds variables).
    public static func hasTemplate(_ text: String) -> Bool {
        var previousIsDollar = false
        for byte in text.utf8 {
            if previousIsDollar, byte == UInt8(ascii: "{") { return true }
            previousIsDollar = byte == UInt8(ascii: "$")
        }
        return false
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
