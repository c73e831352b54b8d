/// `secperm expand` output.
public struct ExpansionReport: Sendable {
    public let target: String
    public let expansion: ActionExpansion

    public init(target: String, expansion: ActionExpansion) {
        self.target = target
        self.expansion = expansion
    }

    public func text() -> String {
        var out = "\(expansion.inputs.joined(separator: ", ")) on \(target) grants \(expansion.actions.count) known action\(expansion.actions.count == 1 ? "" : "s"):\n\n"
        out += TextTable.render(expansion.actions.map { action in
            [action, "via " + expansion.via[action, default: []].joined(separator: " → ")]
        })
        if !expansion.residualPatterns.isEmpty {
            out += "\nPatterns that also grant actions the catalog does not list (plugins' own):\n"
            out += expansion.residualPatterns.map { "  \($0)\n" }.joined()
        }
        if !expansion.coveredPatterns.isEmpty {
            out += "\nDocumented patterns granted in full: \(expansion.coveredPatterns.joined(separator: ", "))\n"
        }
        if !expansion.unknownNames.isEmpty {
            out += "\nUnknown names, kept literally (no such group or catalog permission; check the spelling):\n"
            out += expansion.unknownNames.map { "  \($0)\n" }.joined()
        }
        if !expansion.invalidPatterns.isEmpty {
            out += "\nInvalid patterns, dropped as the plugin does:\n"
            out += expansion.invalidPatterns.map { "  \($0.pattern): \($0.reason)\n" }.joined()
        }
        return out
    }

    struct JSONRoot: Encodable {
        let schemaVersion = 1
        let target: String
        let inputs: [String]
        let actions: [String]
        let residualPatterns: [String]
        let unknownNames: [String]
        let coveredPatterns: [String]
        let invalidPatterns: [String]
        let via: [String: [String]]
    }

    public func json() -> String {
        JSONOutput.render(JSONRoot(target: target, inputs: expansion.inputs, actions: expansion.actions,
                                   residualPatterns: expansion.residualPatterns, unknownNames: expansion.unknownNames,
                                   coveredPatterns: expansion.coveredPatterns,
                                   invalidPatterns: expansion.invalidPatterns.map(\.pattern), via: expansion.via))
    }
}
