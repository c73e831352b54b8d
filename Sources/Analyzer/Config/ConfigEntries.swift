/// The named entries of one configuration type (roles, role mappings, users …) in the order they
/// were written, looked up by name. Reads like a dictionary (`entries[name]`, `keys`, `values`,
/// iteration over `(key, value)` pairs), but `keys`, `values` and iteration follow the file, so a
/// configuration written back keeps its order. Assigning to a new name appends; assigning to an
/// existing name replaces the entry in place; assigning `nil` removes it.
public struct ConfigEntries<Entry: Hashable & Sendable>: Hashable, Sendable {
    /// Entry names, in order.
    public private(set) var keys: [String] = []
    /// Entries, in the order of ``keys``.
    public private(set) var values: [Entry] = []
    private var positions: [String: Int] = [:]

    public init() {}

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(name: String) -> Entry? {
        get { positions[name].map { values[$0] } }
        set {
            switch (positions[name], newValue) {
            case (let position?, let entry?):
                values[position] = entry
            case (nil, let entry?):
                positions[name] = keys.count
                keys.append(name)
                values.append(entry)
            case (let position?, nil):
                keys.remove(at: position)
                values.remove(at: position)
                positions[name] = nil
                for index in position..<keys.count { positions[keys[index]] = index }
            case (nil, nil):
                break
            }
        }
    }

    /// The entries transformed, keyed by name (order is not needed by lookups).
    public func mapValues<T>(_ transform: (Entry) throws -> T) rethrows -> [String: T] {
        var result: [String: T] = [:]
        result.reserveCapacity(keys.count)
        for (name, entry) in zip(keys, values) { result[name] = try transform(entry) }
        return result
    }

    /// Adds the entries of `other` after these; for a name present in both, `combine` decides and
    /// the entry keeps its first position.
    public mutating func merge(_ other: ConfigEntries, uniquingKeysWith combine: (Entry, Entry) throws -> Entry) rethrows {
        for (name, entry) in other {
            if let current = self[name] { self[name] = try combine(current, entry) } else { self[name] = entry }
        }
    }

    public static func == (lhs: ConfigEntries, rhs: ConfigEntries) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        hasher.combine(values)
    }
}

extension ConfigEntries: Sequence {
    public typealias Element = (key: String, value: Entry)

    public struct Iterator: IteratorProtocol {
        fileprivate var base: Zip2Sequence<[String], [Entry]>.Iterator

        public mutating func next() -> (key: String, value: Entry)? {
            base.next().map { (key: $0.0, value: $0.1) }
        }
    }

    public func makeIterator() -> Iterator { Iterator(base: zip(keys, values).makeIterator()) }

    public var underestimatedCount: Int { keys.count }
}

extension ConfigEntries: ExpressibleByDictionaryLiteral {
    /// Entries in the order written; a repeated name keeps its first position and its last entry.
    public init(dictionaryLiteral elements: (String, Entry)...) {
        for (name, entry) in elements { self[name] = entry }
    }
}
