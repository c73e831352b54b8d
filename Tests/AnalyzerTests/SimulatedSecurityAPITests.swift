@testable import Analyzer
import Foundation
import PermissionCatalog
import Testing

/// The Security REST API of the simulated cluster. Messages follow the plugin sources named in
/// SecurityAPI.swift (2.11 for 2.10+, 1.3 for earlier releases and Open Distro).
@Suite("Simulated cluster: Security REST API")
struct SimulatedSecurityAPITests {
    static func cluster(_ target: String) throws -> SimulatedCluster {
        var settings = NodeSettings()
        settings.restRolesEnabled = ["all_access"]
        return try Simulation.cluster(target, settings: settings)
    }

    static let superAdmin = PeerIdentity(clientCertificateDN: Simulation.adminDN, remoteAddress: "127.0.0.1:1", isTLS: true)

    func send(_ cluster: SimulatedCluster, _ method: String, _ path: String, as user: String? = "admin", body: String = "",
              peer: PeerIdentity = PeerIdentity(remoteAddress: "127.0.0.1:50000")) -> (Int, String) {
        let exchange = Simulation.send(cluster, method, path, as: user, body: body, peer: peer)
        return (exchange.response.status, Simulation.text(exchange.response))
    }

    // RestApiPrivilegesEvaluator.checkAccessPermissions: role reason + ". " + certificate reason.
    @Test func accessGateRefusesAUserWithoutARoleOfRolesEnabled() throws {
        let cluster = try SimulatedSecurityAPITests.cluster("opensearch-2.11")
        let (status, body) = send(cluster, "GET", "/_plugins/_security/api/roles", as: "alice")
        #expect(status == 403)
        #expect(body == "{\"status\":\"FORBIDDEN\",\"message\":\"No permission to access REST API: User alice with Security roles [analyst] does not have any role privileged for admin access. No ssl info found in request.\"}")
        let tls = send(cluster, "GET", "/_plugins/_security/api/roles", as: "alice", peer: PeerIdentity(remoteAddress: "127.0.0.1:2", isTLS: true))
        #expect(tls.1.hasSuffix("does not have any role privileged for admin access. No client TLS certificate found in request\"}"))
        let unset = try Simulation.cluster("opensearch-2.11")
        #expect(send(unset, "GET", "/_plugins/_security/api/roles").1 == "{\"status\":\"FORBIDDEN\",\"message\":\"No permission to access REST API: Role based access not enabled.. No ssl info found in request.\"}")
    }

