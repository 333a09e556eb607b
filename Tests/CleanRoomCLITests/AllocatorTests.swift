import Foundation
import Testing

/// The `cleanroom` executable runs on jemalloc (linked in Package.swift), not on glibc's malloc.
struct AllocatorTests {
    /// jemalloc prints its statistics at exit when `MALLOC_CONF` asks for them; glibc's malloc ignores the variable.
    @Test func theExecutableAllocatesWithJemalloc() throws {
        let binary = try CleanRoomBinary.locate()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("allocator-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let outcome = try binary.run(["--help"], log: log, environment: ["MALLOC_CONF": "stats_print:true"])
        #expect(outcome == .exited(0))
        let output = try String(contentsOfFile: log, encoding: .utf8)
        #expect(output.contains("Begin jemalloc statistics"))
    }
}
