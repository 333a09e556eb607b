public import CleanRoomAudit
public import CleanRoomCore
public import CleanRoomCrypto
public import CleanRoomStore
public import Foundation

/// The ingestion gateway of DESIGN.md section 2: parse → validate against the policy → normalize → match hash
/// → pseudonym → resolve the person → seal identifiers with the person's data key → write, one transaction per
/// batch.
///
/// - Identity: the identifiers of one customer row join one subject; a later row with any known identifier
///   updates that subject; a row whose identifiers belong to two different subjects is rejected
///   (`conflicting_link`), never merged.
/// - Event identity: the subject, and SHA-256 of the canonical JSON of the event's type, time (milliseconds),
///   amount, currency and sorted items. The same event of the same person is stored once (`duplicates`).
/// - Batches: each batch commits in one transaction with its `ingest_batches` row; its id is SHA-256 of its
///   rows' bytes (or of the caller's idempotency key and the batch number), so a replayed batch, or a rerun
///   after a crash, skips what was committed and reports it as already ingested.
/// - Erased people: a row naming an identifier on the suppression list is dropped and counted `suppressed`.
/// - Consent: choices go to the ledger with their time and source; a customer row never upgrades a consent
///   the person withdrew or objected to (reported as `consent_not_upgraded`); an explicit consent row may.
/// - Each committed batch writes one audit entry of counts only, after its commit and before the next batch.
public final class Ingestor: Sendable {
    /// How an input is read.
    public struct Options: Sendable {
        /// JSON Lines or CSV; from the file name when `nil`.
        public var format: Format?
        /// For CSV: what every row is; from the header when `nil`.
        public var kind: Kind?
        /// The source recorded for rows that name none.
        public var source: String?
        /// Rows per transaction.
        public var batchSize: Int
        /// A caller's key that names the input; replaces the content digest in batch ids.
        public var idempotencyKey: String?
        /// Where rejected rows are written; `<input>.rejects.jsonl` when `nil`.
        public var rejectsPath: String?

        /// Options with defaults.
        public init(
            format: Format? = nil, kind: Kind? = nil, source: String? = nil, batchSize: Int = 5_000,
            idempotencyKey: String? = nil, rejectsPath: String? = nil
        ) {
            self.format = format
            self.kind = kind
            self.source = source
            self.batchSize = max(1, batchSize)
            self.idempotencyKey = idempotencyKey
            self.rejectsPath = rejectsPath
        }
    }

    /// Input formats.
    public enum Format: String, Sendable, CaseIterable {
        /// JSON Lines: one record object per line.
        case jsonl
        /// CSV with a header row.
        case csv
    }

    /// What the rows of a CSV file are.
    public typealias Kind = IngestKind

    private let store: Store
    private let keyring: Keyring
    private let policy: Policy
    private let index: IdentityIndex
    private let audit: AuditLog?
    private let parser: RecordParser
    private let normalizer: IdentifierNormalizer
    private let matchKey: HMACSHA256.Authenticator
    private let variantLayouts = VariantLayout.OfEachKind()
    private let now: @Sendable () -> Date

    /// A gateway writing to `store`, resolving people with `index`, and recording each batch in `audit`.
    public init(
        store: Store, keyring: Keyring, policy: Policy, index: IdentityIndex, audit: AuditLog?,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.store = store
        self.keyring = keyring
        self.policy = policy
        self.index = index
        self.audit = audit
        self.parser = RecordParser(policy: policy, now: now)
        self.normalizer = try IdentifierNormalizer(defaultRegion: policy.identifiers.defaultRegion)
        self.matchKey = HMACSHA256.Authenticator(key: keyring.matchKey)
        self.now = now
        // The gateway hands the store's suppression list to the index it checks rows against (the index loads
        // identities only); later erasures through the same index reach this gateway at once.
        var suppressed: [Pseudonym] = []
        try store.read { transaction in
            try transaction.suppression.forEach { suppressed.append($0) }
        }
        index.suppress(suppressed)
    }

