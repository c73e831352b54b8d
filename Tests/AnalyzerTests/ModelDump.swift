@testable import Analyzer

/// Every stored value of a model as text, by reflection, so that a field added to the model later
/// is compared without anyone remembering to add it here. Source locations are left out (a written
/// file has other line numbers); dictionaries and sets are sorted (their order means nothing);
/// secrets are compared by their text, which their own reflection hides.
enum ModelDump {
    static func text(_ value: Any) -> String {
        if value is SourceLocation || value is SourceLocation? { return "·" }
        if let secret = value as? Secret { return "Secret(\(secret.reveal()))" }
        let mirror = Mirror(reflecting: value)
        let children = mirror.children.map { child in (child.label.map { "\($0): " } ?? "") + text(child.value) }
        switch mirror.displayStyle {
        case .dictionary, .set:
            return "[" + children.sorted().joined(separator: ", ") + "]"
        case .optional:
            return children.first ?? "nil"
        case .enum:
            return children.isEmpty ? "\(value)" : "." + children.joined(separator: ", ")
        case nil:
            return "\(value)"
        default:
            return "\(type(of: value))(" + children.joined(separator: ", ") + ")"
        }
    }
}
