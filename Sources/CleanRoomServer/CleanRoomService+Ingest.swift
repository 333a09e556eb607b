internal import CleanRoomCore
internal import CleanRoomIngest
internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore
internal import NIOPosix

extension CleanRoomService {
    /// `POST /v1/ingest?format=jsonl|csv&kind=customers|events|consents&source=NAME` for owners: the body (JSON
    /// Lines or CSV, at most the policy's request size) is streamed to a private temporary file and ingested by
    /// the gateway, batch by batch, each batch committed and audited. An `Idempotency-Key` header names the upload:
    /// sent again, it is answered 409 `already_ingested` and changes nothing. The answer holds the counts and the
    /// rejected rows (line, field, reason; never a value).
    func addIngestRoutes(to group: RouterGroup<ServiceRequestContext>) {
        group.post("ingest") { request, context in
            _ = try self.require([.owner], context)
            let parameters = request.uri.queryParameters
            guard let format = parameters.get("format").map({ Ingestor.Format(rawValue: $0) }) ?? .jsonl else {
                throw ServiceError.badRequest("format is jsonl or csv", field: "format")
            }
            let kind: IngestKind?
            if let name = parameters.get("kind") {
                guard let parsed = IngestKind(rawValue: name) else {
                    throw ServiceError.badRequest("kind is customers, events or consents", field: "kind")
                }
                kind = parsed
            } else {
                kind = nil
            }
            let key = request.headers[HTTPField.Name("Idempotency-Key")!]
            if let key, key.isEmpty || key.utf8.count > 200 {
                throw ServiceError.badRequest("an Idempotency-Key is 1 to 200 characters", field: "Idempotency-Key")
            }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cleanroom-ingest-\(UUID())")
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(at: folder) }
            let input = folder.appendingPathComponent("upload." + format.rawValue).path
            try await self.receive(request, into: input, before: context.deadline)
            let options = Ingestor.Options(
                format: format, kind: kind, source: parameters.get("source"), batchSize: self.policy.limits.rowsPerBatch,
                idempotencyKey: key, rejectsPath: folder.appendingPathComponent("rejects.jsonl").path)
            let summary: IngestSummary
            do {
                // Once received, an ingest runs to its end whatever the deadline (it commits batch by batch), on a
                // thread of its own: it may take minutes, and must neither wait behind queries nor hold up theirs.
                summary = try await withCheckedThrowingContinuation { continuation in
                    Thread.detachNewThread {
                        continuation.resume(with: Result { try self.ingestor.ingest(path: input, options: options) })
                    }
                }
            } catch let error as IngestError {
                throw ServiceError.badRequest(error.message)
            } catch {
                throw ServiceError.unavailable("the upload could not be ingested: \(error)")
            }
            if summary.batchesCommitted == 0 && summary.batchesAlreadyIngested > 0 {
                throw ServiceError(
                    .conflict, code: "already_ingested",
                    message: "every batch of this upload was ingested before; nothing changed")
            }
            let rejects = (try? String(contentsOfFile: options.rejectsPath ?? "", encoding: .utf8)) ?? ""
            let rejected = rejects.split(separator: "\n").prefix(1000).compactMap { line in
                try? CanonicalJSON.parse(Array(line.utf8))
            }
            return Response.json(.object([
                "accepted": .integer(summary.accepted), "rejected": .integer(summary.rejected),
                "suppressed": .integer(summary.suppressed), "duplicates": .integer(summary.duplicates),
                "subjects_created": .integer(summary.subjectsCreated),
                "subjects_updated": .integer(summary.subjectsUpdated),
                "batches_committed": .integer(summary.batchesCommitted),
                "batches_already_ingested": .integer(summary.batchesAlreadyIngested),
                "rejects": .array(rejected),
            ]))
        }
    }

    /// Streams the request body into a new private file before `deadline`, refusing more than the policy's request
    /// size.
    private func receive(_ request: Request, into path: String, before deadline: RequestDeadline?) async throws {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw ServiceError.unavailable("the upload could not be stored for ingest") }
        let limit = self.policy.limits.requestBodyBytes
        let stream = { @Sendable () async throws in
            let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? file.close() }
            var received = 0
            for try await buffer in request.body {
                received += buffer.readableBytes
                guard received <= limit else {
                    throw ServiceError(
                        .contentTooLarge, code: "too_large", message: "the upload is larger than \(limit) bytes; split it")
                }
                try file.write(contentsOf: Data(buffer.readableBytesView))
            }
        }
        guard let deadline else { return try await stream() }
        try await deadline.race(deadline.bodyTimedOut, stream)
    }

    /// Runs blocking work (a scan, the audit's sync, an upload's pseudonyms) on one of the service's blocking
    /// threads, off the server's event loops, answering when `deadline` passes first (see ``RequestDeadline``).
    func offThread<T: Sendable>(
        within deadline: RequestDeadline?, _ work: @escaping @Sendable () throws -> T
    ) async throws -> T {
        guard let deadline else { return try await Self.blockingThreads.runIfActive(work) }
        return try await deadline.runBlocking(on: Self.blockingThreads, work)
    }

    /// The process's threads for blocking work: a few per core, enough for many answers to wait on one audit sync
    /// together, few enough that the event loops are not crowded out. Like `NIOThreadPool.singleton`, it lives as
    /// long as the process.
    private static let blockingThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4 * ProcessInfo.processInfo.activeProcessorCount)
        pool.start()
        return pool
    }()
}
