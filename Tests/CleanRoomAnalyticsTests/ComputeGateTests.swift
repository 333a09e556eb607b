import Foundation
import Synchronization
import Testing

@testable import CleanRoomAnalytics

struct ComputeGateTests {
    /// How many holders are running now, the most at once, and how many finished.
    final class Gauge: Sendable {
        private let counts = Mutex((now: 0, most: 0, done: 0))
        func enter() { self.counts.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
        func leave() { self.counts.withLock { $0.now -= 1; $0.done += 1 } }
        var totals: (most: Int, done: Int) { self.counts.withLock { ($0.most, $0.done) } }
    }

    @Test func noMoreThanTheLimitRunAtOnceAndEveryoneGetsATurn() {
        let gate = ComputeGate(limit: 2)
        let gauge = Gauge()
        // A thread each, so that without the gate all twelve would run at once.
        let finished = DispatchGroup()
        for _ in 0..<12 {
            finished.enter()
            Thread.detachNewThread {
                gate.run {
                    gauge.enter()
                    Thread.sleep(forTimeInterval: 0.005)
                    gauge.leave()
                }
                finished.leave()
            }
        }
        finished.wait()
        #expect(gauge.totals.done == 12)
        #expect(gauge.totals.most == 2)
    }

    @Test func aFailingComputationGivesItsTurnBack() throws {
        struct Failure: Error {}
        let gate = ComputeGate(limit: 1)
        #expect(throws: Failure.self) { try gate.run { () throws(Failure) in throw Failure() } }
        #expect(gate.run { 42 } == 42)
    }
}
