import CleanRoomAudit
import CleanRoomCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOPosix
import Synchronization
import Testing

@testable import CleanRoomServer

#if canImport(Glibc)
    import Glibc
#endif

/// The policy's `limits.request_timeout_seconds` through a real socket, and the deadline's two races on their own.
///
/// No test bounds how late an answer may come: with the whole suite running, other tests' blocking work can hold
/// the threads that wake timers for many seconds. A race that failed to cut its work short instead runs into the
/// time limit (its work would take an hour).
struct RequestDeadlineTests {
    @Test(.timeLimit(.minutes(3)))
    func aBodyThatDoesNotArriveInTimeIsAnswered408AndNothingIsDone() async throws {
        let fixture = try ServiceFixture(requestTimeoutSeconds: 1)
        let token = try #require(fixture.tokens[.partner])
        let entries = fixture.audit.size
        try await fixture.test(.live) { client in
            let port = try #require(client.port)
            let started = ContinuousClock.now
            // A client that announces 100 bytes of query and sends 10, then waits.
            let response = try Self.exchange(
                port: port,
                "POST /v1/query HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"purpose\"")
            let waited = ContinuousClock.now - started
            #expect(response.hasPrefix("HTTP/1.1 408"))
            #expect(response.contains("\"code\":\"request_timeout\""))
            #expect(waited >= .milliseconds(900))
        }
        #expect(fixture.audit.size == entries)
    }

    @Test func blockingWorkPastTheDeadlineIsAnswered503WhileItFinishesOnItsOwn() async throws {
        let deadline = RequestDeadline(seconds: 1)
        let threads = NIOThreadPool(numberOfThreads: 1)
        threads.start()
        let finished = Mutex(false)
        let mayFinish = DispatchSemaphore(value: 0)
        let error = await #expect(throws: ServiceError.self) {
            try await deadline.runBlocking(on: threads) {
                mayFinish.wait()
                finished.withLock { $0 = true }
            }
        }
        #expect(error?.status == .serviceUnavailable)
        #expect(error?.rule == "limits.request_timeout_seconds")
        #expect(error?.retryAfter == 1)
        #expect(!finished.withLock { $0 })
        mayFinish.signal()
        try await threads.shutdownGracefully()  // waits for the work
        #expect(finished.withLock { $0 })
        // Work still waiting for a thread when its deadline passes is skipped: the client was answered already.
        let busy = NIOThreadPool(numberOfThreads: 1)
        busy.start()
        let occupied = DispatchSemaphore(value: 0)
        let occupying = Mutex(false)
        let occupier = Task {
            try await RequestDeadline(seconds: 60).runBlocking(on: busy) {
                occupying.withLock { $0 = true }
                occupied.wait()
            }
        }
        while !occupying.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        let skippedRan = Mutex(false)
        await #expect(throws: ServiceError.self) {
            try await RequestDeadline(seconds: 1).runBlocking(on: busy) { skippedRan.withLock { $0 = true } }
        }
        occupied.signal()
        try await occupier.value
        try await busy.shutdownGracefully()
        #expect(!skippedRan.withLock { $0 })
        // Work that finishes in time is answered with its result.
        let quick = NIOThreadPool(numberOfThreads: 1)
        quick.start()
        #expect(try await RequestDeadline(seconds: 1).runBlocking(on: quick) { 42 } == 42)
        try await quick.shutdownGracefully()
    }

    @Test(.timeLimit(.minutes(3)))
    func asyncWorkPastTheDeadlineIsCancelled() async throws {
        await #expect(throws: ServiceError.self) {
            try await RequestDeadline(seconds: 1).race(.unavailable("late")) {
                try await Task.sleep(for: .seconds(3_600))
            }
        }
        #expect(try await RequestDeadline(seconds: 1).race(.unavailable("late")) { 7 } == 7)
    }

    /// Sends `request` to the loopback `port` and returns what comes back until the server closes or 170 s pass.
    static func exchange(port: Int, _ request: String) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(socket >= 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 170, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        #expect(connected == 0)
        _ = Array(request.utf8).withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += buffer[..<count]
            if let text = String(bytes: received, encoding: .utf8), text.contains("\r\n\r\n"),
                text.contains("}}")
            {
                break
            }
        }
        return String(decoding: received, as: UTF8.self)
    }
}
