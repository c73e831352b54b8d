import Foundation
import Synchronization

/// The caller as the security layer sees it after authentication.
struct Caller: Sendable {
    let subject: Subject
    /// Authenticated by a client certificate whose DN is an admin DN: every check passes.
    let isSuperAdmin: Bool
    /// The client certificate DN (`principal` in authinfo).
    let principal: String?
    /// An internal user (basic authentication against internal_users).
    let isInternalUser: Bool
}

/// Authentication as the plugin does it for the configurations simulate serves: the admin
/// certificate first (`plugins.security.authcz.admin_dn`, RFC 2253 comparison), then HTTP basic
/// authentication against the internal users' bcrypt hashes. Other authentication domains (JWT,
/// SAML, LDAP …) are not simulated.
final class Authenticator: Sendable {
    let adminDNs: [DistinguishedName]
    let hasher: any PasswordHasher
    let behaviour: ReleaseBehaviour
    /// Verified `Authorization` values → the user's stored hash they were checked against, like
    /// the plugin's authentication cache: bcrypt runs once per credential, not once per request.
    /// Held in memory only; an entry is used only while the user's hash is unchanged.
    private let verified = Mutex<[String: String]>([:])

    init(adminDNs: [DistinguishedName], hasher: any PasswordHasher, behaviour: ReleaseBehaviour) {
        self.adminDNs = adminDNs
        self.hasher = hasher
        self.behaviour = behaviour
    }

    enum Result {
        case authenticated(Caller)
        case refused(ClusterResponse, reason: String)
    }

    func authenticate(_ request: ClusterRequest, peer: PeerIdentity, documents: SecurityDocuments, config: SecurityConfig) -> Result {
        let tenant = request.header("securitytenant") ?? request.header("security_tenant")
        if let dn = peer.clientCertificateDN, let parsed = DistinguishedName(dn), adminDNs.contains(parsed) {
            let subject = Subject(name: dn, host: peer.ip, requestedTenant: tenant)
            return .authenticated(Caller(subject: subject, isSuperAdmin: true, principal: dn, isInternalUser: false))
        }
        let challenge = Result.refused(Responses.unauthorized(realm: behaviour.realm), reason: "Unauthorized")
        guard let (name, password) = basicCredentials(request) else { return challenge }
        guard let user = config.internalUsers[name], let hash = documents.passwordHash(of: name),
              isVerified(request.header("authorization") ?? "", password: password, hash: hash) else { return challenge }
        // A disabled user or a service account cannot log in with a password.
        guard user.enabled, !user.isService else { return challenge }
        var subject = Subject(internalUser: user)
        subject.host = peer.ip
        subject.requestedTenant = tenant
        if behaviour.listsInHashOrder { subject.backendRoles = JavaHashOrder.order(subject.backendRoles) }
        return .authenticated(Caller(subject: subject, isSuperAdmin: false, principal: peer.clientCertificateDN, isInternalUser: true))
    }

    private func isVerified(_ credential: String, password: String, hash: String) -> Bool {
        if verified.withLock({ $0[credential] }) == hash { return true }
        guard hasher.verify(password, against: hash) else { return false }
        verified.withLock { cache in
            if cache.count >= 10_000 { cache.removeAll(keepingCapacity: true) }
            cache[credential] = hash
        }
        return true
    }

    /// `Authorization: Basic base64(user:password)`; the password is everything after the first colon.
    private func basicCredentials(_ request: ClusterRequest) -> (String, String)? {
        guard let header = request.header("authorization") else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let data = Data(base64Encoded: String(parts[1]).trimmingSpaces),
              let decoded = String(data: data, encoding: .utf8),
              let colon = decoded.firstIndex(of: ":") else { return nil }
        let name = String(decoded[..<colon])
        guard !name.isEmpty else { return nil }
        return (name, String(decoded[decoded.index(after: colon)...]))
    }
}
