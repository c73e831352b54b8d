import PermissionCatalog

/// What a client sees change between releases at the HTTP surface, for one target profile
/// (security-layer-responses.md). Lucenia follows the newest OpenSearch behaviour, as the
/// profile does elsewhere; Open Distro answers as Elasticsearch 7.10.2.
struct ReleaseBehaviour: Sendable {
    let profile: TargetProfile

    private func since(_ major: Int, _ minor: Int) -> Bool {
        switch profile.flavor {
        case .opendistro: false
        case .lucenia: TargetProfile.default.version.isAtLeast(major, minor)
        case .opensearch: profile.version.isAtLeast(major, minor)
        }
    }

    var isOpenDistro: Bool { profile.flavor == .opendistro }

    /// The basic authenticator's realm in `WWW-Authenticate`.
    var realm: String { isOpenDistro ? "Open Distro Security" : "OpenSearch Security" }

    /// `?perform_permission_check=true` answers a dry run (3.2+); before, it is an unknown parameter.
    var hasPermissionCheck: Bool { since(3, 2) }

    /// Role and backend-role lists in authinfo and 403 texts: HashSet order before 3.1.
    var listsInHashOrder: Bool { !since(3, 1) }

    /// Before 3.1 (ConfigModelV7.TenantHolder.mapTenants) a caller holding `kibana_user` or
    /// `all_access` also gets `global_tenant: true`; 3.1 computes tenants from privileges only.
    var legacyTenantMap: Bool { !since(3, 1) }

    /// Security REST API messages of 2.10+ (`'x' created.`, `Resource 'x' is static.` …).
    var hasNewRestMessages: Bool { since(2, 10) }

    /// `hidden` is an allowed body key for admins from 2.16 (RolesApiAction & co.; 2.15 and
    /// earlier allow only `reserved`).
    var adminMayWriteHidden: Bool { since(2, 16) }

    /// A PATCH that changes nothing answers 200 "No updates required" from 2.16 (JsonDiff in
    /// AbstractApiAction.patchEntities / RequestContentValidator.validate).
    var reportsNoUpdates: Bool { since(2, 16) }

    /// REST admin (`restapi:admin/*` with `restapi.admin.enabled`) exists from 2.8.
    var hasRestAdmin: Bool { since(2, 8) }

    /// The legacy `/_opendistro/_security` prefix is also served by OpenSearch.
    var prefixes: [String] { isOpenDistro ? ["/_opendistro/_security"] : ["/_plugins/_security", "/_opendistro/_security"] }

    /// `version.number` of `GET /`.
    var versionNumber: String {
        switch profile.flavor {
        case .opendistro: return "7.10.2"
        case .opensearch, .lucenia:
            var parts = profile.version.parts
            while parts.count < 3 { parts.append(0) }
            return parts.prefix(3).map(String.init).joined(separator: ".")
        }
    }

    var distribution: String? {
        switch profile.flavor {
        case .opendistro: nil
        case .opensearch: "opensearch"
        case .lucenia: "lucenia"
        }
    }

    var tagline: String {
        switch profile.flavor {
        case .opendistro: "You Know, for Search"
        case .opensearch: "The OpenSearch Project: https://opensearch.org/"
        case .lucenia: "The Lucenia Project: https://lucenia.io/"
        }
    }

    /// Lucene release shipped with the line (a plausible value; clients rarely read it).
    var luceneVersion: String {
        if isOpenDistro { return "8.7.0" }
        if since(3, 0) { return "10.2.1" }
        if since(2, 19) { return "9.12.1" }
        if since(2, 11) { return "9.7.0" }
        if since(2, 0) { return "9.1.0" }
        return "8.10.1"
    }
}