    /// Ingests the file at `path`; `progress` is called after each batch with the rows read so far and the
    /// file's line count.
    ///
    /// - Throws: ``IngestError`` before anything is written when the file cannot be read, is not UTF-8, or is a
    ///   CSV whose header the policy does not know; store, crypto or audit errors otherwise (the batch under way
    ///   is rolled back; batches before it stay committed and are skipped by a rerun).
    public func ingest(path: String, options: Options = Options(), progress: ((Int, Int) -> Void)? = nil) throws
        -> IngestSummary
    {
        let format = try options.format ?? Self.format(of: path)
        // Whether the file can be read and is UTF-8 is checked beside the reading and preparing of its first
        // batches; nothing is written, not even the rejects file, before the check passes. Its error comes first.
        let check = BackgroundWork(name: "cleanroom.ingest.check") { try IngestInput.check(path: path) }
        var kind = options.kind
        if format == .csv {
            do {
                kind = try self.csvKind(path: path, given: options.kind)
            } catch {
                _ = try check.value()
                throw error
            }
        }
        var checked: (lineCount: Int, rejects: RejectsFile)?
        let passCheck = { [self] () throws -> (lineCount: Int, rejects: RejectsFile) in
            if let checked { return checked }
            let lineCount = try check.value()
            try self.index.waitUntilLoaded()
            let passed = (lineCount, try RejectsFile(path: options.rejectsPath ?? path + ".rejects.jsonl"))
            checked = passed
            return passed
        }
        var summary = IngestSummary()
        var batchNumber = 0
        var rowsRead = 0
        // A pipeline: the file is read ahead on a thread of its own; while one batch commits on this thread, the
        // next ones are parsed and pseudonymized on the other cores (that work needs no database).
        let reader = BatchReader(path: path, format: format, batchSize: options.batchSize)
        defer { reader.cancel() }
        var inFlight: [PreparingBatch] = []
        let commitOldest = { [self] in
            let pending = inFlight.removeFirst()
            let (lineCount, rejects) = try passCheck()
            let result = try self.commit(pending, options: options)
            summary.add(result.summary)
            try rejects.write(result.rejectLines)
            rowsRead += pending.rows.count
            progress?(rowsRead, lineCount)
            // Free the batch's rows on another thread: tens of thousands of small objects.
            DispatchQueue.global().async { withExtendedLifetime(pending) {} }
        }
        do {
            while let rows = try reader.next() {
                inFlight.append(PreparingBatch(
                    rows: rows, number: batchNumber, kind: kind, idempotencyKey: options.idempotencyKey, ingestor: self))
                batchNumber += 1
                if inFlight.count > Self.batchesPreparedAhead {
                    try commitOldest()
                }
            }
            while !inFlight.isEmpty {
                try commitOldest()
            }
        } catch {
            for batch in inFlight {
                batch.waitUntilPrepared()
            }
            _ = try check.value()
            throw error
        }
        try passCheck().rejects.close()
        return summary
    }

    /// How many batches may be prepared while one commits: enough to keep the cores busy while the first commit
    /// waits for the input check and the identity index, and while a commit waits for its sync; few enough to bound
    /// memory. With 3 the preparing threads stopped while commits synced and a core stood idle: 1,000,000 customers
    /// took 19.3-20.3 s against 18.6-18.8 s with 6; 8 was no faster and 12 slower (more memory, more CPU).
    static let batchesPreparedAhead = 6

    // MARK: A batch

