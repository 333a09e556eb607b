import Foundation
import Testing

@testable import CleanRoomServer

struct RateLimiterTests {
    @Test func aKeyAtItsLimitWaitsUntilItsOldestEventLeavesTheWindow() {
        let limiter = RateLimiter(limit: 3, window: 60)
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        for second in [0.0, 10, 20] {
            #expect(limiter.retryAfter(for: "alpina", at: start + second) == nil)
            limiter.count("alpina", at: start + second)
        }
        #expect(limiter.retryAfter(for: "alpina", at: start + 30) == 30)
        #expect(limiter.retryAfter(for: "dailynews", at: start + 30) == nil)  // keys are counted apart
        #expect(limiter.retryAfter(for: "alpina", at: start + 59.5) == 1)
        // The first event leaves the window at 60 s: one more is allowed, then the next wait is for the second.
        #expect(limiter.retryAfter(for: "alpina", at: start + 60) == nil)
        limiter.count("alpina", at: start + 60)
        #expect(limiter.retryAfter(for: "alpina", at: start + 61) == 9)
        #expect(limiter.retryAfter(for: "alpina", at: start + 200) == nil)
    }
}
