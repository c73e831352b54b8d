/// The security plugin's own REST handlers outside the data plane: `authinfo`, `whoami`,
/// `api/account`, and the Security REST API under `api/`.
struct SecurityPluginRoutes {
    let context: RequestContext

    var method: String { context.request.method }

    func answer(_ path: String) -> SimulatedExchange {
        let route = "\(method) {prefix}\(path)"
        switch (method, path) {
        case ("GET", "/authinfo"), ("POST", "/authinfo"):
            return context.exchange(Responses.json(200, InfoBodies(context: context).authinfo), route: "\(method) {prefix}/authinfo")
        case ("GET", "/api/account"):
            return context.exchange(Responses.json(200, InfoBodies(context: context).account), route: "GET {prefix}/api/account")
        default:
            return context.exchange(Responses.restStatus(501, "secperm simulate does not serve \(method) \(context.request.path) yet"), route: route,
                                    outcome: .invalid)
        }
    }
}
