import Synchronization
import Testing

@testable import CleanRoomServer

struct ComputeSlotsTests {
    @Test func noMoreThanTheLimitRunAtOnceAndEveryoneGetsATurn() async throws {
        let slots = ComputeSlots(limit: 2)
        let running = Mutex((now: 0, most: 0, done: 0))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    await slots.acquire()
                    running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                    try? await Task.sleep(for: .milliseconds(5))
                    running.withLock { $0.now -= 1; $0.done += 1 }
                    slots.release()
                }
            }
        }
        let final = running.withLock { $0 }
        #expect(final.done == 12)
        #expect(final.most == 2)
    }
}