    private func commit(_ batch: PreparingBatch, options: Options) throws -> IngestorBatchResult {
        let rows = batch.rows
        let startedAt = self.now()
        let (digest, preparedRows) = batch.takePrepared()
        var prepared = preparedRows
        let batchID = Hex.encode(digest)
        var additions: [(IdentityIndex.Key, SubjectID)] = []
        var applied: [PreparedRow] = []
        applied.reserveCapacity(prepared.count)
        // Rows not applied (a batch committed before, a failure) are freed off this thread too.
        defer { batch.giveBack(applied: applied, unapplied: prepared) }
        let result: IngestorBatchResult = try self.store.write { transaction in
            if let committed = try transaction.batches.find(id: batchID) {
                // Committed before (a replay, or a rerun after a crash): list its rejects again, change nothing.
                var skipped = IngestorBatchResult()
                skipped.summary.batchesAlreadyIngested = 1
                skipped.rejectLines = committed.rejects
                skipped.committedCounts = committed.counts
                return skipped
            }
            var work = try BatchWork(
                ingestor: self, transaction: transaction, source: options.source, rowCount: prepared.count)
            // Each row is moved out of the batch, applied, and moved on to be freed on another thread: reading it
            // in place (`for row in prepared`) copied it, retaining every string and array it holds. Reversed on
            // the buffer, whose swaps move; the array's own swaps copy.
            prepared.withUnsafeMutableBufferPointer { $0.reverse() }
            while let row = prepared.popLast() {
                try work.apply(row)
                applied.append(row)
            }
            try work.finish()
            work.result.summary.batchesCommitted = 1
            // Encoded once, for the batch's row and for the rejects file.
            work.result.rejectLines = try IngestReject.jsonLines(work.result.rejects)
            let summary = work.result.summary
            try transaction.batches.record(StoredIngestBatch(
                id: batchID, digest: digest, source: options.source, startedAt: startedAt, committedAt: self.now(),
                counts: StoredIngestBatch.Counts(
                    accepted: summary.accepted, rejected: summary.rejected, suppressed: summary.suppressed,
                    duplicates: summary.duplicates, subjectsCreated: summary.subjectsCreated,
                    subjectsUpdated: summary.subjectsUpdated),
                rejects: work.result.rejectLines
            ))
            additions = work.additions
            return work.result
        }
        // The batch's identifiers join the index on the sealing queue while its audit entry is written and synced;
        // both are done before the batch counts as ingested.
        let (index, added) = (self.index, additions)
        self.sealingQueue.async { index.insert(added) }
        defer { self.sealingQueue.sync {} }
        try self.audit?.append(self.auditRecord(result, batchID: batchID, rows: rows.count))
        return result
    }

    /// Parses, validates and pseudonymizes the rows on every core: none of it needs the database.
    func prepare(_ rows: [IngestInput.Row], kind: Kind?) -> [PreparedRow] {
        let chunks = min(rows.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        // Each worker initializes its own slots of the array's storage: no row is copied or released on the way.
        return Array(unsafeUninitializedCapacity: rows.count) { storage, count in
            let output = SendableBuffer(storage)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let lower = rows.count * chunk / chunks
                let upper = rows.count * (chunk + 1) / chunks
                var chunkState = ChunkState(matchKey: self.matchKey.session())
                for index in lower..<upper {
                    (output.buffer.baseAddress! + index).initialize(to: self.prepare(rows[index], kind: kind, chunk: &chunkState))
                }
            }
            count = rows.count
        }
    }

    /// What the preparing of one chunk of rows keeps from row to row, on its one thread.
    struct ChunkState {
        /// The match key's HMAC context for this thread: one copy of it per chunk rather than per pseudonym.
        let matchKey: HMACSHA256.Session
        /// The identifiers of the chunk's last event and what they resolved to: an export lists a person's events
        /// one after another, so most events reuse it instead of hashing the same identifier again. An identifier's
        /// pseudonyms never change; whether it is suppressed is then read at the person's first event of the chunk
        /// instead of at each, which is no more a race with an erasure than preparing rows in parallel already is.
        var lastEvent: (identifiers: RawIdentifiers, resolved: ResolvedIdentifiers)?
    }

