/// Indices, aliases and documents of the simulated cluster, tracked only as far as authorization
/// and existence-dependent answers need them: an index created by a request (or auto-created by a
/// write) exists afterwards, a deleted one no longer does, documents are known by id.
extension SimulatedCluster {
    /// Whether an index, alias or data stream of that name exists; the security index always does.
    func exists(_ name: String) -> Bool {
        name == settings.securityIndexName || state.withLock { $0.metadata.allNames.contains(name) }
    }

    func documentExists(index: String, id: String) -> Bool {
        state.withLock { $0.documentIDs[index]?.contains(id) ?? false }
    }

    /// Creates an index (with aliases and the fields of its explicit mapping); false when the name is taken.
    @discardableResult
    func createIndex(_ name: String, aliases: [String] = [], fields: Set<String> = []) -> Bool {
        let created = changeMetadata { metadata in
            guard !metadata.allNames.contains(name) else { return false }
            var members = metadata.aliases
            for alias in aliases { members[alias, default: []].append(name) }
            metadata = ClusterMetadata(indices: metadata.indices.union([name]), hiddenIndices: metadata.hiddenIndices, aliases: members,
                                       dataStreams: metadata.dataStreams, systemIndices: metadata.systemIndices)
            return true
        }
        if created { state.withLock { $0.mappedFields[name] = fields } }
        return created
    }

    /// The fields of `fields` that the index's mapping lacks: a write that brings them updates the
    /// mapping dynamically. Empty for an index whose mapping is unknown (it existed at start).
    func unmappedFields(_ fields: Set<String>, in index: String) -> Set<String> {
        state.withLock { state in state.mappedFields[index].map { fields.subtracting($0) } ?? [] }
    }

    /// Adds fields to the mapping of an index created while serving (dynamic or explicit put mapping).
    func mapFields(_ fields: Set<String>, in index: String) {
        state.withLock { state in
            if state.mappedFields[index] != nil { state.mappedFields[index]?.formUnion(fields) }
        }
    }

    /// Deletes a concrete index and its documents; false when there is none of that name.
    @discardableResult
    func deleteIndex(_ name: String) -> Bool {
        let deleted = changeMetadata { metadata in
            guard metadata.indices.contains(name) else { return false }
            let aliases = metadata.aliases.mapValues { $0.filter { $0 != name } }.filter { !$0.value.isEmpty }
            metadata = ClusterMetadata(indices: metadata.indices.subtracting([name]), hiddenIndices: metadata.hiddenIndices.subtracting([name]),
                                       aliases: aliases, dataStreams: metadata.dataStreams, systemIndices: metadata.systemIndices)
            return true
        }
        if deleted {
            state.withLock { state in
                state.documentIDs.removeValue(forKey: name)
                state.mappedFields.removeValue(forKey: name)
            }
        }
        return deleted
    }

    /// Adds and removes alias memberships (`POST _aliases`).
    func changeAliases(add: [(index: String, alias: String)], remove: [(index: String, alias: String)]) {
        changeMetadata { metadata in
            var members = metadata.aliases
            for (index, alias) in remove { members[alias]?.removeAll { $0 == index } }
            for (index, alias) in add where !(members[alias]?.contains(index) ?? false) { members[alias, default: []].append(index) }
            metadata = ClusterMetadata(indices: metadata.indices, hiddenIndices: metadata.hiddenIndices, aliases: members.filter { !$0.value.isEmpty },
                                       dataStreams: metadata.dataStreams, systemIndices: metadata.systemIndices)
            return true
        }
    }

    /// Stores a document id (creating its index when missing); true when the id is new.
    func putDocument(index: String, id: String) -> Bool {
        if !exists(index) { createIndex(index) }
        return state.withLock { $0.documentIDs[index, default: []].insert(id).inserted }
    }

    /// Removes a document id; false when it was not there.
    func deleteDocument(index: String, id: String) -> Bool {
        state.withLock { $0.documentIDs[index]?.remove(id) != nil }
    }

    /// Changes the metadata; the evaluator is rebuilt on it before the next request is answered
    /// (once for a burst of changes, e.g. a bulk request auto-creating many indices).
    @discardableResult
    private func changeMetadata(_ change: (inout ClusterMetadata) -> Bool) -> Bool {
        state.withLock { state in
            var metadata = state.metadata
            guard change(&metadata) else { return false }
            state.metadata = metadata
            state.metadataChanged = true
            return true
        }
    }
}
