/// `secperm whoami` output.
public enum WhoamiReport {
    public static func text(_ identity: ClusterIdentity) -> String {
        let info = identity.authInfo
        let release = switch identity.release {
        case .success(let release) where identity.releaseGiven: "\(release.profile) (from --target)"
        case .success(let release): "\(release.profile) (\(release.evidence))"
        case .failure(let failure): "unknown: " + ClusterErrorReport.reason(failure)
        }
        let superAdmin = identity.superAdmin.map { $0 ? "yes" : "no" } ?? "unknown (whoami endpoint did not answer)"
        var rows = [
            ["cluster", identity.cluster],
            ["release", release],
            ["REST prefix", identity.restPrefix],
            ["user", info.userName],
            ["backend roles", list(info.backendRoles.sorted())],
            ["roles", list(info.roles.sorted())],
            ["tenants", list(info.tenants.keys.sorted().map { "\($0) (\(info.tenants[$0] == true ? "read-write" : "read-only"))" })],
        ]
        if let principal = info.principal { rows.append(["certificate", principal]) }
        rows.append(["super admin", superAdmin])
        return TextTable.render(rows.map { [$0[0] + ":", $0[1]] })
    }

    struct JSONRoot: Encodable {
        let schemaVersion = 1
        let cluster: String
        let target: JSONNullable<String>
        let targetSource: String
        let detectedFrom: JSONNullable<String>
        let releaseProblem: JSONNullable<String>
        let restPrefix: String
        let user: String
        let backendRoles: [String]
        let roles: [String]
        let tenants: [String: String]
        let principal: JSONNullable<String>
        let superAdmin: JSONNullable<Bool>
    }

    public static func json(_ identity: ClusterIdentity) -> String {
        let info = identity.authInfo
        let release = try? identity.release.get()
        let problem: ReleaseDetectionFailure? = if case .failure(let failure) = identity.release { failure } else { nil }
        return JSONOutput.render(JSONRoot(
            cluster: identity.cluster,
            target: JSONNullable(release?.profile.name),
            targetSource: identity.releaseGiven ? "option" : release == nil ? "unknown" : "detected",
            detectedFrom: JSONNullable(identity.releaseGiven ? nil : release?.evidence),
            releaseProblem: JSONNullable(problem.map(ClusterErrorReport.reason)),
            restPrefix: identity.restPrefix,
            user: info.userName,
            backendRoles: info.backendRoles.sorted(),
            roles: info.roles.sorted(),
            tenants: info.tenants.mapValues { $0 ? "read-write" : "read-only" },
            principal: JSONNullable(info.principal),
            superAdmin: JSONNullable(identity.superAdmin)))
    }

    private static func list(_ items: [String]) -> String {
        items.isEmpty ? "(none)" : items.joined(separator: ", ")
    }
}
