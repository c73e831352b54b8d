import Foundation

/// `GET /.opendistro_security/_doc/<type>` for the super admin: the configuration document as the
/// security index holds it, `_source.<type>` being the base64 of its JSON (security-layer-responses.md
/// "The security index"; opensearch-security-semantics.md §7). Open Distro adds `_type: _doc`.
/// The JSON's keys are written sorted: the order of the uploaded YAML is not kept.
struct SecurityIndexDocuments {
    let context: RequestContext

    func answer(id: String, head: Bool) -> ClusterResponse {
        let index = context.cluster.settings.securityIndexName
        var pairs: [(String, JSON)] = [("_index", .string(index))]
        if context.behaviour.isOpenDistro { pairs.append(("_type", .string("_doc"))) }
        pairs.append(("_id", .string(id)))
        let documents = context.snapshot.documents
        guard let type = ConfigType(rawValue: id), let document = documents.documents[type] else {
            return respond(404, .object(pairs + [("found", .bool(false))]), head: head)
        }
        let version = documents.versions[type] ?? 1
        let encoded = Data(document.jsonText.utf8).base64EncodedString()
        pairs += [("_version", .number(Double(version))), ("_seq_no", .number(Double(version - 1))), ("_primary_term", .number(1)),
                  ("found", .bool(true)), ("_source", .object([(id, .string(encoded))]))]
        return respond(200, .object(pairs), head: head)
    }

    private func respond(_ status: Int, _ body: JSON, head: Bool) -> ClusterResponse {
        let response = Responses.json(status, body)
        return head ? ClusterResponse(status: status, headers: response.headers, body: []) : response
    }
}
