/// One header of an HTTP message. Names keep the case they were sent with and compare
/// case-insensitively through `ClusterMessage.header(_:)`.
public struct HTTPHeader: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Header lookup shared by requests and responses.
public protocol ClusterMessage {
    var headers: [HTTPHeader] { get }
}

extension ClusterMessage {
    /// The first value of a header, looked up without regard to case.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// An HTTP request to a cluster, as a value: what a live command sends and what `simulate` answers.
public struct ClusterRequest: Hashable, Sendable, ClusterMessage {
    public var method: String
    /// The path with its leading `/`, percent-encoded as sent, without the query string.
    public var path: String
    /// The raw query string without `?`; nil when the request has none.
    public var query: String?
    public var headers: [HTTPHeader]
    /// The body byte for byte (empty when there is none).
    public var body: [UInt8]

    public init(method: String, path: String, query: String? = nil, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// A cluster's answer, as a value.
public struct ClusterResponse: Hashable, Sendable, ClusterMessage {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// What the engine sees of a cluster: send a request, get the answer. The HTTP implementation
/// (TLS, authentication, retries) lives in the executable; `simulate`'s logic answers in process,
/// so loops that talk to a cluster (probe, fetch, migrate) are tested without a socket as well as
/// over one.
public protocol Cluster: Sendable {
    func send(_ request: ClusterRequest) async throws -> ClusterResponse
}
