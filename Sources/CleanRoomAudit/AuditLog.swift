import CleanRoomCore
public import CleanRoomCrypto
public import Foundation

/// The append-only, tamper-evident audit log (DESIGN.md sections 6.8 and 8).
///
/// ``append(_:)`` returns only once the entry is on disk (`fdatasync`, and the folder synced when a segment
/// is created); until then the caller must not answer. Entries from concurrent callers get one order: each is
/// numbered, linked to the root hash of everything before it, and added to the Merkle tree under one lock.
/// With ``CommitMode/group`` callers that arrive while a sync is under way share the next one, so many
/// requests cost one `fdatasync` without any of them being answered before its entry is durable.
///
/// A write failure puts the log in a failed state: every later append throws ``AuditError/Code/writeFailed``
/// until the log is opened again, which re-reads what is really on disk (fail closed).
///
/// Signed checkpoints (see ``SignedCheckpoint``) are written every ``Options/checkpointEvery`` entries and by
/// ``close()``.
public final class AuditLog: @unchecked Sendable {
    /// How appends reach the disk.
    public enum CommitMode: Sendable {
        /// Each entry is written and synced on its own.
        case perEntry
        /// Entries waiting while a sync is under way are written and synced together by the next one.
        case group
    }

    /// How a log is opened.
    public struct Options: Sendable {
        /// The checkpoint origin line: a name for this log, e.g. `cleanroom.example/audit`.
        public var origin: String
        /// A signed checkpoint is written each time the log grows by this many entries (the policy's
        /// `audit.checkpoint_every`).
        public var checkpointEvery: Int
        /// Entries per segment file.
        public var segmentCapacity: Int
        /// Per-entry or group commit.
        public var commitMode: CommitMode
        /// The clock entries and checkpoints are stamped with.
        public var now: @Sendable () -> Date

        /// Options; `origin` names the log in its checkpoints.
        public init(
            origin: String,
            checkpointEvery: Int = 1000,
            segmentCapacity: Int = 100_000,
            commitMode: CommitMode = .group,
            now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.origin = origin
            self.checkpointEvery = max(1, checkpointEvery)
            self.segmentCapacity = max(1, segmentCapacity)
            self.commitMode = commitMode
            self.now = now
        }
    }

    /// What opening the log found.
    public struct OpenReport: Sendable, Equatable {
        /// Entries in the log once opened (after any recovery entry was appended).
        public var size: Int
        /// Bytes of a torn final write that were cut off, 0 when the log was intact.
        public var truncatedBytes: Int
        /// A sentence for people when something was recovered, `nil` otherwise.
        public var recovery: String?
        /// The policy digest of the last entry before opening, `nil` for an empty log: a caller compares it with
        /// the policy in force to record a ``AuditAction/policyChange``.
        public var lastPolicyDigest: String?
    }

    /// What an append returns: the entry's place in the log.
    public struct Receipt: Sendable, Equatable {
        /// The entry's sequence number (its leaf index).
        public let sequence: Int
        /// Its RFC 9162 leaf hash.
        public let leafHash: [UInt8]
        /// Its time stamp.
        public let time: String
    }

    private let files: AuditFiles
    private let options: Options
    private let signingKey: Ed25519PrivateKey
    private let condition = NSCondition()
    private let checkpointLock = NSLock()

    // Guarded by `condition`.
    private var tree: MerkleTree
    private var pending: [(sequence: Int, line: [UInt8])] = []
    private var durableSize: Int
    private var isFlushing = false
    private var failure: AuditError?
    private var isClosed = false
    private var segment: AppendFile?
    private var segmentFirstSequence: Int
    // Guarded by `checkpointLock`.
    private var checkpointedSize: Int

    /// Whether the log still accepts entries: open, and no earlier write failed (after a failed write the log
    /// refuses every append, so a service that cannot audit answers nothing).
    public var isWritable: Bool {
        self.condition.lock()
        defer { self.condition.unlock() }
        return !self.isClosed && self.failure == nil
    }

    /// The number of entries durably in the log.
    public var size: Int {
        self.condition.lock()
        defer { self.condition.unlock() }
        return self.durableSize
    }

