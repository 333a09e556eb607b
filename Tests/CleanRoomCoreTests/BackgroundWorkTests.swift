import CleanRoomCore
import Foundation
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

    @Test func workAlreadyDoneAnswersAtOnce() throws {
        #expect(try BackgroundWork(value: "done").value() == "done")
    }
}
