import Foundation

/// The concrete names a request's index expressions stand for (legacy `IndexResolverReplacer`, §3):
/// aliases and wildcards expand to concrete indices, data streams to their backing indices,
/// unknown names stay as written, remote `cluster:index` expressions are left to the remote cluster.
struct IndexResolution: Sendable {
    var names: [String] = []
    /// The request means every local index (`[]`, `_all`, `*`).
    var isLocalAll = false
    var remote: [String] = []
    var notes: [DecisionNote] = []
    var failures: [DateMath.Failure] = []

    /// Plain names without cluster metadata (the common single-index check) resolve to
    /// themselves; nil when the expressions need the full resolution.
    static func plain(_ expressions: [String]) -> IndexResolution? {
        if expressions.count == 1 {
            return isPlainName(expressions[0]) ? IndexResolution(names: expressions) : nil
        }
        guard !expressions.isEmpty, expressions.allSatisfy(isPlainName) else { return nil }
        var seen = Set<String>()
        return IndexResolution(names: expressions.filter { seen.insert($0).inserted })
    }

    private init(names: [String]) {
        self.names = names
    }

    init(expressions: [String], metadata: ClusterMetadata?, now: Date) {
        if metadata == nil, let plain = IndexResolution.plain(expressions) {
            self = plain
            return
        }
        let split = expressions.flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
        if split.isEmpty || split == ["_all"] || split == ["*"] {
            isLocalAll = true
            if let metadata {
                names = metadata.indices.filter { !metadata.hiddenIndices.contains($0) }.sorted()
            }
            return
        }
        var ordered: [String] = []
        var seen = Set<String>()
        func add(_ name: String) { if seen.insert(name).inserted { ordered.append(name) } }
        var sawWildcard = false
        for expression in split {
            if expression.hasPrefix("-"), sawWildcard {
                let excluded = Pattern(String(expression.dropFirst()))
                ordered.removeAll { excluded.matches($0) }
                seen = Set(ordered)
                continue
            }
            var name = expression
            if DateMath.isExpression(name) {
                switch DateMath.resolve(name, now: now) {
                case .success(let resolved): name = resolved
                case .failure(let failure):
                    failures.append(failure)
                    continue
                }
            }
            if name.utf8.contains(UInt8(ascii: ":")) {
                remote.append(name)
                continue
            }
            let isWildcard = name.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }
            sawWildcard = sawWildcard || isWildcard
            guard let metadata else {
                if isWildcard { notes.append(.expressionNotExpanded(expression: name)) }
                add(name)
                continue
            }
            if isWildcard {
                let pattern = Pattern(name)
                let matches = metadata.allNames.filter { candidate in
                    pattern.matches(candidate) && (!metadata.hiddenIndices.contains(candidate) || name.hasPrefix("."))
                }.sorted()
                if matches.isEmpty {
                    notes.append(.expressionMatchesNothing(expression: name))
                    add(name)
                }
                for match in matches { expand(match, metadata).forEach(add) }
            } else {
                expand(name, metadata).forEach(add)
            }
        }
        names = ordered
    }

    /// No wildcard, list, exclusion, date math, remote prefix, and not `_all`.
    static func isPlainName(_ name: String) -> Bool {
        NameTable.withBytes(name) { bytes in
            guard let first = bytes.first, first != UInt8(ascii: "-") else { return false }
            if bytes.count == 4, bytes.elementsEqual("_all".utf8) { return false }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "<"): return false
                default: continue
                }
            }
            return true
        }
    }

    private func expand(_ name: String, _ metadata: ClusterMetadata) -> [String] {
        if let members = metadata.aliases[name] { return members }
        if let backing = metadata.dataStreams[name] { return backing }
        return [name]
    }
}
