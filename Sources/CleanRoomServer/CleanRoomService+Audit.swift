internal import CleanRoomAudit
internal import CleanRoomCore
internal import CleanRoomCrypto
internal import Foundation
internal import Hummingbird

extension CleanRoomService {
    /// The auditor's routes: `GET /v1/audit/entries?from=N&limit=M`, `/v1/audit/checkpoint`,
    /// `/v1/audit/proof/{sequence}` and `/v1/audit/verify`. Each read is itself audited first.
    func addAuditRoutes(to group: RouterGroup<ServiceRequestContext>) {
        let audit = group.group("audit")
        audit.get("entries") { request, context in
            let principal = try self.require([.auditor], context)
            let from = try Self.integer(request, "from", default: 0, in: 0...Int.max)
            let limit = try Self.integer(request, "limit", default: 100, in: 1...1000)
            try self.auditRead(principal, "entries")
            var entries: [CanonicalJSON] = []
            do {
                try AuditReader.forEachEntry(in: self.auditDirectory, since: from) { entry in
                    guard entries.count < limit else { return }
                    entries.append(try CanonicalJSON.parse(entry.bytes))
                }
            } catch {
                throw ServiceError.unavailable("the audit log could not be read: \(error)")
            }
            return Response.json(.object(["entries": .array(entries)]))
        }
        audit.get("checkpoint") { _, context in
            let principal = try self.require([.auditor], context)
            try self.auditRead(principal, "checkpoint")
            guard let (size, checkpoint) = try self.audit.latestCheckpoint() else {
                throw ServiceError(.notFound, code: "not_found", message: "the audit log has no entry yet")
            }
            return Response.json(.object(["size": .integer(size), "checkpoint": .string(checkpoint)]))
        }
        audit.get("proof/{sequence}") { request, context in
            let principal = try self.require([.auditor], context)
            guard let sequence = context.parameters.get("sequence", as: Int.self), sequence >= 0 else {
                throw ServiceError.badRequest("the sequence number is a whole number from 0", field: "sequence")
            }
            try self.auditRead(principal, "proof")
            let size = self.audit.size
            guard sequence < size else {
                throw ServiceError(
                    .notFound, code: "not_found", message: "the log has \(size) entries; there is no entry \(sequence)")
            }
            let proof = try self.audit.inclusionProof(sequence: sequence, size: size)
            return Response.json(.object([
                "sequence": .integer(sequence), "size": .integer(size),
                "root_hash": .string(Hex.encode(try self.audit.rootHash(size: size))),
                "proof": .array(proof.map { .string(Hex.encode($0)) }),
            ]))
        }
        audit.get("verify") { _, context in
            let principal = try self.require([.auditor], context)
            try self.auditRead(principal, "verify")
            do {
                let summary = try AuditVerifier.verify(
                    directory: self.auditDirectory, publicKey: self.keyring.auditSigningKey.publicKey,
                    origin: self.auditOrigin)
                return Response.json(.object([
                    "verified": .bool(true), "size": .integer(summary.size),
                    "checkpoints": .integer(summary.checkpoints),
                    "root_hash": .string(Hex.encode(summary.rootHash)),
                ]))
            } catch {
                return Response.json(.object(["verified": .bool(false), "problem": .string("\(error)")]))
            }
        }
    }

    /// A query parameter as a whole number in `range`, `fallback` when absent.
    private static func integer(
        _ request: Request, _ name: String, default fallback: Int, in range: ClosedRange<Int>
    ) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ServiceError.badRequest("\(name) is a whole number from \(range.lowerBound)", field: name)
        }
        return value
    }
}