    private func prepare(_ row: IngestInput.Row, kind: Kind?, chunk: inout ChunkState) -> PreparedRow {
        let outcome = self.parse(row, kind: kind).flatMap { record -> Result<PreparedRecord, IngestReject> in
            do {
                switch record {
                case .customer(let customer):
                    let region = self.regionAttribute.flatMap { customer.attributes[$0] }
                    let resolved = try self.resolve(
                        customer.identifiers, region: region, line: row.line, allVariants: true, matchKey: chunk.matchKey)
                    let time = customer.consentAt ?? self.now()
                    return .success(.customer(PreparedCustomer(customer, time: time), resolved))
                case .event(let event):
                    let resolved: ResolvedIdentifiers
                    if let last = chunk.lastEvent, last.identifiers == event.identifiers {
                        resolved = last.resolved
                    } else {
                        resolved = try self.resolve(
                            event.identifiers, region: nil, line: row.line, allVariants: false, matchKey: chunk.matchKey)
                        chunk.lastEvent = (event.identifiers, resolved)
                    }
                    return .success(.event(event, resolved, key: BatchWork.eventKey(event)))
                case .consent(let consent):
                    let resolved = try self.resolve(
                        consent.identifiers, region: nil, line: row.line, allVariants: false, matchKey: chunk.matchKey)
                    return .success(.consent(consent, resolved))
                case .tcfConsent(let consent):
                    let resolved = try self.resolve(
                        consent.identifiers, region: nil, line: row.line, allVariants: false, matchKey: chunk.matchKey)
                    return .success(.tcfConsent(consent, resolved))
                }
            } catch let reject as IngestReject {
                return .failure(reject)
            } catch {
                return .failure(RecordParser.reject(row.line, "record", "invalid", "\(error)"))
            }
        }
        return PreparedRow(line: row.line, outcome: outcome)
    }

    private func parse(_ row: IngestInput.Row, kind: Kind?) -> Result<IngestRecord, IngestReject> {
        switch row {
        case .json(let line, let bytes):
            if let event = self.parser.usualEvent(bytes) { return .success(.event(event)) }
            if let customer = self.parser.usualCustomer(bytes, line: line) { return .success(.customer(customer)) }
            guard let value = try? CanonicalJSON.parse(bytes), case .object(let object) = value
            else {
                return .failure(RecordParser.reject(line, "record", "malformed_json", "the line is not a JSON object"))
            }
            return self.parser.parse(json: object, line: line)
        case .csv(let line, let fields):
            return self.parser.parse(csv: fields, kind: kind ?? .customers, line: line)
        }
    }

    /// The batch's audit entry: counts only. A batch found already committed is recorded with the counts of its
    /// commit, so that a crash between a commit and its entry loses no count: the rerun's entry carries them.
    private func auditRecord(_ result: IngestorBatchResult, batchID: String, rows: Int) -> AuditRecord {
        let counts = result.committedCounts ?? StoredIngestBatch.Counts(
            accepted: result.summary.accepted, rejected: result.summary.rejected,
            suppressed: result.summary.suppressed, duplicates: result.summary.duplicates,
            subjectsCreated: result.summary.subjectsCreated, subjectsUpdated: result.summary.subjectsUpdated)
        let alreadyIngested = result.committedCounts != nil
        return AuditRecord(
            principal: "cli", role: "owner", action: .ingestBatch,
            request: .object([
                "batch_digest": .string(batchID), "rows": .integer(rows),
                "accepted": .integer(counts.accepted), "rejected": .integer(counts.rejected),
                "suppressed": .integer(counts.suppressed), "duplicates": .integer(counts.duplicates),
                "subjects_created": .integer(counts.subjectsCreated),
                "subjects_updated": .integer(counts.subjectsUpdated),
                "already_ingested": .bool(alreadyIngested),
            ]),
            decision: alreadyIngested ? .allowed("ingest.already_ingested") : .allowed("ingest.batch_committed"),
            policyDigest: self.policy.digest
        )
    }

    // MARK: Helpers

    private static func format(of path: String) throws -> Format {
        if path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") || path.hasSuffix(".json") { return .jsonl }
        if path.hasSuffix(".csv") { return .csv }
        throw IngestError(
            code: .invalidOptions, message: "cannot tell the format of \(path) from its name; give --input-format")
    }

