public import CleanRoomCrypto

/// Reads the entries of an audit folder in order, for showing and exporting.
///
/// It checks each line's shape and leaf hash but not the whole log; ``AuditVerifier`` does that.
public enum AuditReader {
    /// Calls `body` with every entry from `since` on, in sequence order.
    ///
    /// - Throws: ``AuditError/Code/tampered`` at the first line that is not a well-formed entry whose leaf hash
    ///   matches it; ``AuditError/Code/readFailed`` when a file cannot be read.
    public static func forEachEntry(in directory: String, since: Int = 0, _ body: (AuditEntry) throws -> Void) throws {
        let files = AuditFiles(directory: directory)
        let segments = try files.segments()
        for (index, first) in segments.enumerated() {
            let next = index + 1 < segments.count ? segments[index + 1] : Int.max
            guard next > since else { continue }
            let bytes = try AuditFiles.read(files.segmentPath(firstSequence: first))
            var start = 0
            while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = bytes[start...newline]
                start = newline + 1
                guard let parts = AuditLine.split(line), MerkleHash.leafHash(parts.entryBytes) == parts.storedLeafHash,
                    let entry = AuditLine.decode(parts.entryBytes)
                else {
                    throw AuditError(
                        code: .tampered,
                        message: "a line of \(AuditFiles.segmentName(firstSequence: first)) is not a valid entry; "
                            + "run `cleanroom audit verify`"
                    )
                }
                if entry.sequence >= since {
                    try body(entry)
                }
            }
        }
    }
}

/// Checks a whole audit folder: every entry, the links between them, the Merkle tree and every checkpoint.
public enum AuditVerifier {
    /// What an intact log holds.
    public struct Summary: Sendable, Equatable {
        /// The number of entries.
        public let size: Int
        /// The number of checkpoint files verified.
        public let checkpoints: Int
        /// The size of the newest checkpoint.
        public let newestCheckpointSize: Int
        /// The root hash of the whole log.
        public let rootHash: [UInt8]
    }

    /// Verifies the folder against the log's public key and origin.
    ///
    /// - Throws: ``AuditError`` with ``AuditError/Code/tampered`` and the first bad sequence number when an
    ///   entry was changed, removed, reordered or inserted, the log was truncated after a checkpoint, a
    ///   checkpoint does not verify under `publicKey`, or the log ends in a torn write not yet recovered.
    public static func verify(directory: String, publicKey: Ed25519PublicKey, origin: String) throws -> Summary {
        let scan = try AuditScan.scan(
            AuditFiles(directory: directory), repairTornTail: false, publicKey: publicKey, origin: origin
        )
        return Summary(
            size: scan.tree.size, checkpoints: scan.checkpointCount, newestCheckpointSize: scan.lastCheckpointSize,
            rootHash: try scan.tree.rootHash(size: scan.tree.size)
        )
    }
}
