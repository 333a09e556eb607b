internal import Foundation
internal import Synchronization

/// Slows down token guessing: after `limit` failed authentications from one client within a minute, that client
/// is refused (429) until the minute is over, even with a good token.
final class FailureLimiter: Sendable {
    private let limit: Int
    private let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    init(limit: Int = 10, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// The seconds `client` must wait, or `nil` when it may try.
    func retryAfter(for client: String, at time: Date = Date()) -> Int? {
        self.failures.withLock { failures in
            let recent = (failures[client] ?? []).filter { time.timeIntervalSince($0) < self.window }
            failures[client] = recent.isEmpty ? nil : recent
            guard recent.count >= self.limit, let oldest = recent.first else { return nil }
            return max(1, Int((self.window - time.timeIntervalSince(oldest)).rounded(.up)))
        }
    }

    /// Notes a failed authentication of `client`.
    func fail(_ client: String, at time: Date = Date()) {
        self.failures.withLock { $0[client, default: []].append(time) }
    }
}
