#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way secperm writes to its standard output and standard error: `write(2)` until every
/// byte is out, failures as values. (`FileHandle.write(_:)` traps on a full disk or a closed pipe.)
enum StandardStream {
    case output, error

    struct Failure: Error, CustomStringConvertible {
        let code: Int32
        var description: String { String(cString: strerror(code)) }
    }

    private var descriptor: Int32 { self == .output ? STDOUT_FILENO : STDERR_FILENO }

    /// Writes the string's own UTF-8 storage: no copy of it, however long.
    func write(_ text: String) throws(Failure) {
        var text = text
        if let code = text.withUTF8({ write($0) }) { throw Failure(code: code) }
    }

    /// Writes bytes as they are (a batch run writes its lines as byte chunks).
    func write(_ bytes: [UInt8]) throws(Failure) {
        if let code = bytes.withUnsafeBufferPointer({ write($0) }) { throw Failure(code: code) }
    }

    /// Writes every byte; the `errno` of a failure.
    private func write(_ buffer: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard let base = buffer.baseAddress else { return nil }
        let count = buffer.count
        var sent = 0
        while sent < count {
            #if canImport(Darwin)
            let written = Darwin.write(descriptor, base + sent, count - sent)
            #elseif canImport(Musl)
            let written = Musl.write(descriptor, base + sent, count - sent)
            #else
            let written = Glibc.write(descriptor, base + sent, count - sent)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            sent += written
        }
        return nil
    }
}

/// Writes command output to stdout without an extra newline. When the output cannot be written
/// (a full disk, a closed pipe) the command ends here: one line on stderr and exit status 2, since
/// a script must not take a cut report for a complete one.
func emit(_ text: String) {
    do {
        try StandardStream.output.write(text)
    } catch {
        outputFailed(error)
    }
}

/// ``emit(_:)`` for bytes.
func emit(_ bytes: [UInt8]) {
    do {
        try StandardStream.output.write(bytes)
    } catch {
        outputFailed(error)
    }
}

private func outputFailed(_ error: StandardStream.Failure) -> Never {
    try? StandardStream.error.write("secperm: cannot write the output: \(error)\n")
    exit(ExitStatus.inputError.rawValue)
}
