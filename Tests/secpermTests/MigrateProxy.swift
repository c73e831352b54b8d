#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A TCP proxy on 127.0.0.1 that passes bytes through untouched (TLS is end to end between the
/// client and the server behind it) until `shouldDrop` says so: then it closes the connection the
/// next client bytes came on, instead of forwarding them, and closes every connection after that
/// (a cluster that went away halfway).
///
/// How writes are counted: the proxy cannot read TLS, so it asks `shouldDrop` before forwarding
/// each chunk from the client; the tests answer from `simulate`'s request log, which the server
/// writes before it answers (SimulateServer: "Logged before answering"). When a client sends its
/// next request after the answer to write N, the log already holds N writes, so request N+1 is
/// never forwarded: the server sees exactly N writes.
final class MigrateProxy: @unchecked Sendable {
    let port: Int
    var url: String { "https://127.0.0.1:\(port)" }

    private let listener: Int32
    private let upstreamPort: Int
    private let shouldDrop: @Sendable () -> Bool
    private let lock = NSLock()
    private var stopped = false
    private var dropped = false
    private var running = 0

    init(upstream: String, shouldDrop: @escaping @Sendable () -> Bool = { false }) throws {
        guard let port = URL(string: upstream)?.port else { throw LiveSetupError("no port in \(upstream)") }
        upstreamPort = port
        self.shouldDrop = shouldDrop
        let listening = socket(AF_INET, Self.streamType, 0)
        guard listening >= 0 else { throw LiveSetupError("socket() failed: \(errno)") }
        var one: Int32 = 1
        setsockopt(listening, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listening, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listening, 16) == 0 else {
            close(listening)
            throw LiveSetupError("cannot listen on 127.0.0.1: \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listening, $0, &length) }
        }
        listener = listening
        self.port = Int(UInt16(bigEndian: address.sin_port))
        started()
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Whether a connection was dropped.
    var hasDropped: Bool { lock.withLock { dropped } }

    /// Stops accepting and closes every connection; returns when the threads are done.
    func stop() {
        lock.withLock { stopped = true }
        while lock.withLock({ running }) > 0 { usleep(10_000) }
    }

    deinit { close(listener) }

    // MARK: threads

    private var isStopped: Bool { lock.withLock { stopped } }
    private var isDead: Bool { lock.withLock { stopped || dropped } }
    private func started() { lock.withLock { running += 1 } }
    private func finished() { lock.withLock { running -= 1 } }

    private func acceptLoop() {
        defer { finished() }
        var waiting = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
        while !isStopped {
            guard poll(&waiting, 1, 50) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            // After the drop every new connection is closed at once: the cluster is gone.
            guard !isDead, let server = connectUpstream() else {
                close(client)
                continue
            }
            started()
            Thread.detachNewThread { [self] in
                pump(client: client, server: server)
                finished()
            }
        }
    }

    private func connectUpstream() -> Int32? {
        let server = socket(AF_INET, Self.streamType, 0)
        guard server >= 0 else { return nil }
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(server)
            return nil
        }
        return server
    }

    /// Copies bytes both ways until either side closes, the proxy stops, or the drop comes.
    private func pump(client: Int32, server: Int32) {
        defer {
            close(client)
            close(server)
        }
        var sockets = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: server, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !isDead {
            let ready = poll(&sockets, 2, 50)
            if ready <= 0 { continue }
            if sockets[0].revents != 0 {
                let count = read(client, &buffer, buffer.count)
                guard count > 0 else { return }
                if shouldDrop() {
                    lock.withLock { dropped = true }
                    return
                }
                guard Self.forward(buffer, count, to: server) else { return }
            }
            if sockets[1].revents != 0 {
                let count = read(server, &buffer, buffer.count)
                guard count > 0, Self.forward(buffer, count, to: client) else { return }
            }
        }
    }

    // MARK: sockets

    #if canImport(Glibc)
    private static let streamType = Int32(SOCK_STREAM.rawValue)
    private static let noSignal = Int32(MSG_NOSIGNAL)
    #else
    private static let streamType = SOCK_STREAM
    private static let noSignal: Int32 = 0
    #endif

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// Writes all `count` bytes; false when the peer is gone (no SIGPIPE: MSG_NOSIGNAL).
    private static func forward(_ buffer: [UInt8], _ count: Int, to socket: Int32) -> Bool {
        var offset = 0
        while offset < count {
            let sent = buffer.withUnsafeBytes { bytes in
                send(socket, bytes.baseAddress.map { $0 + offset }, count - offset, noSignal)
            }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}

/// The writes (PUT/PATCH) in a `simulate --log` file, in order: "METHOD path".
func simulateWrites(_ log: URL) -> [String] {
    guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap { line in
        guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let method = entry["method"] as? String, method == "PUT" || method == "PATCH", let path = entry["path"] as? String else { return nil }
        return "\(method) \(path)"
    }
}
