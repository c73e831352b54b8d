/// A loosely typed value from a configuration file, kept where secperm reads only a few keys
/// (authentication domains in config.yml, node settings).
public indirect enum ConfigValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case list([ConfigValue])
    case map([String: ConfigValue])

    public var string: String? {
        switch self {
        case .string(let value): value
        case .number(let value): ConfigValue.text(of: value)
        case .bool(let value): String(value)
        default: nil
        }
    }

    /// What kind of value this is, for messages: "a string", "a list" …
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .list: "a list"
        case .map: "an object"
        }
    }

    /// A number as text: whole numbers without a fraction (`5`, not `5.0`), everything else as
    /// Swift prints it. A number out of `Int`'s range, infinite or NaN is never converted to `Int`.
    static func text(of number: Double) -> String {
        if let whole = Int(exactly: number) { return String(whole) }
        return String(number)
    }

    /// A whole number that fits `Int` (a number, or text such as "5"); nil otherwise.
    public var int: Int? {
        switch self {
        case .number(let value): Int(exactly: value)
        case .string(let value): Int(value)
        default: nil
        }
    }

    public var bool: Bool? {
        switch self {
        case .bool(let value): value
        case .string(let value): ["true": true, "false": false][value.lowercased()]
        default: nil
        }
    }

    public var list: [ConfigValue]? {
        if case .list(let values) = self { return values }
        return nil
    }

    public var map: [String: ConfigValue]? {
        if case .map(let values) = self { return values }
        return nil
    }

    /// The value at a dotted path of map keys, e.g. `http_authenticator.config.roles_key`.
    public subscript(path path: String) -> ConfigValue? {
        var current: ConfigValue? = self
        for key in path.split(separator: ".") {
            current = current?.map?[String(key)]
        }
        return current
    }
}