    /// The kind of a CSV file, checked against its header before anything is written.
    private func csvKind(path: String, given: Kind?) throws -> Kind {
        let header = try IngestInput.csvHeader(path: path)
        guard !header.isEmpty else {
            throw IngestError(code: .malformedInput, message: "\(path) has no header row")
        }
        let kind = given ?? (header.contains("event") ? .events : header.contains("purpose") ? .consents : .customers)
        let known = self.parser.knownColumns(for: kind)
        if let unknown = header.first(where: { !known.contains($0) }) {
            throw IngestError(
                code: .malformedInput,
                message: "\(path): the column \"\(RecordParser.printable(unknown))\" is not part of a \(kind.rawValue) "
                    + "file under the policy; "
                    + "nothing was ingested"
            )
        }
        return kind
    }

    /// The batch id's digest: of the rows' bytes, or of the caller's idempotency key and the batch number.
    static func digest(of rows: [IngestInput.Row], number: Int, idempotencyKey: String?) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update("cleanroom-ingest-batch-v1\n")
        if let idempotencyKey {
            hasher.update("key\n" + idempotencyKey + "\n" + String(number))
            return hasher.finalize()
        }
        for row in rows {
            switch row {
            case .json(_, let bytes):
                hasher.update(bytes)
            case .csv(_, let fields):
                for name in fields.keys.sorted() {
                    hasher.update(name + "\u{1F}" + fields[name, default: ""] + "\u{1F}")
                }
            }
            hasher.update([0x1E])
        }
        return hasher.finalize()
    }

    // MARK: Used by BatchWork

    /// The order in which a row's identifiers are resolved and written.
    private static let resolutionOrder: [IdentifierKind] = [.customerID, .email, .phone, .deviceID]

    func resolve(
        _ identifiers: RawIdentifiers, region: String?, line: Int, allVariants: Bool, matchKey: HMACSHA256.Session
    ) throws
        -> ResolvedIdentifiers
    {
        var resolved = ResolvedIdentifiers()
        resolved.identifiers.reserveCapacity(identifiers.count)
        for kind in Self.resolutionOrder {
            guard let raw = identifiers[kind] else { continue }
            let key: IdentityIndex.Key
            var variants: StoredIdentifier.EncodedVariants?
            do {
                if allVariants {
                    // Encoded here, in parallel, rather than when the row is written.
                    (variants, key) = try self.variantLayouts[kind].encode(
                        raw, region: region, normalizer: self.normalizer, matchKey: matchKey)
                } else {
                    let value = try self.normalizer.canonicalValue(kind: kind, raw: raw, region: region)
                    key = withUnsafeTemporaryAllocation(byteCount: Pseudonym.byteCount, alignment: 8) { pseudonym in
                        MatchHash.writePseudonym(ofNormalized: value, using: matchKey, into: pseudonym)
                        return IdentityIndex.Key(bytes: UnsafeRawBufferPointer(pseudonym), kind: kind)
                    }
                }
            } catch {
                throw RecordParser.reject(line, kind.rawValue, "\(error.code)", error.message)
            }
            resolved.identifiers.append(
                ResolvedIdentifiers.Identifier(kind: kind, raw: raw, key: key, variants: variants))
        }
        resolved.lookup = self.index.lookUp(resolved.identifiers)
        return resolved
    }

    /// The subject each identifier of a row belongs to now, from what the index said when the row was prepared
    /// (``ResolvedIdentifiers/lookup``) where that still holds at `version`, else from the index again.
    func indexedSubjects(_ resolved: ResolvedIdentifiers, at version: IdentityIndex.Version) -> [SubjectID?] {
        let lookup = resolved.lookup
        // Nothing added or removed since (an events ingest adds nobody): the lookup holds as it is.
        if lookup.version == version { return lookup.subjects }
        let keys = resolved.identifiers.map { $0.key }
        if lookup.version.removals == version.removals {
            // What it found still holds; what it did not find holds unless added since.
            let missed = zip(keys, lookup.subjects).compactMap { key, subject in subject == nil ? key : nil }
            if missed.isEmpty || lookup.version.additions == version.additions
                || !self.index.mayHaveAdded(missed, since: lookup.version)
            {
                return lookup.subjects
            }
        }
        return self.index.subjects(for: keys)
    }

    /// Whether a row names an erased person: as the index said when the row was prepared or, when anyone was erased
    /// since, as it says now. A row prepared before an erasure and applied after it must not bring the person back.
    func isSuppressed(_ resolved: ResolvedIdentifiers) -> Bool {
        if resolved.lookup.isSuppressed { return true }
        guard self.index.removals != resolved.lookup.version.removals else { return false }
        return self.index.lookUp(resolved.identifiers).isSuppressed
    }

    var indexVersion: IdentityIndex.Version { self.index.version }

    var keyringForWork: Keyring { self.keyring }

    /// Where batches seal their new identifiers (``BatchSealing``) and then add them to the identity index: a
    /// serial queue, which does each batch's work in order while the committing thread writes or audits.
    let sealingQueue = DispatchQueue(label: "cleanroom.ingest.sealing")

    var clock: @Sendable () -> Date { self.now }
    var regionAttribute: String? { self.policy.identifiers.regionAttribute }
}