    // RoleV7 field order (static last), defaults filled in, null description left out.
    @Test func getOneRoleAsTheModelPrintsIt() throws {
        let cluster = try SimulatedSecurityAPITests.cluster("opensearch-2.11")
        let (status, body) = send(cluster, "GET", "/_plugins/_security/api/roles/writer")
        #expect(status == 200)
        #expect(body == """
            {"writer":{"reserved":false,"hidden":false,"cluster_permissions":["indices:data/write/bulk"],\
            "index_permissions":[{"index_patterns":["logs-*"],"fls":[],"masked_fields":[],"allowed_actions":["crud","create_index"]}],\
            "tenant_permissions":[],"static":false}}
            """)
        let mapping = send(cluster, "GET", "/_plugins/_security/api/rolesmapping/writer").1
        #expect(mapping == "{\"writer\":{\"hosts\":[],\"users\":[],\"reserved\":false,\"hidden\":false,\"backend_roles\":[\"writers\"],\"and_backend_roles\":[]}}")
        let group = send(cluster, "GET", "/_plugins/_security/api/actiongroups/my_read").1
        #expect(group == "{\"my_read\":{\"reserved\":false,\"hidden\":false,\"allowed_actions\":[\"indices:data/read/search\"],\"type\":\"index\",\"description\":\"search only\",\"static\":false}}")
        let user = send(cluster, "GET", "/_plugins/_security/api/internalusers/bob").1
        #expect(user == "{\"bob\":{\"hash\":\"\",\"reserved\":false,\"hidden\":false,\"backend_roles\":[\"writers\"],\"attributes\":{},\"opendistro_security_roles\":[],\"static\":false}}")
    }

    @Test func staticEntriesAreMergedAndHiddenOnesOnlyForTheSuperAdmin() throws {
        let cluster = try SimulatedSecurityAPITests.cluster("opensearch-2.11")
        let allAccess = send(cluster, "GET", "/_plugins/_security/api/roles/all_access").1
        #expect(allAccess.hasPrefix("{\"all_access\":{\"reserved\":true,\"hidden\":false,"))
        #expect(allAccess.hasSuffix(",\"static\":true}}"))
        #expect(send(cluster, "GET", "/_plugins/_security/api/roles/secret_role") == (404, "{\"status\":\"NOT_FOUND\",\"message\":\"role 'secret_role' not found.\"}"))
        #expect(send(cluster, "GET", "/_plugins/_security/api/roles/secret_role", as: nil, peer: SimulatedSecurityAPITests.superAdmin).0 == 200)
        let all = send(cluster, "GET", "/_plugins/_security/api/roles").1
        #expect(!all.contains("secret_role"))
        #expect(all.contains("\"analyst\":{"))
        let legacy = try SimulatedSecurityAPITests.cluster("opendistro-1.13")
        #expect(send(legacy, "GET", "/_opendistro/_security/api/roles/nope") == (404, "{\"status\":\"NOT_FOUND\",\"message\":\"Resource 'nope' not found.\"}"))
    }

    // Changes take effect on the next request: a new role and mapping let alice search logs-*.
    @Test func putRoleAndMappingChangeTheNextDecision() throws {
        let cluster = try SimulatedSecurityAPITests.cluster("opensearch-3")
        #expect(Simulation.send(cluster, "GET", "/logs-1/_search", as: "alice").response.status == 403)
        let role = "{\"index_permissions\":[{\"index_patterns\":[\"logs-*\"],\"allowed_actions\":[\"read\"]}]}"
        #expect(send(cluster, "PUT", "/_plugins/_security/api/roles/log_reader", body: role) == (201, "{\"status\":\"CREATED\",\"message\":\"'log_reader' created.\"}"))
        #expect(send(cluster, "PUT", "/_plugins/_security/api/roles/log_reader", body: role) == (200, "{\"status\":\"OK\",\"message\":\"'log_reader' updated.\"}"))
        #expect(send(cluster, "PUT", "/_plugins/_security/api/rolesmapping/log_reader", body: "{\"users\":[\"alice\"]}").0 == 201)
        #expect(Simulation.send(cluster, "GET", "/logs-1/_search", as: "alice").response.status == 404)
        // The stored document is rewritten as full models.
        let stored = try #require(cluster.documents.documents[.roles]?.map?["log_reader"]?.map)
        #expect(stored["index_permissions"] == .list([.map(["index_patterns": .list([.string("logs-*")]), "fls": .list([]), "masked_fields": .list([]),
                                                             "allowed_actions": .list([.string("read")])])]))
        #expect(send(cluster, "DELETE", "/_plugins/_security/api/rolesmapping/log_reader") == (200, "{\"status\":\"OK\",\"message\":\"'log_reader' deleted.\"}"))
        #expect(Simulation.send(cluster, "GET", "/logs-1/_search", as: "alice").response.status == 403)
    }

    // EndpointValidator.entityStatic / entityReserved (2.10+); isWriteable "read-only" before.
    @Test func staticAndReservedRefusals() throws {
        let cluster = try SimulatedSecurityAPITests.cluster("opensearch-2.11")
        let role = "{\"cluster_permissions\":[\"*\"]}"
        #expect(send(cluster, "PUT", "/_plugins/_security/api/roles/all_access", body: role) == (403, "{\"status\":\"FORBIDDEN\",\"message\":\"Resource 'all_access' is static.\"}"))
        #expect(send(cluster, "DELETE", "/_plugins/_security/api/internalusers/admin") == (403, "{\"status\":\"FORBIDDEN\",\"message\":\"Resource 'admin' is reserved.\"}"))
        #expect(send(cluster, "DELETE", "/_plugins/_security/api/internalusers/hidden_user") == (404, "{\"status\":\"NOT_FOUND\",\"message\":\"Resource 'hidden_user' is not available.\"}"))
        let legacy = try SimulatedSecurityAPITests.cluster("opendistro-1.13")
        #expect(send(legacy, "PUT", "/_opendistro/_security/api/roles/all_access", body: role) == (403, "{\"status\":\"FORBIDDEN\",\"message\":\"Resource 'all_access' is read-only.\"}"))
        #expect(send(legacy, "DELETE", "/_opendistro/_security/api/roles/nope") == (404, "{\"status\":\"NOT_FOUND\",\"message\":\"role nope not found.\"}"))
        #expect(send(cluster, "DELETE", "/_plugins/_security/api/roles/nope") == (404, "{\"status\":\"NOT_FOUND\",\"message\":\"role 'nope' not found.\"}"))
        #expect(send(cluster, "DELETE", "/_plugins/_security/api/internalusers/admin", as: nil, peer: SimulatedSecurityAPITests.superAdmin).0 == 200)
    }

    // RequestContentValidator: invalid keys, mandatory one-of, data types, unparseable body. The key
    // lists are java.util.HashSets joined in iteration order (checked in jshell).
    @Test func bodyValidation() throws {
        let cluster = try SimulatedSecurityAPITests.cluster("opensearch-2.11")
        #expect(send(cluster, "PUT", "/_plugins/_security/api/roles/r", body: "{\"cluster_permissions\":[],\"static\":true,\"hidden\":true}")
            == (400, "{\"status\":\"error\",\"reason\":\"Invalid configuration\",\"invalid_keys\":{\"keys\":\"static,hidden\"}}"))
        #expect(send(cluster, "PUT", "/_plugins/_security/api/rolesmapping/writer", body: "{\"description\":\"x\"}")
            == (400, "{\"status\":\"error\",\"reason\":\"Invalid configuration\",\"specify_one_of\":{\"keys\":\"backend_roles,hosts,and_backend_roles,users\"}}"))
        #expect(send(cluster, "PUT", "/_plugins/_security/api/roles/r", body: "{\"cluster_permissions\":\"x\"}")
            == (400, "{\"status\":\"error\",\"reason\":\"Wrong datatype\",\"cluster_permissions\":\"Array expected\"}"))
        #expect(send(cluster, "PUT", "/_plugins/_security/api/roles/r", body: "{nope")
            == (400, "{\"status\":\"error\",\"reason\":\"Could not parse content of request.\"}"))
        #expect(send(cluster, "PUT", "/_plugins/_security/api/roles/r", body: "{\"cluster_permissions\":[null]}")
            == (400, "{\"status\":\"error\",\"reason\":\"`null` is not allowed as json array element\"}"))
    }

    @Test func roleMappingsMustNameAnExistingRole() throws {
        let cluster = try SimulatedSecurityAPITests.cluster("opensearch-2.11")
        #expect(send(cluster, "PUT", "/_plugins/_security/api/rolesmapping/nope", body: "{\"users\":[\"x\"]}")
            == (404, "{\"status\":\"NOT_FOUND\",\"message\":\"role 'nope' not found.\"}"))
        let legacy = try SimulatedSecurityAPITests.cluster("opendistro-1.13")
        // 1.x printed the (empty) missing mandatory keys under specify_one_of: the key is left out.
        #expect(send(legacy, "PUT", "/_opendistro/_security/api/rolesmapping/writer", body: "{\"description\":\"x\"}")
            == (400, "{\"status\":\"error\",\"reason\":\"Invalid configuration\"}"))
        #expect(send(legacy, "PUT", "/_opendistro/_security/api/rolesmapping/nope", body: "{\"users\":[\"x\"]}")
            == (404, "{\"status\":\"NOT_FOUND\",\"message\":\"Role 'nope' is not available for role-mapping.\"}"))
    }

    @Test func actionGroupChecks() throws {
        let cluster = try SimulatedSecurityAPITests.cluster("opensearch-2.11")
        #expect(send(cluster, "PUT", "/_plugins/_security/api/actiongroups/writer", body: "{\"allowed_actions\":[\"read\"]}")
            == (400, "{\"status\":\"BAD_REQUEST\",\"message\":\"writer is an existing role. A action group cannot be named with an existing role name.\"}"))
        #expect(send(cluster, "PUT", "/_plugins/_security/api/actiongroups/loop", body: "{\"allowed_actions\":[\"loop\"]}")
            == (400, "{\"status\":\"BAD_REQUEST\",\"message\":\"loop cannot be an allowed_action of itself\"}"))
        #expect(send(cluster, "PUT", "/_plugins/_security/api/actiongroups/g", body: "{\"description\":\"x\"}")
            == (400, "{\"status\":\"error\",\"reason\":\"Invalid configuration\",\"missing_mandatory_keys\":{\"keys\":\"allowed_actions\"}}"))
    }

    // PATCH applies to the "omit defaults" view: replacing a field at its default is zjsonpatch's "Missing field".
    @Test func patchEntityAndCollection() throws {
        let cluster = try SimulatedSecurityAPITests.cluster("opensearch-2.11")
        #expect(send(cluster, "PATCH", "/_plugins/_security/api/roles/writer", body: "[{\"op\":\"replace\",\"path\":\"/description\",\"value\":\"w\"}]")
            == (400, "{\"status\":\"BAD_REQUEST\",\"message\":\"Missing field \\\"description\\\"\"}"))
        #expect(send(cluster, "PATCH", "/_plugins/_security/api/roles/writer", body: "[{\"op\":\"add\",\"path\":\"/description\",\"value\":\"w\"}]")
            == (200, "{\"status\":\"OK\",\"message\":\"'writer' updated.\"}"))
        #expect(send(cluster, "GET", "/_plugins/_security/api/roles/writer").1.contains("\"hidden\":false,\"description\":\"w\",\"cluster_permissions\""))
        #expect(send(cluster, "PATCH", "/_plugins/_security/api/tenants", body: "[{\"op\":\"add\",\"path\":\"/ops\",\"value\":{\"description\":\"Ops\"}},{\"op\":\"remove\",\"path\":\"/analytics\"}]")
            == (200, "{\"status\":\"OK\",\"message\":\"Resource updated.\"}"))
        #expect(send(cluster, "GET", "/_plugins/_security/api/tenants/ops").1 == "{\"ops\":{\"reserved\":false,\"hidden\":false,\"description\":\"Ops\",\"static\":false}}")
        #expect(send(cluster, "GET", "/_plugins/_security/api/tenants/analytics").0 == 404)
        #expect(send(cluster, "PATCH", "/_plugins/_security/api/tenants", body: "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/b\"}]")
            == (400, "{\"status\":\"BAD_REQUEST\",\"message\":\"Unsupported patch operation: move. Supported are: add,replace,remove\"}"))
        #expect(send(cluster, "PATCH", "/_plugins/_security/api/tenants/global_tenant", body: "[{\"op\":\"add\",\"path\":\"/description\",\"value\":\"x\"}]")
            == (403, "{\"status\":\"FORBIDDEN\",\"message\":\"Resource 'global_tenant' is static.\"}"))
    }

    // InternalUsersApiAction / UserService: password hashed with bcrypt, hash blanked on GET.
    @Test func internalUserPasswordIsHashedAndUsable() throws {
        let cluster = try SimulatedSecurityAPITests.cluster("opensearch-2.11")
        #expect(send(cluster, "PUT", "/_plugins/_security/api/internalusers/carol", body: "{\"backend_roles\":[\"writers\"]}")
            == (400, "{\"status\":\"BAD_REQUEST\",\"message\":\"Please specify either 'hash' or 'password' when creating a new internal user.\"}"))
        #expect(send(cluster, "PUT", "/_plugins/_security/api/internalusers/carol", body: "{\"password\":\"Carol-pw-2026!\",\"backend_roles\":[\"writers\"]}").0 == 201)
        let hash = try #require(cluster.documents.documents[.internalusers]?.map?["carol"]?.map?["hash"]?.string)
        #expect(hash.hasPrefix("$2y$12$"))
        #expect(cluster.respond(to: Simulation.request("GET", "/_plugins/_security/authinfo", user: "carol", password: "Carol-pw-2026!"), peer: PeerIdentity()).response.status == 200)
        #expect(send(cluster, "GET", "/_plugins/_security/api/internalusers/carol").1.hasPrefix("{\"carol\":{\"hash\":\"\","))
        // An update without password keeps the hash.
        #expect(send(cluster, "PUT", "/_plugins/_security/api/internalusers/carol", body: "{\"backend_roles\":[]}").0 == 200)
        #expect(cluster.documents.documents[.internalusers]?.map?["carol"]?.map?["hash"]?.string == hash)
    }

    @Test func accountPasswordChange() throws {
        let cluster = try SimulatedSecurityAPITests.cluster("opensearch-3")
        #expect(send(cluster, "PUT", "/_plugins/_security/api/account", as: "bob", body: "{\"current_password\":\"wrong\",\"password\":\"new-pw\"}")
            == (400, "{\"status\":\"BAD_REQUEST\",\"message\":\"Could not validate your current password.\"}"))
        #expect(send(cluster, "PUT", "/_plugins/_security/api/account", as: "bob", body: "{\"current_password\":\"bob-pw\",\"password\":\"new-pw\"}").0 == 200)
        #expect(cluster.respond(to: Simulation.request("GET", "/", user: "bob", password: "bob-pw"), peer: PeerIdentity()).response.status == 401)
    }

    // SecurityHealthAction needs no authentication; endpoints secperm does not model say so (501).
    @Test func healthAndUnsimulatedEndpoints() throws {
        let cluster = try SimulatedSecurityAPITests.cluster("opensearch-2.11")
        #expect(send(cluster, "GET", "/_plugins/_security/health", as: nil) == (200, "{\"message\":null,\"mode\":\"strict\",\"status\":\"UP\"}"))
        #expect(send(cluster, "GET", "/_plugins/_security/api/securityconfig")
            == (501, "{\"status\":\"NOT_IMPLEMENTED\",\"message\":\"secperm simulate does not simulate GET /_plugins/_security/api/securityconfig\"}"))
        #expect(send(cluster, "GET", "/_plugins/_security/nothing").0 == 400)
    }

    // SecurityWhoAmIAction: no authentication; the TLS peer's DN and whether it is an admin DN.
    @Test func whoamiReadsTheTLSPeerOnly() throws {
        let cluster = try SimulatedSecurityAPITests.cluster("opensearch-3")
        #expect(send(cluster, "GET", "/_plugins/_security/whoami", as: nil, peer: SimulatedSecurityAPITests.superAdmin)
            == (200, "{\"dn\":\"\(Simulation.adminDN)\",\"is_admin\":true,\"is_node_certificate_request\":false}"))
        #expect(send(cluster, "GET", "/_plugins/_security/whoami", as: nil, peer: PeerIdentity(remoteAddress: "127.0.0.1:3", isTLS: true))
            == (200, "{\"dn\":null,\"is_admin\":false,\"is_node_certificate_request\":false}"))
        #expect(send(cluster, "GET", "/_plugins/_security/whoami", as: nil) == (403, "No security data"))
    }

    // opensearch-security-semantics.md §2.6: with restapi.admin.enabled (2.8+) an explicit
    // restapi:admin/<endpoint> grant opens that endpoint and makes the caller its admin; a bare '*'
    // (all_access) does not count.
    @Test func restAdminByExplicitPermission() throws {
        var settings = NodeSettings()
        settings.restAdminEnabled = true
        let cluster = try Simulation.cluster("opensearch-2.11", settings: settings)
        let role = "{\"cluster_permissions\":[\"restapi:admin/roles\"]}"
        #expect(send(cluster, "PUT", "/_plugins/_security/api/roles/roles_admin", as: nil, body: role, peer: SimulatedSecurityAPITests.superAdmin).0 == 201)
        #expect(send(cluster, "PUT", "/_plugins/_security/api/rolesmapping/roles_admin", as: nil, body: "{\"users\":[\"bob\"]}",
                     peer: SimulatedSecurityAPITests.superAdmin).0 == 201)
        #expect(send(cluster, "GET", "/_plugins/_security/api/roles/secret_role", as: "bob").0 == 200)
        #expect(send(cluster, "GET", "/_plugins/_security/api/rolesmapping", as: "bob").0 == 403)
        #expect(send(cluster, "GET", "/_plugins/_security/api/roles", as: "admin").0 == 403)
        // Only a REST admin may change a role that grants restapi:admin/*.
        #expect(send(cluster, "DELETE", "/_plugins/_security/api/roles/roles_admin", as: "bob").0 == 200)
    }

    // 2.16+: a PATCH that changes nothing is "No updates required" (JsonDiff empty); before, it is saved.
    @Test(arguments: [("opensearch-2.11", "{\"status\":\"OK\",\"message\":\"'writer' updated.\"}"),
                      ("opensearch-3", "{\"status\":\"OK\",\"message\":\"No updates required\"}")])
    func patchWithoutChange(target: String, expected: String) throws {
        let cluster = try SimulatedSecurityAPITests.cluster(target)
        let patch = "[{\"op\":\"replace\",\"path\":\"/cluster_permissions\",\"value\":[\"indices:data/write/bulk\"]}]"
        #expect(send(cluster, "PATCH", "/_plugins/_security/api/roles/writer", body: patch) == (200, expected))
    }
}
