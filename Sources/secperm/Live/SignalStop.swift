import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The pipe a signal handler writes one byte to; made before any handler is installed, so the
/// handler only reads an initialised value and calls write(2), which is async-signal-safe.
private let signalPipe: (read: Int32, write: Int32) = {
    var descriptors: [Int32] = [-1, -1]
    guard pipe(&descriptors) == 0 else { return (-1, -1) }
    for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
    // A full pipe must not block the handler: the bytes already there say enough.
    _ = fcntl(descriptors[1], F_SETFL, fcntl(descriptors[1], F_GETFL) | O_NONBLOCK)
    return (descriptors[0], descriptors[1])
}()

private let writeToSignalPipe: @convention(c) (Int32) -> Void = { _ in
    var byte: UInt8 = 1
    _ = write(signalPipe.write, &byte, 1)
}

/// Runs `stop` on SIGINT or SIGTERM instead of the default (abrupt) termination.
///
/// The handler is installed with sigaction(2) before `init` returns and writes to a pipe that a
/// dispatch source reads. A dispatch signal source alone registers asynchronously: a signal that
/// came between ignoring it and that registration was lost (seen as a hung test when SIGTERM
/// followed `simulate`'s banner at once). A byte in the pipe waits until it is read.
final class SignalStop {
    private let source: any DispatchSourceRead

    init(_ stop: @escaping @Sendable () -> Void) {
        let pipe = signalPipe
        source = DispatchSource.makeReadSource(fileDescriptor: pipe.read, queue: .global())
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 64)
            _ = read(pipe.read, &buffer, buffer.count)
            stop()
        }
        source.resume()
        for number in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = writeToSignalPipe
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
    }

    deinit {
        // After the work is done a late signal changes nothing: ignore it, as before.
        for number in [SIGINT, SIGTERM] { signal(number, SIG_IGN) }
        source.cancel()
    }
}
