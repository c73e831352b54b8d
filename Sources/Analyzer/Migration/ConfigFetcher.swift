import Foundation
import PermissionCatalog

/// Reads a cluster's security configuration over a ``Cluster`` (the job of `secperm fetch`, and the
/// first step of `migrate` on both sides).
///
/// Followed: issue 13 and security-layer-responses.md "The security index": with the admin
/// certificate each type is `GET /.opendistro_security/_doc/<type>`, `_source.<type>` being the
/// base64 of the type's JSON document (Open Distro adds `_type: _doc`); that is the only place
/// password hashes can be read. Without it the Security REST API (`GET {prefix}/api/<type>`) is
/// used, which blanks every `hash` and lists built-in (static) entries, which are dropped.
public struct ConfigFetcher: Sendable {
    public let cluster: any Cluster
    public let side: MigrationSide
    /// The release when known; nil reads it from `GET /`.
    public let profile: TargetProfile?
    public let securityIndex: String

    public init(cluster: any Cluster, side: MigrationSide, profile: TargetProfile? = nil, securityIndex: String = ".opendistro_security") {
        self.cluster = cluster
        self.side = side
        self.profile = profile
        self.securityIndex = securityIndex
    }

    /// The types fetch writes, in the order securityadmin lists them.
    public static let fetchedTypes: [ConfigType] = [.config, .roles, .rolesmapping, .actiongroups, .internalusers, .tenants]

    public func fetch(now: Date = Date()) async throws(MigrationError) -> FetchedConfiguration {
        let info = try await clusterInfo(now: now)
        var bundle: [String: ConfigValue] = [:]
        var unavailable: [ConfigType] = []
        var access = FetchedConfiguration.Access.securityIndex
        indexLoop: for type in Self.fetchedTypes {
            switch try await indexDocument(type) {
            case .found(let document): bundle[type.rawValue] = .string(document)
            case .missing: continue
            case .denied:
                access = .restAPI
                break indexLoop
            }
        }
        // No document at all: the index was not readable as the security index (a caller without
        // the admin certificate may be answered "found": false); the REST API is asked instead.
        if bundle.isEmpty { access = .restAPI }
        if access == .restAPI {
            bundle = [:]
            for type in Self.fetchedTypes {
                if let body = try await restDocument(type, prefix: info.restPrefix) {
                    bundle[type.rawValue] = body
                } else {
                    unavailable.append(type)
                }
            }
        }
        let config = try decode(bundle, profile: info.profile, access: access)
        return FetchedConfiguration(config: config, info: info, access: access, unavailableTypes: unavailable,
                                    metadata: try await clusterMetadata())
    }

    // MARK: GET /

    /// The release and REST prefix as `whoami` tells them (ReleaseDetection): `GET /`, then which
    /// security prefix answers `{prefix}/authinfo`.
    func clusterInfo(now: Date) async throws(MigrationError) -> FetchedConfiguration.ClusterInfo {
        let rootResponse = try await MigrationRequests.send(cluster, side: side, ClusterRequest(method: "GET", path: "/"))
        guard [200, 403].contains(rootResponse.status) else {
            throw MigrationRequests.failure(side: side, request: "GET /", status: rootResponse.status, message: MigrationRequests.message(rootResponse))
        }
        let root = rootResponse.status == 200 ? RootInfo(body: rootResponse.body) : nil
        var answered: String?
        for prefix in profile.map({ [$0.restPrefix] }) ?? ReleaseDetection.prefixesToProbe(root: root) {
            let response = try await MigrationRequests.send(cluster, side: side, ClusterRequest(method: "GET", path: prefix + "/authinfo"))
            if response.status == 401 {
                throw MigrationRequests.failure(side: side, request: "GET \(prefix)/authinfo", status: 401, message: MigrationRequests.message(response))
            }
            if ReleaseDetection.securityAnswered(status: response.status, body: response.body) {
                answered = prefix
                break
            }
        }
        guard let answered else { throw .release(side, .noSecurityPlugin) }
        let detected: TargetProfile
        if let profile {
            detected = profile
        } else {
            switch ReleaseDetection.detect(root: root, rootForbidden: rootResponse.status == 403, answering: [answered]) {
            case .success(let release): detected = release.profile
            case .failure(let failure): throw .release(side, failure)
            }
        }
        return FetchedConfiguration.ClusterInfo(profile: detected, versionNumber: root?.number ?? "", restPrefix: answered, fetchedAt: now)
    }

    // MARK: the security index

    private enum IndexDocument {
        case found(String)
        /// The admin certificate answered, the type has no document.
        case missing
        /// No admin certificate: the REST API is used instead.
        case denied
    }

    /// The base64 document of one type.
    private func indexDocument(_ type: ConfigType) async throws(MigrationError) -> IndexDocument {
        let (status, body) = try await get("/\(securityIndex)/_doc/\(type.rawValue)")
        switch status {
        case 200:
            guard let encoded = body?.map?["_source"]?.map?[type.rawValue]?.string else {
                throw failure("GET /\(securityIndex)/_doc/\(type.rawValue)", status: status, body: body)
            }
            return .found(encoded)
        case 404 where body?.map?["found"]?.bool == false: return .missing
        case 401, 403, 404: return .denied
        default: throw failure("GET /\(securityIndex)/_doc/\(type.rawValue)", status: status, body: body)
        }
    }

