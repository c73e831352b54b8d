/// The request-body checks of the Security REST API (`RequestContentValidator`, 2.11 source):
/// a parseable, non-empty object; only the endpoint's keys; mandatory keys; the right data types;
/// no `null` array elements. Error bodies are `{"status":"error","reason":…}` with the details.
struct ContentValidator {
    let endpoint: SecurityEndpoint
    let allowed: [String: SecurityEndpoint.DataType]
    /// Before 2.10 (AbstractConfigurationValidator, 1.3 source) `specify_one_of` printed the missing
    /// mandatory keys instead of the one-of keys, so it is left out when those are none.
    var legacy = false

    struct Failure: Error {
        let body: JSON
    }

    static func error(_ reason: String, _ extra: [(String, JSON)] = []) -> Failure {
        Failure(body: .object([("status", .string("error")), ("reason", .string(reason))] + extra))
    }

    /// Parses and checks a body; the parsed object when it passes.
    func validate(_ bytes: [UInt8]) throws(Failure) -> ConfigValue {
        guard let value = ConfigValue.parseJSON(bytes) else { throw ContentValidator.error("Could not parse content of request.") }
        try validate(value)
        return value
    }

    func validate(_ value: ConfigValue) throws(Failure) {
        guard let map = value.map else { throw ContentValidator.error("Could not parse content of request.") }
        guard !map.isEmpty else { throw ContentValidator.error("Request body required for this action.") }
        let keys = Set(map.keys)
        let invalid = keys.subtracting(allowed.keys)
        let missing = Set(endpoint.mandatoryKeys).subtracting(keys)
        let missingOneOf = !endpoint.mandatoryOrKeys.isEmpty && keys.isDisjoint(with: endpoint.mandatoryOrKeys) ? Set(endpoint.mandatoryOrKeys) : []
        if !invalid.isEmpty || !missing.isEmpty || !missingOneOf.isEmpty {
            // The key sets are Java HashSets: joined in their iteration order.
            var extra: [(String, JSON)] = []
            if !invalid.isEmpty { extra.append(("invalid_keys", .object([("keys", .string(JavaHashOrder.order(invalid.sorted()).joined(separator: ",")))]))) }
            if !missing.isEmpty { extra.append(("missing_mandatory_keys", .object([("keys", .string(JavaHashOrder.order(missing.sorted()).joined(separator: ",")))]))) }
            let oneOf = legacy ? missing : missingOneOf
            if !oneOf.isEmpty { extra.append(("specify_one_of", .object([("keys", .string(JavaHashOrder.order(oneOf.sorted()).joined(separator: ",")))]))) }
            throw ContentValidator.error("Invalid configuration", extra)
        }
        var wrong: [String: String] = [:]
        for (key, item) in map {
            switch allowed[key] {
            case .string?: if case .string = item {} else { wrong[key] = "String expected" }
            case .array?: if case .list = item {} else { wrong[key] = "Array expected" }
            case .object?: if case .map = item {} else { wrong[key] = "Object expected" }
            case .boolean?, nil: break
            }
        }
        if !wrong.isEmpty {
            throw ContentValidator.error("Wrong datatype", JavaHashOrder.order(wrong.keys.sorted()).map { ($0, .string(wrong[$0] ?? "")) })
        }
        for (key, item) in map where allowed[key] != nil && ContentValidator.hasNullArrayElement(item) {
            throw ContentValidator.error("`null` is not allowed as json array element")
        }
    }

    private static func hasNullArrayElement(_ value: ConfigValue) -> Bool {
        switch value {
        case .list(let items): items.contains { if case .null = $0 { return true }; return hasNullArrayElement($0) }
        case .map(let map): map.values.contains(where: hasNullArrayElement)
        default: false
        }
    }
}
