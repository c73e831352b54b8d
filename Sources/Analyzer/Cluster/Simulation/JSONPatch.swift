/// RFC 6902 `add`, `replace` and `remove` over configuration values, with the failure messages of
/// the library the plugin uses (flipkart zjsonpatch `InPlaceApplyProcessor`: `replace` of a
/// missing field is `Missing field "x"`, `remove` of a missing field does nothing, array indices
/// out of range are `Array index N out of bounds`).
enum JSONPatch {
    struct Failure: Error, Equatable {
        let message: String
    }

    struct Operation {
        let op: String
        let path: [String]
        let value: ConfigValue?
    }

    /// Reads the operations of a patch body; nil when an entry is not an object with `op` and `path`.
    static func operations(_ body: ConfigValue) -> [Operation]? {
        guard let list = body.list else { return nil }
        var result: [Operation] = []
        for item in list {
            guard let map = item.map, let op = map["op"]?.string, let path = map["path"]?.string else { return nil }
            result.append(Operation(op: op, path: pointer(path), value: map["value"]))
        }
        return result
    }

    /// `/a/b~1c` → `["a", "b/c"]`.
    static func pointer(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            .map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
    }

    static func apply(_ operations: [Operation], to document: ConfigValue) throws(Failure) -> ConfigValue {
        var result = document
        for operation in operations {
            guard !operation.path.isEmpty else {
                throw Failure(message: operation.op == "remove" ? "Cannot remove document root" : "Cannot replace root document")
            }
            result = try change(result, at: operation.path[...], operation)
        }
        return result
    }

    private static func change(_ node: ConfigValue, at path: ArraySlice<String>, _ operation: Operation) throws(Failure) -> ConfigValue {
        guard let token = path.first else { return node }
        let last = path.count == 1
        switch node {
        case .map(var map):
            if last {
                switch operation.op {
                case "add": map[token] = operation.value ?? .null
                case "replace":
                    guard map[token] != nil else { throw Failure(message: "Missing field \"\(token)\"") }
                    map[token] = operation.value ?? .null
                default: map[token] = nil
                }
                return .map(map)
            }
            guard let child = map[token] else { throw Failure(message: "Missing field \"\(token)\"") }
            map[token] = try change(child, at: path.dropFirst(), operation)
            return .map(map)
        case .list(var items):
            let index = token == "-" ? items.count : Int(token)
            guard let index, index >= 0 else { throw Failure(message: "Array index \(token) out of bounds") }
            if last {
                switch operation.op {
                case "add":
                    guard index <= items.count else { throw Failure(message: "Array index \(index) out of bounds") }
                    items.insert(operation.value ?? .null, at: index)
                case "replace":
                    guard index < items.count else { throw Failure(message: "Array index \(index) out of bounds") }
                    items[index] = operation.value ?? .null
                default:
                    guard index < items.count else { throw Failure(message: "Array index \(index) out of bounds") }
                    items.remove(at: index)
                }
                return .list(items)
            }
            guard index < items.count else { throw Failure(message: "Array index \(index) out of bounds") }
            items[index] = try change(items[index], at: path.dropFirst(), operation)
            return .list(items)
        default:
            throw Failure(message: "Cannot reference past scalar value")
        }
    }
}
