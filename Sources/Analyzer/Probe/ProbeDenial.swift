import Foundation

/// One action a denial names as missing, with the indices it was checked on when the answer says
/// (bulk, msearch and mget items name their index; a top-level 403 does not).
public struct MissingAction: Hashable, Sendable {
    public let action: String
    /// Alternatives of an `any of [a, b]` entry (the first is `action`); empty for a plain entry.
    public let alternatives: [String]
    /// The index the answer ties it to; nil when the answer names none.
    public let index: String?

    public init(action: String, alternatives: [String] = [], index: String? = nil) {
        self.action = action
        self.alternatives = alternatives
        self.index = index
    }
}

/// What the security layer said to one request, read from the response (opensearch-security-
/// semantics.md §5, security-layer-responses.md).
public enum ProbeAnswer: Hashable, Sendable {
    /// Authorization passed (any status that is not a security denial: 2xx, 404 index not found …).
    case authorized(status: Int)
    /// A denial that names missing actions; `form` says which of the plugin's forms it was.
    case denied(missing: [MissingAction], form: DenialForm, reason: String)
    /// A denial that names no grantable permission: `no permissions for []` (security, system,
    /// protected index, restore source), `No mapping for …`, the Security REST API gate.
    case special(SpecialDenial, reason: String)
    /// The scratch user's credentials were refused (401 `Unauthorized`).
    case unauthenticated(status: Int)
    /// A 401/403 this parser does not understand: reported with the raw body, never retried.
    case unparseable(status: Int, body: String)

    public enum DenialForm: String, Hashable, Sendable {
        /// `no permissions for [...] and User [...]` in a 403 (SecurityFilter).
        case transport
        /// `no permissions for [...] and associated roles [...]` (injected roles).
        case associatedRoles
        /// The REST-layer NamedRoute check: the same text sent with 401 (SecurityRestFilter, 2.11+).
        case restLayer
        /// `{"accessAllowed":false,"missingPrivileges":[...]}` of `?perform_permission_check=true` (3.2+).
        case permissionCheck
        /// Item errors inside a 200: bulk items, msearch responses, mget docs.
        case items
    }

    public enum SpecialDenial: String, Hashable, Sendable {
        /// `no permissions for []`.
        case emptyList
        /// `No mapping for <user> on roles [...]` (injected role that does not exist).
        case noMapping
        /// `No permission to access REST API: …` (Security REST API gate).
        case restAPIGate
    }
}

/// Reads a cluster's answer to a replayed request as a ``ProbeAnswer``.
public enum ProbeDenialParser {
    /// - Parameters:
    ///   - response: the answer.
    ///   - request: the console request that was sent (to tie msearch responses to their headers).
    public static func parse(_ response: ClusterResponse, request: ConsoleRequest) -> ProbeAnswer {
        let text = String(decoding: response.body, as: UTF8.self)
        let json = try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
        switch response.status {
        case 200..<300:
            return successBody(json, status: response.status, request: request, raw: text)
        case 401:
            if text.hasPrefix("no permissions for ") { return reasonAnswer(text, form: .restLayer, status: 401, raw: text) }
            return .unauthenticated(status: 401)
        case 403:
            if let object = json as? [String: Any] {
                if let reason = (object["error"] as? [String: Any])?["reason"] as? String {
                    return reasonAnswer(reason, form: .transport, status: 403, raw: text)
                }
                if let message = object["message"] as? String, message.hasPrefix("No permission to access REST API") {
                    return .special(.restAPIGate, reason: message)
                }
            }
            return .unparseable(status: 403, body: text)
        default:
            return .authorized(status: response.status)
        }
    }

    /// A reason text: `no permissions for [..] and User [..]`, `… and associated roles [..]`,
    /// `No mapping for …`.
    static func reasonAnswer(_ reason: String, form: ProbeAnswer.DenialForm, status: Int, raw: String, index: String? = nil) -> ProbeAnswer {
        if reason.hasPrefix("No mapping for ") { return .special(.noMapping, reason: reason) }
        guard let (entries, rest) = listAfter(prefix: "no permissions for ", in: reason) else {
            return .unparseable(status: status, body: raw)
        }
        let actualForm: ProbeAnswer.DenialForm = rest.hasPrefix(" and associated roles ") ? .associatedRoles : form
        guard rest.hasPrefix(" and User [") || rest.hasPrefix(" and associated roles ") else { return .unparseable(status: status, body: raw) }
        if entries.isEmpty { return .special(.emptyList, reason: reason) }
        return .denied(missing: entries.map { missing($0, index: index) }, form: actualForm, reason: reason)
    }

