import Foundation

/// The scratch user, role and mapping through the Security REST API (security-layer-responses.md
/// "Security REST API": PUT creates or replaces one entry, DELETE removes it).
extension ProbeLoop {
    var apiPrefix: String { profile.restPrefix + "/api" }

    /// Creates the user (random password, sent only in this request's body), the role with the
    /// planner's prediction, and the mapping of the role to the user; each is recorded as created
    /// before the next step so that cleanup removes exactly what exists.
    func setUp(_ scratch: inout Scratch, grants: ProbeGrants) async throws {
        let userBody = try ProbeLoop.json(["password": scratch.password, "backend_roles": [String](), "description": "secperm probe scratch user (removed at the end)"])
        try await adminCall("PUT", "internalusers/\(scratch.user)", body: userBody, step: "create the scratch user")
        scratch.created.append("internalusers/\(scratch.user)")
        try await putRole(scratch.role, grants: grants, step: "create the scratch role")
        scratch.created.append("roles/\(scratch.role)")
        let mappingBody = try ProbeLoop.json(["users": [scratch.user], "description": "secperm probe scratch mapping (removed at the end)"])
        try await adminCall("PUT", "rolesmapping/\(scratch.role)", body: mappingBody, step: "map the scratch role")
        scratch.created.append("rolesmapping/\(scratch.role)")
    }

    func putRole(_ name: String, grants: ProbeGrants, step: String) async throws {
        try await putRole(name, role: grants.role(named: name, description: "secperm probe scratch role (removed at the end)"), step: step)
    }

    func putRole(_ name: String, role: Role, step: String) async throws {
        var config = SecurityConfig()
        config.roles[name] = role
        guard let body = try ConfigWriter(config).restBodies(.roles, asAdmin: false).first?.body else { return }
        try await adminCall("PUT", "roles/\(name)", body: body, step: step)
    }

    /// Removes what was created, newest first (mapping, role, user), away from any cancellation of
    /// the caller; returns the steps the cluster refused.
    func cleanUp(_ scratch: Scratch) async -> [String] {
        let admin = admin, prefix = apiPrefix
        return await Task.detached {
            var problems: [String] = []
            for entry in scratch.created.reversed() {
                let request = ClusterRequest(method: "DELETE", path: "\(prefix)/\(entry)")
                do {
                    let response = try await admin.send(request)
                    if !(200..<300).contains(response.status), response.status != 404 {
                        problems.append("DELETE \(prefix)/\(entry): \(response.status) \(String(decoding: response.body, as: UTF8.self))")
                    }
                } catch {
                    problems.append("DELETE \(prefix)/\(entry): \(error)")
                }
            }
            return problems
        }.value
    }

    func adminCall(_ method: String, _ endpoint: String, body: String, step: String) async throws {
        let request = ClusterRequest(method: method, path: "\(apiPrefix)/\(endpoint)", headers: [HTTPHeader("Content-Type", "application/json")],
                                     body: Array(body.utf8))
        let response = try await admin.send(request)
        guard (200..<300).contains(response.status) else {
            throw ProbeSetupError(step: step, status: response.status, body: String(decoding: response.body, as: UTF8.self))
        }
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
