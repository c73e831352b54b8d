import Analyzer
import ArgumentParser
import Foundation
import PermissionCatalog

/// Who is asking: shared by check, actions and probe.
struct SubjectOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("User name. An internal user brings its backend roles, attributes and security roles.", valueName: "name"))
    var user: String?

    @Option(name: .customLong("backend-role"), help: ArgumentHelp("Add a backend role (repeatable).", valueName: "role"))
    var backendRoles: [String] = []

    @Flag(name: .customLong("replace-backend-roles"), help: "Use only the --backend-role values, not the internal user's.")
    var replaceBackendRoles = false

    @Option(name: .customLong("attribute"), help: ArgumentHelp("Add a user attribute, e.g. dept=sales (attr.internal.dept) or attr.jwt.tenant=x (repeatable).", valueName: "key=value"))
    var attributes: [String] = []

    @Option(name: .customLong("role"), help: ArgumentHelp("Add a security role directly, bypassing role mapping (repeatable).", valueName: "role"))
    var roles: [String] = []

    @Option(name: .long, help: ArgumentHelp("JWT/OIDC claims (JSON) mapped through the jwt/openid domain of config.yml.", valueName: "file"))
    var claims: String?

    @Option(name: .long, help: ArgumentHelp("Caller IP, matched against role-mapping hosts.", valueName: "ip"))
    var host: String?

    @Option(name: .long, help: ArgumentHelp("Dashboards tenant the request names (the securitytenant header): a tenant name, __user__ for the private tenant; none means the global tenant.", valueName: "name"))
    var tenant: String?

    func request() throws -> SubjectRequest {
        var request = SubjectRequest(user: user)
        request.backendRoles = backendRoles
        request.replaceBackendRoles = replaceBackendRoles
        request.roles = roles
        request.host = host
        request.requestedTenant = tenant
        for attribute in attributes {
            guard let equals = attribute.firstIndex(of: "=") else {
                throw ValidationError("--attribute \(attribute): expected key=value, e.g. --attribute dept=sales")
            }
            request.attributes[String(attribute[..<equals])] = String(attribute[attribute.index(after: equals)...])
        }
        if let claims {
            request.claims = try InputFiles.readJSONValue(claims)
            request.claimsFile = claims
        }
        return request
    }
}

/// The cluster around the configuration: node settings and cluster state.
struct ClusterContextOptions: ParsableArguments {
    @Option(name: .customLong("cluster-metadata"), help: ArgumentHelp(
        "Indices, aliases and data streams: secperm's format or the body of GET _alias?expand_wildcards=all. Without it, names are taken as concrete indices.",
        valueName: "file"))
    var clusterMetadata: String?

    @Option(name: .customLong("opensearch-yml"), help: ArgumentHelp("Node settings file; only the security plugin's keys are read.", valueName: "file"))
    var opensearchYML: String?

    @Option(name: .customLong("setting"), help: ArgumentHelp("Override a node setting, e.g. plugins.security.system_indices.enabled=true (repeatable).", valueName: "key=value"))
    var settings: [String] = []

    /// The node settings: --opensearch-yml, then each --setting.
    func nodeSettings(profile: TargetProfile) throws(InputError) -> NodeSettings {
        try InputFiles.nodeSettings(path: opensearchYML, overrides: settings, profile: profile)
    }

    /// The evaluator every command that decides requests uses: the configuration, the node
    /// settings and the cluster metadata of these options, for `profile`. The one place it is built.
    func evaluator(config: SecurityConfig, profile: TargetProfile) throws(InputError) -> Evaluator {
        let settings = try nodeSettings(profile: profile)
        let metadata = try clusterMetadata.map { path throws(InputError) in try InputFiles.clusterMetadata(path: path) }
        return Evaluator(config: config, catalog: Catalog(profile: profile), settings: settings, metadata: metadata)
    }
}
