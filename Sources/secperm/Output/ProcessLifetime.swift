import Synchronization

/// Values a command is done with but leaves for the end of the process: a large result (a diff of
/// thousands of subjects) is freed piece by piece when dropped, which costs more than the process
/// ending with it still in memory.
enum ProcessLifetime {
    private static let kept = Mutex<[any Sendable]>([])

    static func keep(_ value: some Sendable) {
        kept.withLock { $0.append(value) }
    }
}
