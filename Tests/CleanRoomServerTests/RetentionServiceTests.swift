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
        // Two sweeps at least, one interval apart, within a generous time on a busy machine.
        var sweeps: [AuditRecord] = []
        for _ in 0..<100 where sweeps.count < 2 {
            try await Task.sleep(for: .milliseconds(100))
            sweeps = try fixture.auditRecords().filter { $0.action == .retentionSweep }
        }
        running.cancel()
        try await running.value
        #expect(sweeps.count >= 2)
        #expect(sweeps.allSatisfy { $0.principal == "service" })
    }
}
