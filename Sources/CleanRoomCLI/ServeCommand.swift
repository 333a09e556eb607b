import ArgumentParser
import CleanRoomAnalytics
import CleanRoomAudit
import CleanRoomCore
import CleanRoomIngest
import CleanRoomRights
import CleanRoomServer
import CleanRoomStore
import Foundation
import Logging

/// `cleanroom serve`: the HTTP service on one home.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the clean room over HTTP: owners, partners and auditors with bearer tokens.",
        discussion: """
            Opens the home (keys, policy, segments, audit log, store), applies retention once, loads the cohort \
            index, then serves until SIGTERM or SIGINT: in-flight requests finish, the audit log writes its \
            checkpoint, the store is checkpointed. Retention runs again every day while serving. Issue tokens \
            with `cleanroom principal add`.
            """
    )

    @OptionGroup var homeOptions: HomeOptions
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080

    func run() async throws {
        let logger = Logger(label: "cleanroom")
        let home = self.homeOptions.resolved
        let audit = try HomeAuditLog(home: home)
        let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
        let segments = try SegmentCatalog.load(path: home.segmentsFile, policy: audit.policy)
        do {
            let swept = try RetentionSweep(
                store: store, policy: audit.policy, audit: audit.log, principal: ("service", "admin")
            ).run(at: Date())
            logger.info("retention applied at start", metadata: ["people_deleted": "\(swept.subjects)"])
        } catch let error as RightsError where error.code == .checkpointPending {
            logger.warning("retention applied; the write-ahead log is cleared at the next sweep")
        }
        let service = try CleanRoomService(
            store: store, policy: audit.policy, segments: segments, keyring: audit.keyring, audit: audit.log,
            auditDirectory: home.auditDirectory, auditOrigin: HomeAuditLog.origin,
            engine: try CohortEngine(store: store, policy: audit.policy), identities: try IdentityIndex.load(from: store),
            tokens: try PrincipalTokens(store: store, policy: audit.policy))
        logger.info("serving", metadata: ["address": "\(self.host):\(self.port)"])
        try await service.serve(host: self.host, port: self.port, logger: logger)
        try audit.log.close()
        try store.checkpoint()
        try store.close()
        logger.info("stopped; audit log checkpointed")
    }
}
