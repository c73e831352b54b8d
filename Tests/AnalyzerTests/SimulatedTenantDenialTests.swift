@testable import Analyzer
import Foundation
import PermissionCatalog
import Testing

/// The 403 text of the simulated cluster names the tenant of the `securitytenant` header
/// (reference §5: `User [name=…, backend_roles=[…], requestedTenant=…]`, `User.toString`), and a
/// request on the Dashboards index is decided by the tenant grant (TenantRules,
/// scenarios/dashboards_index_tenants).
@Suite("Simulated cluster: tenants in the 403 text and on the Dashboards index")
struct SimulatedTenantDenialTests {
    static func sendWithTenant(_ cluster: SimulatedCluster, _ method: String, _ target: String, as user: String, tenant: String?) -> SimulatedExchange {
        var request = Simulation.request(method, target, user: user, password: Simulation.passwords[user] ?? "")
        if let tenant { request.headers.append(HTTPHeader("securitytenant", tenant)) }
        return cluster.respond(to: request, peer: PeerIdentity(remoteAddress: "127.0.0.1:50000"))
    }

    @Test("a denial outside the Dashboards index names the requested tenant")
    func requestedTenantInTheReason() throws {
        let exchange = Self.sendWithTenant(try Simulation.cluster("opensearch-3"), "GET", "/logs-1/_search", as: "alice", tenant: "analytics")
        let reason = "no permissions for [indices:data/read/search] and User [name=alice, backend_roles=[eu-staff, analysts], requestedTenant=analytics]"
        #expect(exchange.response.status == 403)
        #expect(Simulation.text(exchange.response) == SimulatedDataPlaneTests.forbidden(reason))
    }

    @Test("the Dashboards index: the tenant grant decides; the 403 names the action from 2.19, nothing before")
    func dashboardsIndex() throws {
        let newest = try Simulation.cluster("opensearch-3")
        // alice may write the analytics tenant: the search passes authorization (the index is not there).
        let served = Self.sendWithTenant(newest, "GET", "/.kibana/_search", as: "alice", tenant: "analytics")
        #expect(served.response.status != 403, "\(served.log.forbiddenMessage ?? "")")
        let refused = Self.sendWithTenant(newest, "GET", "/.kibana/_search", as: "bob", tenant: "analytics")
        #expect(refused.response.status == 403)
        #expect(refused.log.forbiddenMessage
                == "no permissions for [indices:data/read/search] and User [name=bob, backend_roles=[writers], requestedTenant=analytics]")
        let old = Self.sendWithTenant(try Simulation.cluster("opensearch-2.11"), "GET", "/.kibana/_search", as: "bob", tenant: "analytics")
        #expect(old.response.status == 403)
        #expect(old.log.forbiddenMessage == "no permissions for [] and User [name=bob, backend_roles=[writers], requestedTenant=analytics]")
    }
}
