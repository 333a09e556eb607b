import CleanRoomAudit
import CleanRoomRights
import Foundation
import Logging
import Testing

@testable import CleanRoomServer

/// The service applies retention on its own while it runs.
struct RetentionServiceTests {
    @Test func retentionIsSweptAgainEveryIntervalUntilTheServiceStops() async throws {
        let fixture = try ServiceFixture()
        let sweep = RetentionSweep(
            store: fixture.store, policy: fixture.policy, audit: fixture.audit, principal: ("service", "admin"))
        let service = RetentionService(sweep: sweep, interval: .milliseconds(100), logger: Logger(label: "test"))
        let running = Task { try await service.run() }
        try await Task.sleep(for: .milliseconds(550))
        running.cancel()
        try await running.value
        let sweeps = try fixture.auditRecords().filter { $0.action == .retentionSweep }
        #expect((3...6).contains(sweeps.count), "\(sweeps.count) sweeps in about 5 intervals")
        #expect(sweeps.allSatisfy { $0.principal == "service" })
    }
}
