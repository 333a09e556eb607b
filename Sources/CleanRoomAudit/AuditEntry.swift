import CleanRoomCore
import CleanRoomCrypto
import Foundation

/// One entry of the audit log: a record with its place in the log.
///
/// On disk an entry is one line of a segment file,
///
/// ```
/// {"entry":{…the entry, canonical JSON…},"leaf_hash":"<64 hex digits>"}
/// ```
///
/// where the entry's bytes are exactly the text between `{"entry":` and `,"leaf_hash":"`, and the leaf hash is
/// SHA-256(0x00 ‖ those bytes) as RFC 9162 section 2.1.1 defines it: the line can be checked with
/// `sha256sum` alone. The entry's fields, in canonical (sorted) order: `action`, `cohort_sizes`, `decision`
/// (`outcome`, `rule`), `policy_digest`, `previous_root` (hex root hash of the log before this entry, linking
/// it to everything before it), `principal`, `purpose`, `request`, `result_digest`, `role`, `sequence` (the
/// leaf index, from 0), `suppressed_cells`, `time` (RFC 3339, UTC, milliseconds).
public struct AuditEntry: Sendable, Equatable {
    /// The entry's position in the log and its leaf index in the Merkle tree, from 0.
    public let sequence: Int
    /// When it was appended, RFC 3339 in UTC with milliseconds (`2026-11-25T18:00:00.123Z`).
    public let time: String
    /// The root hash of the log of the `sequence` entries before this one.
    public let previousRoot: [UInt8]
    /// What was asked and decided.
    public let record: AuditRecord

    /// The canonical JSON bytes the leaf hash covers.
    public var bytes: [UInt8] { self.canonicalValue.utf8 }

    /// The RFC 9162 leaf hash of this entry.
    public var leafHash: [UInt8] { MerkleHash.leafHash(self.bytes) }

    /// The segment-file line of this entry, newline included.
    public var line: [UInt8] { AuditLine.make(entryBytes: self.bytes).line }

    init(sequence: Int, time: String, previousRoot: [UInt8], record: AuditRecord) {
        self.sequence = sequence
        self.time = time
        self.previousRoot = previousRoot
        self.record = record
    }

    var canonicalValue: CanonicalJSON {
        let record = self.record
        return .object([
            "action": .string(record.action.rawValue),
            "cohort_sizes": .array(record.cohortSizes.map(CanonicalJSON.integer)),
            "decision": .object(["outcome": .string(record.decision.outcome.rawValue), "rule": .string(record.decision.rule)]),
            "policy_digest": .string(record.policyDigest),
            "previous_root": .string(Hex.encode(self.previousRoot)),
            "principal": .string(record.principal),
            "purpose": record.purpose.map(CanonicalJSON.string) ?? .null,
            "request": record.request,
            "result_digest": record.resultDigest.map(CanonicalJSON.string) ?? .null,
            "role": .string(record.role),
            "sequence": .integer(self.sequence),
            "suppressed_cells": .integer(record.suppressedCells),
            "time": .string(self.time),
        ])
    }
}

/// The fixed parts of a segment-file line, and reading one back.
enum AuditLine {
    static let prefix = Array(#"{"entry":"#.utf8)
    static let infix = Array(#","leaf_hash":""#.utf8)
    static let suffix = Array("\"}\n".utf8)
    /// Bytes around the entry: the prefix, the infix, 64 hex digits and the suffix.
    static let overhead = prefix.count + infix.count + 64 + suffix.count

    /// The line of an entry's bytes, and its leaf hash.
    static func make(entryBytes: [UInt8]) -> (line: [UInt8], leafHash: [UInt8]) {
        let leafHash = MerkleHash.leafHash(entryBytes)
        var line = Self.prefix
        line.reserveCapacity(entryBytes.count + Self.overhead)
        line += entryBytes
        line += Self.infix
        line += Hex.encode(leafHash).utf8
        line += Self.suffix
        return (line, leafHash)
    }

    /// A line split into its parts, before any check of their meaning.
    struct Parts {
        let entryBytes: [UInt8]
        let storedLeafHash: [UInt8]
    }

    /// Splits a complete line (newline included); `nil` when it is not of the line's fixed shape.
    static func split(_ line: ArraySlice<UInt8>) -> Parts? {
        guard line.count > Self.overhead, line.starts(with: Self.prefix), line.last == UInt8(ascii: "\n") else {
            return nil
        }
        let suffixStart = line.endIndex - Self.suffix.count
        let hexStart = suffixStart - 64
        let infixStart = hexStart - Self.infix.count
        guard line[suffixStart...].elementsEqual(Self.suffix), line[infixStart..<hexStart].elementsEqual(Self.infix),
            let leafHash = Hex.decode(String(decoding: line[hexStart..<suffixStart], as: UTF8.self)),
            Hex.encode(leafHash).utf8.elementsEqual(line[hexStart..<suffixStart])
        else {
            return nil
        }
        return Parts(entryBytes: Array(line[(line.startIndex + Self.prefix.count)..<infixStart]), storedLeafHash: leafHash)
    }

    /// Reads the entry from its bytes, requiring them to be exactly the canonical form of what they hold.
    static func decode(_ bytes: [UInt8]) -> AuditEntry? {
        guard let fields = try? JSONDecoder().decode(EntryFields.self, from: Data(bytes)),
            let entry = fields.entry, entry.bytes == bytes
        else {
            return nil
        }
        return entry
    }

    /// The fields of an entry as JSON holds them.
    private struct EntryFields: Decodable {
        let action: String
        let cohortSizes: [Int]
        let decision: Decision
        let policyDigest: String
        let previousRoot: String
        let principal: String
        let purpose: String?
        let request: CanonicalJSON
        let resultDigest: String?
        let role: String
        let sequence: Int
        let suppressedCells: Int
        let time: String

        struct Decision: Decodable {
            let outcome: String
            let rule: String
        }

        enum CodingKeys: String, CodingKey {
            case action, decision, principal, purpose, request, role, sequence, time
            case cohortSizes = "cohort_sizes"
            case policyDigest = "policy_digest"
            case previousRoot = "previous_root"
            case resultDigest = "result_digest"
            case suppressedCells = "suppressed_cells"
        }

        var entry: AuditEntry? {
            guard let outcome = AuditDecision.Outcome(rawValue: self.decision.outcome),
                let previousRoot = Hex.decode(self.previousRoot), previousRoot.count == 32, self.sequence >= 0
            else {
                return nil
            }
            let record = AuditRecord(
                principal: self.principal, role: self.role, action: AuditAction(rawValue: self.action),
                purpose: self.purpose, request: self.request, decision: AuditDecision(outcome, rule: self.decision.rule),
                cohortSizes: self.cohortSizes, suppressedCells: self.suppressedCells, policyDigest: self.policyDigest,
                resultDigest: self.resultDigest
            )
            return AuditEntry(sequence: self.sequence, time: self.time, previousRoot: previousRoot, record: record)
        }
    }
}
