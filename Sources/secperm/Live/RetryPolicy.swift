/// Which requests are sent again, and after how long: idempotent methods only (RFC 9110 §9.2.2),
/// on 429/502/503/504 and on connections reset before an answer, with exponential backoff that
/// honours a `Retry-After` in seconds.
struct RetryPolicy: Sendable {
    var retries: Int
    var baseDelay: Double = 0.25
    var maxDelay: Double = 8

    static let idempotentMethods: Set<String> = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]
    static let retriedStatuses: Set<Int> = [429, 502, 503, 504]

    func mayRetry(method: String, attempt: Int) -> Bool {
        attempt < retries && Self.idempotentMethods.contains(method.uppercased())
    }

    /// Seconds to wait before attempt `attempt + 1` (attempt counts from 0).
    func delay(afterAttempt attempt: Int, retryAfter: String?) -> Double {
        if let retryAfter, let seconds = Double(retryAfter.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds.isFinite {
            return min(seconds, maxDelay)
        }
        let exponent = Double(min(attempt, 16))
        return min(baseDelay * pow(2, exponent), maxDelay)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
