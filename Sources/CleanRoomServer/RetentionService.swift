internal import CleanRoomAudit
internal import CleanRoomCore
internal import CleanRoomRights
internal import CleanRoomStore
internal import Foundation
internal import Logging
internal import ServiceLifecycle

/// Applies the policy's retention while the service runs: once a day (the sweep at start is run before the
/// service opens), each sweep audited. Stops at graceful shutdown.
struct RetentionService: Service {
    let sweep: RetentionSweep
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while true {
            do {
                let interval = self.interval
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            do {
                let result = try self.sweep.run(at: Date())
                self.logger.info(
                    "retention sweep done",
                    metadata: ["people_deleted": "\(result.subjects)", "audit_entry": "\(result.auditSequence)"])
            } catch {
                // Counts only; an error names no person. The next sweep tries again.
                self.logger.error("retention sweep failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
