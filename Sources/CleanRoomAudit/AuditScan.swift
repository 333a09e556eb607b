import CleanRoomCrypto

/// Reads an audit folder entry by entry, checking everything the log promises, and rebuilds its Merkle tree.
///
/// Each line must have the fixed line shape, its stored leaf hash must be the hash of its entry, its entry
/// must be canonical JSON, its sequence number the next one, and its `previous_root` the root of the log
/// before it; each checkpoint must carry a valid signature by the log's key and the root of the log at its
/// size. The first failure names the first bad sequence number.
struct AuditScan {
    /// The tree of every good entry.
    var tree = MerkleTree()
    /// The first sequence number of the last segment, `nil` when there is none.
    var lastSegment: Int?
    /// The size of the newest valid checkpoint, 0 when there is none.
    var lastCheckpointSize = 0
    /// How many checkpoints were verified.
    var checkpointCount = 0
    /// Bytes of a torn final write found after the last good entry (cut off when repairing).
    var truncatedBytes = 0
    /// The last good entry, `nil` for an empty log.
    var lastEntry: AuditEntry?

    /// Scans `files`. With `repairTornTail`, a torn final write is cut off (and counted in
    /// ``truncatedBytes``); without, it is reported as damage.
    static func scan(_ files: AuditFiles, repairTornTail: Bool, publicKey: Ed25519PublicKey, origin: String)
        throws -> AuditScan
    {
        var scan = AuditScan()
        let segments = try files.segments()
        for (index, first) in segments.enumerated() {
            guard first == scan.tree.size else {
                throw Self.tampered(
                    scan.tree.size,
                    "segment \(AuditFiles.segmentName(firstSequence: first)) starts at entry \(first) but the log "
                        + "before it ends at entry \(scan.tree.size - 1): entries are missing or were inserted"
                )
            }
            scan.lastSegment = first
            let path = files.segmentPath(firstSequence: first)
            let tornAt = try scan.readSegment(AuditFiles.read(path), isLast: index == segments.count - 1)
            if let (offset, length) = tornAt {
                guard repairTornTail else {
                    throw Self.tampered(
                        scan.tree.size,
                        "the last \(length) bytes of \(AuditFiles.segmentName(firstSequence: first)) are a torn "
                            + "write after entry \(scan.tree.size - 1); opening the log cuts them off and records it"
                    )
                }
                try AuditFiles.truncate(path, to: offset)
                scan.truncatedBytes = length
            }
        }
        try scan.checkCheckpoints(files, publicKey: publicKey, origin: origin)
        return scan
    }

    /// Adds the segment's entries; returns the offset and length of a torn tail, if the segment ends in one.
    private mutating func readSegment(_ bytes: [UInt8], isLast: Bool) throws -> (offset: Int, length: Int)? {
        var offset = 0
        while offset < bytes.count {
            let end = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }
            if let end, let entry = self.entry(in: bytes[offset..<end]) {
                try self.add(entry)
                offset = end
                continue
            }
            // Not a good line. At the end of the last segment, a write the crash cut short is expected: the
            // rest holds no good entry. Anywhere else it is damage.
            if isLast && !Self.holdsAnEntry(bytes[offset...]) {
                return (offset, bytes.count - offset)
            }
            throw Self.tampered(
                self.tree.size,
                "entry \(self.tree.size) is damaged: its line is not well formed, or its leaf hash does not match "
                    + "its bytes (the entry was changed)"
            )
        }
        return nil
    }

    /// The entry of a complete line whose stored leaf hash matches its bytes, or `nil`.
    private func entry(in line: ArraySlice<UInt8>) -> (entry: AuditEntry, leafHash: [UInt8])? {
        guard let parts = AuditLine.split(line) else { return nil }
        let leafHash = MerkleHash.leafHash(parts.entryBytes)
        guard leafHash == parts.storedLeafHash, let entry = AuditLine.decode(parts.entryBytes) else { return nil }
        return (entry, leafHash)
    }

    private mutating func add(_ found: (entry: AuditEntry, leafHash: [UInt8])) throws {
        let expected = self.tree.size
        guard found.entry.sequence == expected else {
            throw Self.tampered(
                expected,
                "expected entry \(expected) but found entry \(found.entry.sequence): entries were removed, "
                    + "reordered or inserted"
            )
        }
        guard found.entry.previousRoot == (try self.tree.rootHash(size: expected)) else {
            throw Self.tampered(
                expected - 1,
                "entry \(expected) records another log before it than the one on disk: entry \(expected - 1) was "
                    + "changed"
            )
        }
        _ = try self.tree.append(leafHash: found.leafHash)
        self.lastEntry = found.entry
    }

    private static func holdsAnEntry(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.split(separator: UInt8(ascii: "\n")).contains { line in
            AuditLine.split(line + [UInt8(ascii: "\n")]) != nil
        }
    }

    /// Checks every checkpoint file against the rebuilt tree.
    private mutating func checkCheckpoints(_ files: AuditFiles, publicKey: Ed25519PublicKey, origin: String) throws {
        var checked: [(name: String, text: String)] = []
        for size in try files.checkpointSizes() {
            let path = files.checkpointPath(size: size)
            checked.append((path, String(decoding: try AuditFiles.read(path), as: UTF8.self)))
        }
        let latest = try AuditFiles.names(in: files.directory).contains("checkpoint")
        if latest {
            checked.append((files.latestCheckpoint, String(decoding: try AuditFiles.read(files.latestCheckpoint), as: UTF8.self)))
        }
        for (path, text) in checked {
            let checkpoint: Checkpoint
            do {
                checkpoint = try SignedCheckpoint.open(
                    text, verifier: NoteVerifier(name: origin, publicKey: publicKey), origin: origin
                )
            } catch {
                throw AuditError(
                    code: .tampered,
                    message: "the checkpoint \(path) does not verify: \(error); it was forged or altered",
                    sequence: nil
                )
            }
            let size = Int(checkpoint.size)
            guard size <= self.tree.size else {
                throw Self.tampered(
                    self.tree.size,
                    "the checkpoint \(path) signed a log of \(size) entries but the log ends at entry "
                        + "\(self.tree.size - 1): entries \(self.tree.size)…\(size - 1) were removed"
                )
            }
            guard checkpoint.rootHash == (try self.tree.rootHash(size: size)) else {
                // Entries up to the last good checkpoint are as signed; the change is after it.
                let firstUnproven = self.lastCheckpointSize
                throw Self.tampered(
                    firstUnproven,
                    "the checkpoint \(path) signed another log of \(size) entries than the one on disk: "
                        + "one of entries \(firstUnproven)…\(size - 1) was changed and its hashes rewritten"
                )
            }
            self.lastCheckpointSize = max(self.lastCheckpointSize, size)
            self.checkpointCount += 1
        }
    }

    private static func tampered(_ sequence: Int, _ message: String) -> AuditError {
        AuditError(code: .tampered, message: message, sequence: max(0, sequence))
    }
}
