/// What exists in the cluster: indices, aliases, data streams. Wildcards, `_all` and aliases in a
/// request resolve against it. Without it, requested names are taken as concrete indices.
public struct ClusterMetadata: Hashable, Sendable {
    public private(set) var indices: Set<String>
    public private(set) var hiddenIndices: Set<String>
    /// Alias → member indices.
    public private(set) var aliases: [String: [String]]
    /// Data stream → backing indices.
    public private(set) var dataStreams: [String: [String]]
    /// Indices registered as system indices by plugins (descriptors), besides the settings list.
    public private(set) var systemIndices: Set<String>

    public init(indices: Set<String> = [], hiddenIndices: Set<String> = [], aliases: [String: [String]] = [:],
                dataStreams: [String: [String]] = [:], systemIndices: Set<String> = []) {
        self.indices = indices
        self.hiddenIndices = hiddenIndices
        self.aliases = aliases
        self.dataStreams = dataStreams
        self.systemIndices = systemIndices
        rebuildLookups()
    }

    /// Index → aliases pointing at it; backing index → its data stream.
    public private(set) var aliasesOfIndex: [String: [String]] = [:]
    public private(set) var parentDataStream: [String: String] = [:]

    private mutating func rebuildLookups() {
        var byIndex: [String: [String]] = [:]
        for (alias, members) in aliases.sorted(by: { $0.key < $1.key }) {
            for member in members { byIndex[member, default: []].append(alias) }
        }
        aliasesOfIndex = byIndex
        var parents: [String: String] = [:]
        for (stream, backing) in dataStreams { for index in backing { parents[index] = stream } }
        parentDataStream = parents
        for backing in dataStreams.values { indices.formUnion(backing) }
    }

    /// Every name a request may use: indices, aliases, data streams.
    public var allNames: Set<String> { indices.union(aliases.keys).union(dataStreams.keys) }
}
