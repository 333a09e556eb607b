import Synchronization
import Testing

@testable import CleanRoomServer

struct ComputeSlotsTests {
    /// How many holders are running now, the most at once, and how many finished.
    final class Gauge: Sendable {
        private let counts = Mutex((now: 0, most: 0, done: 0))
        func enter() { self.counts.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
        func leave() { self.counts.withLock { $0.now -= 1; $0.done += 1 } }
        var totals: (most: Int, done: Int) { self.counts.withLock { ($0.most, $0.done) } }
    }

    @Test func noMoreThanTheLimitRunAtOnceAndEveryoneGetsATurn() async throws {
        let slots = ComputeSlots(limit: 2)
        let gauge = Gauge()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    await slots.acquire()
                    gauge.enter()
                    try? await Task.sleep(for: .milliseconds(5))
                    gauge.leave()
                    slots.release()
                }
            }
        }
        #expect(gauge.totals.done == 12)
        #expect(gauge.totals.most == 2)
    }
}
