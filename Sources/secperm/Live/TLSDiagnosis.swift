import Analyzer
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// Why the server's certificate failed verification. BoringSSL reports only "verify failed", so
/// this asks the TLS library two more questions over fresh handshakes (no HTTP is sent):
/// 1. does the chain verify when the host name is not checked? Then the host name is wrong;
/// 2. otherwise, is the server's certificate outside its validity dates? Then it expired (or is
///    not valid yet); if not, the CA is unknown.
struct TLSDiagnosis: Sendable {
    let url: ClusterURL
    let tls: TLSConfiguration
    let timeout: Double

    func diagnose() async -> TLSFailure {
        var withoutHostName = tls
        withoutHostName.certificateVerification = .noHostnameVerification
        if (try? await handshake(withoutHostName)) != nil { return .hostNameMismatch(host: url.host) }
        var unverified = tls
        unverified.certificateVerification = .none
        guard let leaf = try? await handshake(unverified) else { return .unknownCA }
        let now = time(nil)
        if leaf.notValidAfter < now { return .certificateExpired(notAfter: Self.date(leaf.notValidAfter)) }
        if leaf.notValidBefore > now { return .certificateNotYetValid(notBefore: Self.date(leaf.notValidBefore)) }
        return .unknownCA
    }

    /// Completes one TLS handshake and returns the server's certificate.
    private func handshake(_ configuration: TLSConfiguration) async throws -> NIOSSLCertificate {
        let context = try NIOSSLContext(configuration: configuration)
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: NIOSSLCertificate.self)
        let serverName = url.host.contains(":") || url.host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : url.host
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.nanoseconds(HTTPCluster.nanoseconds(timeout)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
                    try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(promise: promise))
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(host: url.host, port: url.port).get()
        } catch {
            promise.fail(error)
            throw error
        }
        let timeoutTask = channel.eventLoop.scheduleTask(in: .nanoseconds(HTTPCluster.nanoseconds(timeout))) {
            promise.fail(ChannelError.connectTimeout(.nanoseconds(HTTPCluster.nanoseconds(timeout))))
        }
        defer {
            timeoutTask.cancel()
            channel.close(promise: nil)
        }
        return try await promise.futureResult.get()
    }

    private static func date(_ seconds: time_t) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

/// Completes a promise when the TLS handshake of its channel ends, either way.
private final class HandshakeWatcher: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let promise: EventLoopPromise<NIOSSLCertificate>

    init(promise: EventLoopPromise<NIOSSLCertificate>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate
            if let certificate { promise.succeed(certificate) } else { promise.fail(NIOSSLError.noCertificateToValidate) }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }
}
