import CleanRoomCore
import Foundation
import Synchronization
import Testing

struct BackgroundWorkTests {
    struct Failure: Error, Equatable {}

    @Test func theValueIsTheBodysOnceItHasRun() throws {
        let started = Date()
        let work = BackgroundWork(name: "test.background-work") { () -> Int in
            Thread.sleep(forTimeInterval: 0.05)
            return 42
        }
        #expect(try work.value() == 42)
        #expect(Date().timeIntervalSince(started) >= 0.05, "value() waits for the body")
        #expect(try work.value() == 42, "and gives it again")
    }

    @Test func theBodysErrorIsRethrownToEveryCaller() {
        let work = BackgroundWork<Int>(name: "test.background-work") { throw Failure() }
        #expect(throws: Failure.self) { try work.value() }
        #expect(throws: Failure.self) { try work.value() }
    }

    /// Work on a queue runs after what was queued there before it, and gives its value or error the same way.
    @Test func workOnASerialQueueRunsInTurn() throws {
        let queue = DispatchQueue(label: "test.background-work.queue")
        let order = Mutex<[Int]>([])
        let works = (0..<5).map { number in
            BackgroundWork(on: queue) { () -> Int in
                Thread.sleep(forTimeInterval: 0.005 * Double(5 - number))
                order.withLock { $0.append(number) }
                return number * 10
            }
        }
        let failing = BackgroundWork<Int>(on: queue) { throw Failure() }
        #expect(try works.map { try $0.value() } == [0, 10, 20, 30, 40])
        #expect(order.withLock { $0 } == [0, 1, 2, 3, 4])
        #expect(throws: Failure.self) { try failing.value() }
    }

    @Test func workAlreadyDoneAnswersAtOnce() throws {
        #expect(try BackgroundWork(value: "done").value() == "done")
    }
}
