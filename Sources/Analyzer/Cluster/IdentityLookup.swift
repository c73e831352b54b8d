import PermissionCatalog

/// The requests `whoami` sends, over any `Cluster`: `GET /` for the version, `{prefix}/authinfo`
/// for the identity (and to learn which prefix answers), `{prefix}/whoami` for the super-admin flag.
public enum IdentityLookup {
    /// Looks up who the caller is. `target` skips release detection (its REST prefix is used).
    /// Throws `ClusterError` for 401, 503 and other unusable answers, and
    /// `ReleaseDetectionFailure.noSecurityPlugin` when no security prefix answers; a release that
    /// cannot be told is reported in the identity, which is known all the same.
    public static func lookUp(_ cluster: some Cluster, clusterName: String, user: String?, target: TargetProfile?) async throws -> ClusterIdentity {
        let rootResponse = try await cluster.send(ClusterRequest(method: "GET", path: "/"))
        try ClusterError.check(rootResponse, path: "/", user: user, allowing: [200, 403])
        let root = rootResponse.status == 200 ? RootInfo(body: rootResponse.body) : nil

        let prefixes = target.map { [$0.restPrefix] } ?? ReleaseDetection.prefixesToProbe(root: root)
        var answered: (prefix: String, info: AuthInfo)?
        for prefix in prefixes {
            let path = prefix + "/authinfo"
            let response = try await cluster.send(ClusterRequest(method: "GET", path: path))
            try ClusterError.check(response, path: path, user: user, allowing: [200, 400, 403, 404, 405])
            if ReleaseDetection.securityAnswered(status: response.status, body: response.body), let info = AuthInfo(body: response.body) {
                answered = (prefix, info)
                break
            }
        }
        guard let answered else { throw ReleaseDetectionFailure.noSecurityPlugin }
        let release: Result<DetectedRelease, ReleaseDetectionFailure> = if let target {
            .success(DetectedRelease(profile: target, restPrefix: answered.prefix, evidence: "--target"))
        } else {
            ReleaseDetection.detect(root: root, rootForbidden: rootResponse.status == 403, answering: [answered.prefix])
        }

        let whoamiPath = answered.prefix + "/whoami"
        let whoami = try await cluster.send(ClusterRequest(method: "GET", path: whoamiPath))
        try ClusterError.check(whoami, path: whoamiPath, user: user, allowing: Set(100...599).subtracting([401, 503]))
        let superAdmin = whoami.status == 200 ? TLSWhoAmI(body: whoami.body)?.isAdmin : nil
        return ClusterIdentity(cluster: clusterName, restPrefix: answered.prefix, release: release, releaseGiven: target != nil, authInfo: answered.info, superAdmin: superAdmin)
    }
}

extension ClusterError {
    /// Turns the answers every live command treats alike into errors: 401 (authentication
    /// failed), 503 "Security not initialized" (security-layer-responses.md, "Authentication
    /// failures"), and any status outside `allowing`.
    public static func check(_ response: ClusterResponse, path: String, user: String?, allowing: Set<Int>) throws(ClusterError) {
        if response.status == 401 { throw .unauthorized(user: user) }
        let text = String(decoding: response.body.prefix(512), as: UTF8.self)
        if response.status == 503, text.contains("Security not initialized") { throw .securityNotInitialized(endpoint: path) }
        guard allowing.contains(response.status) else {
            let excerpt = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            throw .unexpectedResponse(status: response.status, path: path, excerpt: String(excerpt.prefix(200)))
        }
    }
}
