import ArgumentParser
import CleanRoomAudit
import CleanRoomCore
import CleanRoomRights
import CleanRoomStore
import Foundation

/// `cleanroom retention sweep`.
struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Apply the policy's retention periods.",
        subcommands: [Sweep.self]
    )

    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete events and attributes past their category's retention, and people left with nothing.",
            discussion: """
                A value exactly as old as its retention period is kept. People whose attributes and events are all \
                gone are deleted once held longer than the longest retention period. The counts are audited.
                """
        )
        @OptionGroup var homeOptions: HomeOptions

        func run() throws {
            let home = self.homeOptions.resolved
            let audit = try HomeAuditLog(home: home)
            let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
            defer { try? store.close() }
            let result = try RetentionSweep(store: store, policy: audit.policy, audit: audit.log, principal: ("cli", "admin"))
                .run(at: Date())
            try audit.log.close()
            for category in audit.policy.schema.categories.map(\.name) {
                print("\(category): \(result.events[category] ?? 0) events, \(result.attributes[category] ?? 0) attribute values")
            }
            print("people deleted: \(result.subjects); audit entry \(result.auditSequence)")
        }
    }
}
