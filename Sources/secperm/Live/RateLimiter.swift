/// `--max-rate N`: request starts at least 1/N seconds apart, shared by every task of a command.
actor RateLimiter {
    private let interval: Duration
    private var next: ContinuousClock.Instant

    init?(requestsPerSecond: Double?) {
        guard let rate = requestsPerSecond, rate > 0, rate.isFinite else { return nil }
        interval = .nanoseconds(Int64((1_000_000_000 / rate).rounded()))
        next = .now
    }

    /// Waits until this request may start.
    func acquire() async throws {
        let now = ContinuousClock.now
        let slot = max(now, next)
        next = slot + interval
        if slot > now { try await Task.sleep(until: slot, clock: .continuous) }
    }
}
