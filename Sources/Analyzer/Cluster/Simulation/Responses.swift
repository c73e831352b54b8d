/// The response shapes the security layer and OpenSearch send (security-layer-responses.md,
/// opensearch-security-semantics.md §5).
enum Responses {
    static let jsonType = HTTPHeader("content-type", "application/json; charset=UTF-8")
    static let textType = HTTPHeader("content-type", "text/plain; charset=UTF-8")

    static func json(_ status: Int, _ body: JSON) -> ClusterResponse {
        ClusterResponse(status: status, headers: [jsonType], body: body.bytes)
    }

    static func text(_ status: Int, _ body: String) -> ClusterResponse {
        ClusterResponse(status: status, headers: [textType], body: Array(body.utf8))
    }

    /// 401 from the basic authenticator's challenge (`HTTPBasicAuthenticator.reRequestAuthentication`).
    static func unauthorized(realm: String) -> ClusterResponse {
        ClusterResponse(status: 401, headers: [HTTPHeader("WWW-Authenticate", "Basic realm=\"\(realm)\""), textType],
                        body: Array("Unauthorized".utf8))
    }

    /// An OpenSearch exception rendered by `BytesRestResponse`: the root cause repeated at the top.
    static func exception(_ status: Int, type: String, reason: String) -> ClusterResponse {
        json(status, errorBody(status, type: type, reason: reason))
    }

    static func errorBody(_ status: Int, type: String, reason: String) -> JSON {
        let cause = JSON.object([("type", .string(type)), ("reason", .string(reason))])
        return .object([("error", .object([("root_cause", .array([cause])), ("type", .string(type)), ("reason", .string(reason))])),
                        ("status", .number(Double(status)))])
    }

    /// A transport-level denial (`SecurityFilter`): 403 `security_exception`.
    static func forbidden(_ reason: String) -> ClusterResponse {
        exception(403, type: "security_exception", reason: reason)
    }

    /// The Security REST API envelope `{"status":"<RestStatus name>","message":"…"}` (`Responses.payload`).
    static func restStatus(_ status: Int, _ message: String) -> ClusterResponse {
        json(status, .object([("status", .string(statusName(status))), ("message", .string(message))]))
    }

    /// `RestStatus` names of the codes the simulated cluster sends.
    static func statusName(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "CREATED"
        case 400: "BAD_REQUEST"
        case 401: "UNAUTHORIZED"
        case 403: "FORBIDDEN"
        case 404: "NOT_FOUND"
        case 405: "METHOD_NOT_ALLOWED"
        case 409: "CONFLICT"
        case 500: "INTERNAL_SERVER_ERROR"
        case 501: "NOT_IMPLEMENTED"
        case 503: "SERVICE_UNAVAILABLE"
        default: "OK"
        }
    }
}