    // MARK: the REST API

    private func restDocument(_ type: ConfigType, prefix: String) async throws(MigrationError) -> ConfigValue? {
        let endpoint = type == .config ? "securityconfig" : type.rawValue
        let path = "\(prefix)/api/\(endpoint)"
        let (status, body) = try await get(path)
        if status == 200, let body, body.map != nil { return body }
        // The configuration document is optional for a migration; every entry type is required.
        if type == .config, [400, 403, 404, 501].contains(status) { return nil }
        throw failure("GET \(path)", status: status, body: body)
    }

    private func decode(_ bundle: [String: ConfigValue], profile: TargetProfile, access: FetchedConfiguration.Access) throws(MigrationError) -> SecurityConfig {
        let text = ConfigValue.map(bundle).jsonText
        var config: SecurityConfig
        do {
            config = try ConfigLoader(profile: profile).load(text: text, name: "\(side.rawValue) cluster").config
        } catch {
            throw .invalidConfiguration(side, error)
        }
        if access == .restAPI { config.internalUsers = Self.withoutBlankHashes(config.internalUsers) }
        return config
    }

    /// The REST API answers `"hash": ""` for every user: no hash, not an empty one.
    static func withoutBlankHashes(_ users: ConfigEntries<InternalUser>) -> ConfigEntries<InternalUser> {
        var result = ConfigEntries<InternalUser>()
        for user in users.values {
            let hash = user.passwordHash?.isEmpty == false ? user.passwordHash : nil
            result[user.name] = InternalUser(name: user.name, location: user.location, flags: user.flags, passwordHash: hash, password: user.password,
                                             enabled: user.enabled, isService: user.isService, backendRoles: user.backendRoles,
                                             attributes: user.attributes, securityRoles: user.securityRoles, description: user.description)
        }
        return result
    }

    // MARK: metadata

    /// `GET _alias?expand_wildcards=all` and `GET _data_stream`; nil when either is refused. Also
    /// what `probe --cluster` re-checks with when no --cluster-metadata is given.
    public func clusterMetadata() async throws(MigrationError) -> ClusterMetadata? {
        let (aliasStatus, aliasBody) = try await get("/_alias", query: "expand_wildcards=all")
        guard aliasStatus == 200, let indices = aliasBody?.map else { return nil }
        var aliases: [String: [String]] = [:]
        for (index, body) in indices {
            for alias in body.map?["aliases"]?.map?.keys ?? [:].keys { aliases[alias, default: []].append(index) }
        }
        var streams: [String: [String]] = [:]
        let (streamStatus, streamBody) = try await get("/_data_stream")
        if streamStatus == 200 {
            for stream in streamBody?.map?["data_streams"]?.list ?? [] {
                guard let name = stream.map?["name"]?.string else { continue }
                streams[name] = (stream.map?["indices"]?.list ?? []).compactMap { $0.map?["index_name"]?.string }
            }
        }
        let hidden = Set(indices.keys.filter { $0.hasPrefix(".ds-") })
        return ClusterMetadata(indices: Set(indices.keys), hiddenIndices: hidden, aliases: aliases.mapValues { $0.sorted() }, dataStreams: streams)
    }

    // MARK: requests

    private func get(_ path: String, query: String? = nil) async throws(MigrationError) -> (Int, ConfigValue?) {
        let response = try await MigrationRequests.send(cluster, side: side, ClusterRequest(method: "GET", path: path, query: query))
        return (response.status, ConfigValue.parseJSON(response.body))
    }

    private func failure(_ request: String, status: Int, body: ConfigValue?) -> MigrationError {
        MigrationRequests.failure(side: side, request: request, status: status, message: MigrationRequests.message(body))
    }
}

/// Sending and classifying the requests of fetch and migrate.
enum MigrationRequests {
    static func send(_ cluster: any Cluster, side: MigrationSide, _ request: ClusterRequest) async throws(MigrationError) -> ClusterResponse {
        let response: ClusterResponse
        do {
            response = try await cluster.send(request)
        } catch let error as MigrationError {
            throw error
        } catch let error as ClusterError {
            throw .transport(side, error)
        } catch {
            throw .unreachable(side, detail: String(describing: error))
        }
        if response.status == 503 {
            throw .notInitialized(side, message: String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        return response
    }

    static func failure(side: MigrationSide, request: String, status: Int, message: String) -> MigrationError {
        [401, 403].contains(status) ? .notAuthorized(side, request: request, status: status, message: message)
            : .unexpected(side, request: request, status: status, message: message)
    }

    /// The `message` of a Security API answer, or the `reason` of an OpenSearch error, or the start of the body.
    static func message(_ body: ConfigValue?) -> String {
        if let message = body?.map?["message"]?.string { return message }
        if let reason = body?.map?["error"]?.map?["reason"]?.string { return reason }
        if let error = body?.map?["error"]?.string { return error }
        return ""
    }

    static func message(_ response: ClusterResponse) -> String {
        let parsed = ConfigValue.parseJSON(response.body)
        let text = message(parsed)
        return text.isEmpty ? String(decoding: response.body.prefix(300), as: UTF8.self) : text
    }
}
