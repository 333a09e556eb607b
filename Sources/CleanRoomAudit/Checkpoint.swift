public import Foundation

/// A transparency-log checkpoint (c2sp.org/tlog-checkpoint): the origin of the log, the size of its
/// RFC 6962 Merkle tree and the root hash at that size, then optional extension lines.
///
/// Its ``text`` is the body of a signed note (see ``SignedCheckpoint``):
///
/// ```
/// cleanroom.example/audit
/// 1042
/// 0HdbJZtSlpGHbnLbzrpuvwHXnf+cLH0c9uTvsCgQIno=
/// time 2026-11-25T18:00:00Z
/// ```
///
/// CleanRoom adds one extension line, `time <RFC 3339 UTC time>`, the time the checkpoint was made. The
/// specification allows extension lines (opaque, optional, non-empty) though it does not recommend them,
/// since log monitors cannot audit them: the time is informative, and nothing relies on it for security.
public struct Checkpoint: Sendable, Hashable {
    /// The identity of the log, such as `cleanroom.example/audit`: non-empty, without control characters.
    public let origin: String
    /// The number of entries (leaves) in the tree.
    public let size: UInt64
    /// The RFC 6962 root hash of the tree at ``size``, 32 bytes.
    public let rootHash: [UInt8]
    /// The lines after the root hash, `time` line included, in order.
    public let extensionLines: [String]
    /// The time of the `time` extension line, whole seconds; `nil` when there is none.
    public let time: Date?

    /// Creates a checkpoint with extension lines.
    ///
    /// - Throws: ``CheckpointError`` for an empty origin, a root hash that is not 32 bytes, an empty
    ///   extension line, a control character in any line, or a malformed `time` line.
    public init(origin: String, size: UInt64, rootHash: [UInt8], extensionLines: [String] = []) throws {
        guard !origin.isEmpty, !Self.hasControlCharacter(origin) else {
            throw CheckpointError(
                code: .malformedOrigin,
                message: "line 1, the origin, must be non-empty and hold no control character"
            )
        }
        guard rootHash.count == Self.rootHashByteCount else {
            throw CheckpointError(
                code: .malformedRootHash,
                message: "line 3, the root hash, is \(rootHash.count) bytes, not \(Self.rootHashByteCount)"
            )
        }
        for (offset, line) in extensionLines.enumerated() where line.isEmpty || Self.hasControlCharacter(line) {
            throw CheckpointError(
                code: .malformedExtension,
                message: "line \(offset + 4), an extension line, must be non-empty and hold no control character"
            )
        }
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensionLines = extensionLines
        self.time = try Self.time(in: extensionLines)
    }

    /// Creates a checkpoint with CleanRoom's one extension line, `time <RFC 3339 UTC>`.
    ///
    /// The time is rounded down to whole seconds.
    ///
    /// - Throws: ``CheckpointError`` for an empty origin or a root hash that is not 32 bytes.
    public init(origin: String, size: UInt64, rootHash: [UInt8], time: Date) throws {
        try self.init(origin: origin, size: size, rootHash: rootHash, extensionLines: [Self.timeLine(for: time)])
    }

    /// Reads a checkpoint text, strictly: at least three lines, each ending with a newline; a non-empty origin;
    /// the size in decimal without leading zeros; the root hash in canonical standard Base64 of 32 bytes;
    /// non-empty extension lines.
    ///
    /// - Throws: ``CheckpointError`` naming the line and the rule it breaks.
    public init(text: String) throws {
        guard text.utf8.last == UInt8(ascii: "\n") else {
            throw CheckpointError(code: .missingLines, message: "a checkpoint text must end with a newline")
        }
        let lines = text.utf8.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else {
            throw CheckpointError(
                code: .missingLines,
                message: "a checkpoint has at least three lines (origin, tree size, root hash), not \(lines.count)"
            )
        }
        try self.init(
            origin: lines[0],
            size: try Self.parseSize(lines[1]),
            rootHash: try Self.parseRootHash(lines[2]),
            extensionLines: Array(lines[3...])
        )
    }

    /// The checkpoint text: origin, decimal size, Base64 root hash and extension lines, each with a newline.
    public var text: String {
        ([self.origin, String(self.size), NoteBase64.encode(self.rootHash)] + self.extensionLines)
            .map { $0 + "\n" }
            .joined()
    }

    private static let rootHashByteCount = 32

    private static func parseSize(_ line: String) throws -> UInt64 {
        let digits = Array(line.utf8)
        guard !digits.isEmpty, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw CheckpointError(
                code: .malformedSize,
                message: "line 2, the tree size, must be ASCII decimal digits only"
            )
        }
        guard digits.count == 1 || digits[0] != UInt8(ascii: "0") else {
            throw CheckpointError(code: .malformedSize, message: "line 2, the tree size, has a leading zero")
        }
        guard let size = UInt64(line) else {
            throw CheckpointError(code: .malformedSize, message: "line 2, the tree size, does not fit in 64 bits")
        }
        return size
    }

    private static func parseRootHash(_ line: String) throws -> [UInt8] {
        guard let hash = NoteBase64.decode(line) else {
            throw CheckpointError(
                code: .malformedRootHash,
                message: "line 3, the root hash, is not canonical standard Base64 with padding"
            )
        }
        return hash
    }

    private static func hasControlCharacter(_ line: String) -> Bool {
        line.utf8.contains { $0 < 0x20 }
    }
}
