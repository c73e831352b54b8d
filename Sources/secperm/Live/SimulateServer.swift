import Analyzer
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

/// What the server hands each request to: the simulated cluster's logic. It returns the answer and
/// the request log line (nil to log nothing).
typealias SimulateResponder = @Sendable (ClusterRequest, PeerIdentity) async -> (response: ClusterResponse, logLine: String?)

/// The `simulate` HTTP/1.1 server: 127.0.0.1 only, keep-alive, optional TLS that asks for (but
/// does not require) a client certificate and passes its subject DN to the logic.
struct SimulateServer: Sendable {
    /// Requests with a larger body are answered 413 and the connection is closed.
    static let maxRequestBytes = 100 * 1024 * 1024

    let tls: NIOSSLContext?
    let responder: SimulateResponder
    let events: SimulateEvents

    /// Binds, then serves until the task is cancelled. `onListening` gets the bound port.
    func run(port: Int, onListening: @Sendable (Int) -> Void) async throws {
        let tls = self.tls
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let peer = PeerBox()
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                        try channel.pipeline.syncOperations.addHandler(PeerCertificateReader(box: peer))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    let remote = channel.remoteAddress.map(Self.describe) ?? "127.0.0.1:0"
                    let connection = try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                    return Connection(channel: connection, peer: peer, remoteAddress: remote, isTLS: tls != nil)
                }
            }
        onListening(server.channel.localAddress?.port ?? port)
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask { await serve(connection) }
                }
            }
        }
    }

    struct Connection: Sendable {
        let channel: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
        let peer: PeerBox
        let remoteAddress: String
        let isTLS: Bool
    }

    private func serve(_ connection: Connection) async {
        try? await connection.channel.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let received):
                    head = received
                    body.clear()
                case .body(var chunk):
                    guard body.readableBytes + chunk.readableBytes <= Self.maxRequestBytes else {
                        try await write(ClusterResponse(status: 413, body: Array("request body too large".utf8)), version: head?.version ?? .http1_1, keepAlive: false, to: outbound)
                        return
                    }
                    body.writeBuffer(&chunk)
                case .end:
                    guard let request = head else { continue }
                    head = nil
                    let clusterRequest = Self.clusterRequest(request, body: body)
                    await events.record(clusterRequest)
                    let identity = PeerIdentity(clientCertificateDN: connection.peer.dn, remoteAddress: connection.remoteAddress, isTLS: connection.isTLS)
                    let (response, logLine) = await responder(clusterRequest, identity)
                    // Logged before answering: a client that has its answer finds the line written.
                    if let logLine { await events.log(logLine) }
                    try await write(response, version: request.version, keepAlive: request.isKeepAlive, to: outbound)
                    if !request.isKeepAlive { return }
                }
            }
        }
    }

    private func write(_ response: ClusterResponse, version: HTTPVersion, keepAlive: Bool, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        var headers = HTTPHeaders()
        for header in response.headers where header.name.lowercased() != "content-length" {
            headers.add(name: header.name, value: header.value)
        }
        headers.replaceOrAdd(name: "content-length", value: String(response.body.count))
        if !keepAlive { headers.replaceOrAdd(name: "connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: response.status)
        try await outbound.write(.head(HTTPResponseHead(version: version, status: status, headers: headers)))
        if !response.body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body)))) }
        try await outbound.write(.end(nil))
    }

    static func clusterRequest(_ head: HTTPRequestHead, body: ByteBuffer) -> ClusterRequest {
        let target = head.uri
        let path: String, query: String?
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        } else {
            path = target
            query = nil
        }
        return ClusterRequest(
            method: head.method.rawValue,
            path: path.hasPrefix("/") ? path : "/" + path,
            query: query,
            headers: head.headers.map { HTTPHeader($0.name, $0.value) },
            body: Array(body.readableBytesView))
    }

    static func describe(_ address: SocketAddress) -> String {
        let ip = address.ipAddress ?? "127.0.0.1"
        let port = address.port ?? 0
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}

/// The client certificate's DN of one connection, written once by the TLS handshake.
final class PeerBox: Sendable {
    private let value = Mutex<String?>(nil)
    var dn: String? { value.withLock { $0 } }
    func set(_ dn: String?) { value.withLock { $0 = dn } }
}

/// Reads the verified client certificate when the handshake completes.
private final class PeerCertificateReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    let box: PeerBox

    init(box: PeerBox) {
        self.box = box
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate
            if let der = try? certificate?.toDERBytes() { box.set(CertificateSubject.rfc2253(der: der)) }
        }
        context.fireUserInboundEventTriggered(event)
    }
}
