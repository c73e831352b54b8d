import Foundation
import PermissionCatalog

/// What `GET /` says about a cluster: the `version` block and the tagline.
public struct RootInfo: Hashable, Sendable {
    /// `version.distribution` ("opensearch", "lucenia"); absent on Elasticsearch and Open Distro.
    public var distribution: String?
    /// `version.number`, e.g. "2.19.1", or "7.10.2" for Open Distro.
    public var number: String?
    public var tagline: String?

    public init(distribution: String?, number: String?, tagline: String? = nil) {
        self.distribution = distribution
        self.number = number
        self.tagline = tagline
    }

    /// Reads the answer to `GET /`; nil when it is not a JSON object with a `version` object.
    public init?(body: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let version = object["version"] as? [String: Any]
        else { return nil }
        self.init(
            distribution: version["distribution"] as? String,
            number: version["number"] as? String,
            tagline: object["tagline"] as? String)
    }
}

/// A release told from a live cluster: the profile secperm reasons with and the REST prefix that
/// answered there.
public struct DetectedRelease: Hashable, Sendable {
    public var profile: TargetProfile
    /// `/_plugins/_security` or `/_opendistro/_security`: the one that answered.
    public var restPrefix: String
    /// What the cluster said, e.g. "opensearch 2.19.1" or "version 7.10.2 (Open Distro)".
    public var evidence: String

    public init(profile: TargetProfile, restPrefix: String, evidence: String) {
        self.profile = profile
        self.restPrefix = restPrefix
        self.evidence = evidence
    }
}

/// Why a release could not be told; the CLI asks for `--target`.
public enum ReleaseDetectionFailure: Error, Hashable, Sendable {
    /// Neither security prefix answered: no security plugin, or not reachable for this user.
    case noSecurityPlugin
    /// Elasticsearch other than 7.10 (Open Distro's), which secperm does not model.
    case elasticsearch(number: String)
    /// OpenSearch answering with a hidden version (`compatibility.override_main_response_version`).
    case versionHidden(number: String)
    /// `GET /` was refused (403): the user lacks `cluster:monitor/main`.
    case rootForbidden
    /// `GET /` gave nothing usable (an unknown shape).
    case rootUnreadable
    /// A distribution secperm does not know.
    case unknownDistribution(String)
}

/// Tells the release from `GET /` and from which security prefix answers.
///
/// Follows shared/reference/security-layer-responses.md "`GET /`": OpenSearch names itself in
/// `version.distribution`; Open Distro 1.13 answers as Elasticsearch 7.10.2 (no distribution) and
/// has only `/_opendistro/_security`; OpenSearch 1.x–3.x serve both prefixes (the Open Distro one
/// deprecated), so `/_plugins/_security` is preferred when it answers.
public enum ReleaseDetection {
    public static let pluginsPrefix = "/_plugins/_security"
    public static let opendistroPrefix = "/_opendistro/_security"

    /// The prefixes to try, most likely first, given what `GET /` said (nil when it said nothing).
    public static func prefixesToProbe(root: RootInfo?) -> [String] {
        if let root, root.distribution == nil, root.number.map(isElasticsearch710) == true {
            return [opendistroPrefix, pluginsPrefix]
        }
        return [pluginsPrefix, opendistroPrefix]
    }

    /// Whether an answer to `GET {prefix}/authinfo` came from the security plugin: a 200 with a
    /// JSON object naming the user. (On Open Distro, `/_plugins/…` is read as an index name and
    /// answers 400/403/404 instead, never this.)
    public static func securityAnswered(status: Int, body: [UInt8]) -> Bool {
        guard status == 200,
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        else { return false }
        return object["user_name"] is String
    }

    /// The release, from `GET /` (nil when it was not readable) and the prefixes that answered.
    public static func detect(root: RootInfo?, rootForbidden: Bool = false, answering: Set<String>) -> Result<DetectedRelease, ReleaseDetectionFailure> {
        guard let prefix = [pluginsPrefix, opendistroPrefix].first(where: answering.contains) else {
            return .failure(.noSecurityPlugin)
        }
        if rootForbidden { return .failure(.rootForbidden) }
        guard let root, let number = root.number, let version = Version(number) else { return .failure(.rootUnreadable) }
        let majorMinor = Version(Array(version.parts.prefix(2)))
        switch root.distribution?.lowercased() {
        case "opensearch"?:
            if isElasticsearch710(number) { return .failure(.versionHidden(number: number)) }
            return .success(DetectedRelease(profile: TargetProfile(flavor: .opensearch, version: majorMinor), restPrefix: prefix, evidence: "opensearch \(number)"))
        case "lucenia"?:
            return .success(DetectedRelease(profile: TargetProfile(flavor: .lucenia, version: majorMinor), restPrefix: prefix, evidence: "lucenia \(number)"))
        case let other?:
            return .failure(.unknownDistribution(other))
        case nil:
            guard isElasticsearch710(number) else { return .failure(.elasticsearch(number: number)) }
            // 7.10 with only the Open Distro prefix is Open Distro; with /_plugins it is OpenSearch
            // whose main response was overridden to look like Elasticsearch.
            guard prefix == opendistroPrefix else { return .failure(.versionHidden(number: number)) }
            guard let profile = TargetProfile(parsing: "opendistro-1.13") else { return .failure(.rootUnreadable) }
            return .success(DetectedRelease(profile: profile, restPrefix: prefix, evidence: "version \(number) (Open Distro)"))
        }
    }

    private static func isElasticsearch710(_ number: String) -> Bool {
        Version(number).map { $0.parts.count >= 2 && $0.parts[0] == 7 && $0.parts[1] == 10 } ?? false
    }
}
