internal import DequeModule
internal import Foundation
internal import Synchronization

/// Counts events per key over a sliding minute and says how long a key over its limit must wait: failed
/// authentications per client (token guessing is slowed down), queries per principal (the policy's
/// `limits.queries_per_minute`).
final class RateLimiter: Sendable {
    private let limit: Int
    private let window: TimeInterval
    /// Each key's events in the last window, oldest first.
    private let events = Mutex<[String: Deque<Date>]>([:])

    init(limit: Int = 10, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// The seconds `key` must wait, or `nil` when it is under its limit.
    func retryAfter(for key: String, at time: Date = Date()) -> Int? {
        self.events.withLock { events in
            guard var recent = events.removeValue(forKey: key) else { return nil }
            while let oldest = recent.first, time.timeIntervalSince(oldest) >= self.window {
                recent.removeFirst()
            }
            if !recent.isEmpty { events[key] = recent }
            guard recent.count >= self.limit, let oldest = recent.first else { return nil }
            return max(1, Int((self.window - time.timeIntervalSince(oldest)).rounded(.up)))
        }
    }

    /// Counts one event of `key`.
    func count(_ key: String, at time: Date = Date()) {
        self.events.withLock { $0[key, default: []].append(time) }
    }
}