/// A batch being digested, parsed and pseudonymized in the background while the one before it commits.
final class PreparingBatch: @unchecked Sendable {
    let rows: [IngestInput.Row]
    let number: Int
    private let done = DispatchGroup()
    // Written by the background work before `done` is left; read, then taken and given back, only after waiting on
    // `done`, by the committing thread.
    private var digest: [UInt8] = []
    private var result: [PreparedRow] = []
    private var unapplied: [PreparedRow] = []
    private var isTaken = false

    init(rows: [IngestInput.Row], number: Int, kind: Ingestor.Kind?, idempotencyKey: String?, ingestor: Ingestor) {
        self.rows = rows
        self.number = number
        self.done.enter()
        DispatchQueue.global().async {
            self.digest = Ingestor.digest(of: rows, number: number, idempotencyKey: idempotencyKey)
            self.result = ingestor.prepare(rows, kind: kind)
            self.done.leave()
        }
    }

    /// Waits until the batch is digested and prepared.
    func waitUntilPrepared() {
        self.done.wait()
    }

    /// The batch's digest (``Ingestor/digest(of:number:idempotencyKey:)``) and its prepared rows, once ready; the
    /// batch keeps no reference to the rows, so the caller can move them out of their array without copying it.
    /// Taken once: a second taking would find no rows, and commit the batch as empty.
    func takePrepared() -> (digest: [UInt8], rows: [PreparedRow]) {
        self.done.wait()
        precondition(!self.isTaken, "a batch's prepared rows are taken once")
        self.isTaken = true
        defer { self.result = [] }
        return (self.digest, self.result)
    }

    /// Takes the rows back, those applied and those not, so that they are freed with the batch, off the committing
    /// thread.
    func giveBack(applied: [PreparedRow], unapplied: [PreparedRow]) {
        self.result = applied
        self.unapplied = unapplied
    }
}

/// A buffer each parallel worker writes distinct slots of.
private struct SendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}

/// A record's identifiers, normalized and pseudonymized.
struct ResolvedIdentifiers {
    /// One identifier given: its kind, raw value, the index key of its canonical pseudonym (computed here, in
    /// parallel, not on the committing thread), and for a customer row the pseudonyms of every variant.
    struct Identifier {
        let kind: IdentifierKind
        let raw: String
        let key: IdentityIndex.Key
        let variants: StoredIdentifier.EncodedVariants?
    }

    /// Each identifier given, in the order of ``RawIdentifiers``.
    var identifiers: [Identifier] = []
    /// What the identity index said of them when the row was prepared: their subjects and whether any is
    /// suppressed.
    var lookup = IdentityIndex.Lookup(subjects: [], isSuppressed: false, version: IdentityIndex.Version())
}
