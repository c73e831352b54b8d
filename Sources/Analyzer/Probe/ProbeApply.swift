import Foundation
import PermissionCatalog

/// `secperm probe --apply`: installs the probed role under its name through the Security REST API
/// (security-layer-responses.md "Security REST API": `GET {prefix}/api/roles/<name>` answers
/// `{"<name>": {…}}` or 404, `PUT` creates or replaces the entry). The caller writes the backup of
/// an existing definition before it calls ``install(_:)``.
public struct ProbeApply: Sendable {
    let admin: any Cluster
    let profile: TargetProfile

    public init(admin: any Cluster, profile: TargetProfile) {
        self.admin = admin
        self.profile = profile
    }

    var rolesPath: String { profile.restPrefix + "/api/roles" }

    /// The role of that name as the cluster has it now, as a configuration holding only that role
    /// (ready for `ConfigWriter(...).securityadminFile(.roles)`); nil when there is none.
    public func existing(_ name: String) async throws -> SecurityConfig? {
        let path = "\(rolesPath)/\(Self.pathSegment(name))"
        let response = try await admin.send(ClusterRequest(method: "GET", path: path))
        if response.status == 404 { return nil }
        guard response.status == 200, let body = ConfigValue.parseJSON(response.body), body.map?[name] != nil else {
            throw ProbeSetupError(step: "read the existing role \(name)", status: response.status, body: String(decoding: response.body, as: UTF8.self))
        }
        let bundle = ConfigValue.map(["roles": body]).jsonText
        do {
            return try ConfigLoader(profile: profile).load(text: bundle, name: "GET \(path)").config
        } catch {
            throw ProbeSetupError(step: "read the existing role \(name)", status: response.status, body: String(decoding: response.body, as: UTF8.self))
        }
    }

    /// PUT of the role (its own name); the cluster's refusal is thrown as ``ProbeSetupError``.
    public func install(_ role: Role) async throws {
        var config = SecurityConfig()
        config.roles[role.name] = role
        guard let body = try ConfigWriter(config).restBodies(.roles, asAdmin: false).first?.body else { return }
        let request = ClusterRequest(method: "PUT", path: "\(rolesPath)/\(Self.pathSegment(role.name))",
                                     headers: [HTTPHeader("Content-Type", "application/json")], body: Array(body.utf8))
        let response = try await admin.send(request)
        guard (200..<300).contains(response.status) else {
            throw ProbeSetupError(step: "install the role \(role.name)", status: response.status, body: String(decoding: response.body, as: UTF8.self))
        }
    }

    /// A role name as one path segment.
    static func pathSegment(_ name: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
    }
}

/// What `--apply` did: the role installed, and where the definition it replaced was saved.
public struct ProbeApplyOutcome: Hashable, Sendable {
    public let roleName: String
    /// The roles.yml backup of the role that existed under that name; nil when there was none.
    public let backupPath: String?

    public init(roleName: String, backupPath: String?) {
        self.roleName = roleName
        self.backupPath = backupPath
    }
}