    /// Opens the log in `directory`, creating it when absent, after checking every entry on disk.
    ///
    /// A torn final write (a crash between `write` and `fdatasync`) is cut off, reported in the returned
    /// ``OpenReport`` and recorded as a ``AuditAction/logRecovery`` entry: never silently. Any other damage —
    /// an entry changed, removed, reordered or inserted, or a checkpoint that no longer matches — refuses to
    /// open with ``AuditError/Code/tampered`` naming the first bad sequence number.
    public static func open(
        directory: String, signingKey: Ed25519PrivateKey, options: Options
    ) throws -> (log: AuditLog, report: OpenReport) {
        let files = AuditFiles(directory: directory)
        try files.createDirectories()
        let scan = try AuditScan.scan(
            files, repairTornTail: true, publicKey: signingKey.publicKey, origin: options.origin
        )
        let log = AuditLog(files: files, options: options, signingKey: signingKey, scan: scan)
        var report = OpenReport(
            size: scan.tree.size, truncatedBytes: scan.truncatedBytes, recovery: nil,
            lastPolicyDigest: scan.lastEntry?.record.policyDigest
        )
        if scan.truncatedBytes > 0 {
            let sentence = "the audit log's last write was torn (a crash before it was synced): "
                + "\(scan.truncatedBytes) bytes after entry \(scan.tree.size - 1) were cut off"
            report.recovery = sentence
            _ = try log.append(
                AuditRecord(
                    principal: "cleanroom", role: "system", action: .logRecovery,
                    request: .object(["truncated_bytes": .integer(scan.truncatedBytes)]),
                    decision: .allowed("audit.torn_tail_truncated"),
                    policyDigest: scan.lastEntry?.record.policyDigest ?? ""
                )
            )
            report.size = log.size
        }
        return (log, report)
    }

    private init(files: AuditFiles, options: Options, signingKey: Ed25519PrivateKey, scan: AuditScan) {
        self.files = files
        self.options = options
        self.signingKey = signingKey
        self.tree = scan.tree
        self.durableSize = scan.tree.size
        self.segmentFirstSequence = scan.lastSegment ?? 0
        self.checkpointedSize = scan.lastCheckpointSize
    }

    /// Appends `record` and returns once it is durably on disk.
    ///
    /// - Throws: ``AuditError`` with ``AuditError/Code/identifyingContent`` when the record looks like it holds
    ///   an identifier (nothing is written), ``AuditError/Code/writeFailed`` when it could not be written and
    ///   synced (the caller must not answer), ``AuditError/Code/closed`` after ``close()``.
    @discardableResult
    public func append(_ record: AuditRecord) throws -> Receipt {
        try AuditRecordScreen.check(record)
        self.condition.lock()
        defer { self.condition.unlock() }
        try self.requireOpen()

        let sequence = self.tree.size
        let time = AuditTime.format(self.options.now())
        let entry = AuditEntry(
            sequence: sequence, time: time, previousRoot: try self.tree.rootHash(size: sequence), record: record
        )
        let (line, leafHash) = AuditLine.make(entryBytes: entry.bytes)
        _ = try self.tree.append(leafHash: leafHash)
        self.pending.append((sequence, line))

        while self.durableSize <= sequence {
            try self.requireOpen()
            if self.isFlushing {
                self.condition.wait()
                continue
            }
            self.flushPending()
        }
        let due = self.durableSize / self.options.checkpointEvery * self.options.checkpointEvery
        if due > 0 {
            self.condition.unlock()
            defer { self.condition.lock() }
            try self.writeCheckpointIfNewer(size: due)
        }
        return Receipt(sequence: sequence, leafHash: leafHash, time: time)
    }

    /// Writes a final checkpoint of everything durable and refuses further appends.
    public func close() throws {
        self.condition.lock()
        let size = self.durableSize
        let alreadyClosed = self.isClosed
        self.isClosed = true
        self.segment = nil
        self.condition.broadcast()
        self.condition.unlock()
        if !alreadyClosed && size > 0 {
            try self.writeCheckpointIfNewer(size: size)
        }
    }

    /// The RFC 9162 root hash of the first `size` entries.
    public func rootHash(size: Int) throws -> [UInt8] {
        self.condition.lock()
        defer { self.condition.unlock() }
        guard size <= self.durableSize else { throw Self.outOfRange(size, self.durableSize) }
        return try self.tree.rootHash(size: size)
    }

    /// The inclusion proof of entry `sequence` in the log of `size` entries (RFC 9162 section 2.1.3).
    public func inclusionProof(sequence: Int, size: Int) throws -> [[UInt8]] {
        self.condition.lock()
        defer { self.condition.unlock() }
        guard size <= self.durableSize else { throw Self.outOfRange(size, self.durableSize) }
        return try self.tree.inclusionProof(leafIndex: sequence, treeSize: size)
    }

    /// The consistency proof between the logs of `oldSize` and `newSize` entries (RFC 9162 section 2.1.4).
    public func consistencyProof(from oldSize: Int, to newSize: Int) throws -> [[UInt8]] {
        self.condition.lock()
        defer { self.condition.unlock() }
        guard newSize <= self.durableSize else { throw Self.outOfRange(newSize, self.durableSize) }
        return try self.tree.consistencyProof(from: oldSize, to: newSize)
    }