    /// One list entry: an action, or `any of [a, b]`.
    static func missing(_ entry: String, index: String?) -> MissingAction {
        if let (inner, rest) = listAfter(prefix: "any of ", in: entry), rest.isEmpty, let first = inner.first {
            return MissingAction(action: first, alternatives: inner, index: index)
        }
        return MissingAction(action: entry, index: index)
    }

    /// The entries of the bracketed list right after `prefix` (brackets inside entries, as in
    /// `bulk[s]` and `any of [..]`, are kept whole), and the text after the list.
    static func listAfter(prefix: String, in text: String) -> ([String], Substring)? {
        guard text.hasPrefix(prefix + "[") else { return nil }
        var depth = 0
        var entries: [String] = []
        var current = ""
        let body = text.dropFirst(prefix.count)
        for position in body.indices {
            let character = body[position]
            switch character {
            case "[":
                depth += 1
                if depth > 1 { current.append(character) }
            case "]":
                depth -= 1
                if depth == 0 {
                    let last = current.trimmingCharacters(in: .whitespaces)
                    if !last.isEmpty { entries.append(last) }
                    return (entries, body[body.index(after: position)...])
                }
                current.append(character)
            case "," where depth == 1:
                entries.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            default:
                current.append(character)
            }
        }
        return nil
    }

    /// A 2xx body: the dry run's verdict, or item errors of bulk / msearch / mget.
    static func successBody(_ json: Any?, status: Int, request: ConsoleRequest, raw: String) -> ProbeAnswer {
        guard let object = json as? [String: Any] else { return .authorized(status: status) }
        if let allowed = object["accessAllowed"] as? Bool, let missing = object["missingPrivileges"] as? [String] {
            if allowed { return .authorized(status: status) }
            if missing.isEmpty { return .special(.emptyList, reason: "accessAllowed false, missingPrivileges []") }
            return .denied(missing: missing.map { MissingAction(action: $0) }, form: .permissionCheck, reason: "missingPrivileges \(missing)")
        }
        var found: [(reason: String, index: String?)] = []
        if let items = object["items"] as? [[String: Any]] {
            for item in items {
                guard let result = item.values.first as? [String: Any], let error = result["error"] as? [String: Any],
                      (result["status"] as? Int) == 403 else { continue }
                found.append(((error["reason"] as? String) ?? "", result["_index"] as? String))
            }
        }
        if let responses = object["responses"] as? [[String: Any]] {
            let headers = multiSearchIndices(request)
            for (position, response) in responses.enumerated() {
                guard let error = response["error"] as? [String: Any], (response["status"] as? Int) == 403 else { continue }
                let indices = position < headers.count ? headers[position] : []
                found.append(((error["reason"] as? String) ?? "", indices.count == 1 ? indices[0] : indices.isEmpty ? nil : indices.joined(separator: ",")))
            }
        }
        if let docs = object["docs"] as? [[String: Any]] {
            for doc in docs {
                guard let error = doc["error"] as? [String: Any], (error["type"] as? String) == "security_exception" else { continue }
                found.append(((error["reason"] as? String) ?? "", doc["_index"] as? String))
            }
        }
        guard !found.isEmpty else { return .authorized(status: status) }
        return itemDenials(found, status: status, raw: raw)
    }

    /// Item denials combined: every named action with its item's index.
    static func itemDenials(_ found: [(reason: String, index: String?)], status: Int, raw: String) -> ProbeAnswer {
        var missing: [MissingAction] = []
        var reasons: [String] = []
        for (reason, index) in found {
            switch reasonAnswer(reason, form: .items, status: status, raw: raw, index: index) {
            case .denied(let actions, _, _):
                for action in actions where !missing.contains(action) { missing.append(action) }
                if !reasons.contains(reason) { reasons.append(reason) }
            case .special(let kind, let text):
                return .special(kind, reason: text)
            default:
                return .unparseable(status: status, body: raw)
            }
        }
        return .denied(missing: missing, form: .items, reason: reasons.joined(separator: "\n"))
    }

    /// The index list of each msearch item header, in order (the path's index when none is named).
    static func multiSearchIndices(_ request: ConsoleRequest) -> [[String]] {
        let segments = RouteTable.segments(request.path)
        let pathIndices = segments.count > 1 && !(segments.first ?? "").hasPrefix("_")
            ? (segments.first ?? "").split(separator: ",").map(String.init) : []
        var result: [[String]] = []
        for (position, item) in request.body.enumerated() where position % 2 == 0 {
            var indices = pathIndices
            if let header = item.value.map?["index"] {
                indices = header.list?.compactMap(\.string) ?? header.string.map { $0.split(separator: ",").map(String.init) } ?? indices
            }
            result.append(indices)
        }
        return result
    }
}