    /// Signs a checkpoint of every durable entry, unless one of that size was written already, and returns it:
    /// what an auditor asks for to hold the log to its current state.
    ///
    /// - Returns: The size and note, or `nil` for an empty log.
    /// - Throws: ``AuditError`` `checkpointFailed` when it cannot be signed or written.
    public func latestCheckpoint() throws -> (size: Int, note: String)? {
        let size = self.size
        guard size > 0 else { return nil }
        try self.writeCheckpointIfNewer(size: size)
        return try self.signedCheckpoint(size: size).map { (size, $0) }
    }

    /// The signed checkpoint note of exactly `size` entries, if one was written.
    public func signedCheckpoint(size: Int) throws -> String? {
        let path = self.files.checkpointPath(size: size)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return String(decoding: try AuditFiles.read(path), as: UTF8.self)
    }

    // MARK: Writing

    private func requireOpen() throws {
        if let failure = self.failure { throw failure }
        if self.isClosed { throw AuditError(code: .closed, message: "the audit log is closed") }
    }

    /// Writes and syncs what is pending (all of it in group mode, the oldest entry otherwise), with the lock
    /// released during the I/O in group mode so that others can queue for the next sync. Called locked.
    private func flushPending() {
        let batch: [(sequence: Int, line: [UInt8])]
        switch self.options.commitMode {
        case .group:
            batch = self.pending
            self.pending.removeAll(keepingCapacity: true)
        case .perEntry:
            batch = [self.pending.removeFirst()]
        }
        self.isFlushing = true
        let result: Result<Void, AuditError>
        if self.options.commitMode == .group {
            self.condition.unlock()
            result = Result { try self.write(batch) }.mapError(Self.asAuditError)
            self.condition.lock()
        } else {
            result = Result { try self.write(batch) }.mapError(Self.asAuditError)
        }
        self.isFlushing = false
        switch result {
        case .success:
            self.durableSize = batch[batch.count - 1].sequence + 1
        case .failure(let error):
            self.failure = AuditError(
                code: .writeFailed,
                message: "the audit log could not be written (\(error.message)); nothing is answered until the "
                    + "log is opened again",
                sequence: batch.first?.sequence
            )
        }
        self.condition.broadcast()
    }

    /// Appends the lines to their segments and syncs; only the flushing caller runs this.
    private func write(_ batch: [(sequence: Int, line: [UInt8])]) throws {
        var chunk: [UInt8] = []
        for (sequence, line) in batch {
            if sequence % self.options.segmentCapacity == 0 && sequence != self.segmentFirstSequence
                || self.segment == nil
            {
                if !chunk.isEmpty, let segment = self.segment {
                    try segment.append(chunk)
                    try segment.sync()
                    chunk.removeAll(keepingCapacity: true)
                }
                try self.openSegment(for: sequence)
            }
            chunk += line
        }
        if let segment = self.segment, !chunk.isEmpty {
            try segment.append(chunk)
            try segment.sync()
        }
    }

    /// Opens the segment `sequence` belongs in, syncing the folder when the file is new.
    private func openSegment(for sequence: Int) throws {
        let first = sequence - sequence % self.options.segmentCapacity
        let path = self.files.segmentPath(firstSequence: first)
        let isNew = !FileManager.default.fileExists(atPath: path)
        self.segment = try AppendFile(path: path)
        self.segmentFirstSequence = first
        if isNew {
            try AuditFiles.syncDirectory(self.files.directory)
        }
    }

    // MARK: Checkpoints

    private func writeCheckpointIfNewer(size: Int) throws {
        self.checkpointLock.lock()
        defer { self.checkpointLock.unlock() }
        guard size > self.checkpointedSize else { return }
        let root: [UInt8]
        do {
            self.condition.lock()
            defer { self.condition.unlock() }
            root = try self.tree.rootHash(size: size)
        }
        do {
            let checkpoint = try Checkpoint(
                origin: self.options.origin, size: UInt64(size), rootHash: root, time: self.options.now()
            )
            let note = try SignedCheckpoint.sign(checkpoint: checkpoint, name: self.options.origin, key: self.signingKey)
            let bytes = Array(note.utf8)
            try AuditFiles.writeAtomically(
                bytes, to: self.files.checkpointPath(size: size), directory: self.files.checkpointsDirectory)
            try AuditFiles.writeAtomically(bytes, to: self.files.latestCheckpoint, directory: self.files.directory)
        } catch {
            throw AuditError(
                code: .checkpointFailed,
                message: "the checkpoint of size \(size) could not be signed or written: \(error)"
            )
        }
        self.checkpointedSize = size
    }

    private static func outOfRange(_ size: Int, _ available: Int) -> AuditError {
        AuditError(code: .outOfRange, message: "the log has \(available) entries; size \(size) is beyond it")
    }

    private static func asAuditError(_ error: any Error) -> AuditError {
        error as? AuditError ?? AuditError(code: .writeFailed, message: "\(error)")
    }
}

/// RFC 3339 time stamps in UTC with milliseconds.
enum AuditTime {
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
}
