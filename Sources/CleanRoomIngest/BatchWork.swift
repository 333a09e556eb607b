import CleanRoomCore
import CleanRoomCrypto
import CleanRoomStore
import Foundation

/// The work of one batch inside its transaction: resolution against the index and what this batch added,
/// data keys, and the rows written.
struct BatchWork {
    let ingestor: Ingestor
    let source: String?
    /// The batch's new people: their rows are written many per statement, before any row that refers to them.
    private var newSubjects: SubjectCreation
    // The transaction's repositories, made once: each is a few references, retained anew by every `transaction.x`.
    private let identifiers: IdentifierRepository
    private let dataKeyRows: DataKeyRepository
    private let attributes: AttributeRepository
    private let consentLedger: ConsentRepository
    private let events: EventRepository
    var result = IngestorBatchResult()
    /// Identifiers this batch added, joined to the index once the batch commits.
    var additions: [(IdentityIndex.Key, SubjectID)] = []
    private var added = IdentityTable()
    private var dataKeys: [SubjectID: DataKey] = [:]
    private var createdSubjects: Set<SubjectID> = []
    /// New people's attributes and consent entries not yet written: they are written many per statement
    /// (``writeHeldRows()``), before the store is read for what they change and once every row is applied.
    private var heldRows = (attributes: [(subject: SubjectID, attributes: AttributeRow)](), consent: [StoredConsent]())
    /// Wraps the data keys of the batch's new people and seals their identifiers beside the writing of the rest.
    private let sealing: BatchSealing
    /// The identity index's version as the batch began: rows prepared at this version need no second lookup.
    private let indexVersion: IdentityIndex.Version

    /// Work on a batch of `rowCount` rows.
    init(ingestor: Ingestor, transaction: StoreTransaction, source: String?, rowCount: Int) throws {
        self.ingestor = ingestor
        self.newSubjects = try transaction.subjects.creation()
        self.identifiers = transaction.identifiers
        self.dataKeyRows = transaction.dataKeys
        self.attributes = transaction.attributes
        self.consentLedger = transaction.consent
        self.events = transaction.events
        self.sealing = BatchSealing(keyring: ingestor.keyringForWork, queue: ingestor.sealingQueue)
        self.source = source
        // Room for a new person per row, so that the sets do not grow (rehashing every key) row after row.
        self.dataKeys.reserveCapacity(rowCount)
        self.createdSubjects.reserveCapacity(rowCount)
        self.indexVersion = ingestor.indexVersion
    }

    /// Applies a parsed and pseudonymized row, or counts its reject.
    mutating func apply(_ row: PreparedRow) throws {
        // Matched where it lies, in one pattern, rather than taken out with `get()` and matched again: each binding
        // retains what it binds.
        do {
            switch row.outcome {
            case .success(.customer(let customer, let resolved)): try self.customer(customer, resolved, line: row.line)
            case .success(.event(let event, let resolved, let key)):
                try self.event(event, resolved, key: key, line: row.line)
            case .success(.consent(let consent, let resolved)): try self.consent(consent, resolved, line: row.line)
            case .success(.tcfConsent(let consent, let resolved)): try self.tcfConsent(consent, resolved, line: row.line)
            case .failure(let reject): self.reject(reject)
            }
        } catch let reject as IngestReject {
            self.reject(reject)
        }
    }

    /// Writes what the batch held back, once every row is applied: attributes and consent entries, then what the
    /// sealing made of the new people and identifiers (the wrapped data keys and the sealed identifiers), each in
    /// the order of the rows.
    mutating func finish() throws {
        try self.writeHeldRows()
        let chunks = try self.sealing.finish()
        // The keys go to the key vault on its own thread while the identifiers are written here.
        try self.dataKeyRows.insert(keysOfNewSubjects: chunks.flatMap(\.wrapped))
        for chunk in chunks {
            try self.identifiers.add(contentsOf: chunk.identifiers)
        }
    }

    private mutating func reject(_ reject: IngestReject) {
        self.result.rejects.append(reject)
        self.result.summary.rejected += 1
    }

    // MARK: Records

    private mutating func customer(_ record: PreparedCustomer, _ resolved: ResolvedIdentifiers, line: Int) throws {
        if self.ingestor.isSuppressed(resolved) {
            self.result.summary.suppressed += 1
            return
        }
        let known = self.known(resolved)
        let subject: SubjectID
        let isNew: Bool
        switch try Self.subject(of: known, line: line) {
        case .some(let known):
            subject = known
            isNew = false
        case .none:
            subject = self.newSubjects.create(at: record.time)
            let dataKey = try DataKey.generate()
            self.sealing.wrap(dataKey, of: subject)
            self.dataKeys[subject] = dataKey
            self.createdSubjects.insert(subject)
            isNew = true
        }
        // By index, reading the keys in place: binding each identifier would copy all of its strings and arrays.
        var newPositions: UInt8 = 0
        for position in resolved.identifiers.indices where known[position] == nil {
            let key = resolved.identifiers[position].key
            self.added[key] = subject
            self.additions.append((key, subject))
            newPositions |= 1 << position
        }
        if newPositions != 0 {
            self.sealing.seal(BatchSealing.NewIdentifiers(
                subject: subject, dataKey: try self.dataKey(of: subject), addedAt: record.time,
                identifiers: resolved.identifiers, newPositions: newPositions))
        }
        if isNew {
            self.heldRows.attributes.append((subject, record.attributes))
        } else {
            try self.writeHeldRows()
            try self.attributes.upsert(
                record.attributeValues.map {
                    StoredAttribute(subject: subject, name: $0.key, value: $0.value, updatedAt: record.time)
                },
                of: subject)
        }
        var history: [StoredConsent]?
        if let consentAt = record.consentAt, !record.consent.isEmpty {
            try self.customerConsent(
                record.consent, at: consentAt, field: "consent.", of: subject, isNew: isNew, history: &history,
                source: record.source ?? self.source, line: line)
        }
        if let tcf = record.tcf {
            try self.customerConsent(
                Self.sorted(tcf.choices), at: tcf.at, field: "tc_string.", of: subject, isNew: isNew, history: &history,
                source: record.source ?? self.source ?? "tcf", line: line)
        }
        self.result.summary.accepted += 1
        if isNew {
            self.result.summary.subjectsCreated += 1
        } else if !self.createdSubjects.contains(subject) {
            self.result.summary.subjectsUpdated += 1
        }
    }

    /// A consent choice of a row: the signal, and whether it is granted.
    typealias ConsentChoice = (signal: String, granted: Bool)

    /// `choices` in the order they are appended: by signal.
    static func sorted(_ choices: [String: Bool]) -> [ConsentChoice] {
        // Sorted in place: `sorted(by:)` made a second array.
        var sorted: [ConsentChoice] = choices.map { ($0.key, $0.value) }
        sorted.sort { $0.signal < $1.signal }
        return sorted
    }

    /// Appends bulk consent choices (a customer row's, a TC string's), except that they never upgrade a withdrawal
    /// or an objection (an explicit consent row may): such a choice is skipped and reported. Returns how many
    /// entries were appended and how many choices were refused.
    @discardableResult
    private mutating func customerConsent(
        _ choices: [ConsentChoice], at time: Date, field: String, of subject: SubjectID, isNew: Bool,
        history: inout [StoredConsent]?, source: String?, line: Int
    ) throws -> (appended: Int, refused: Int) {
        var held = try history ?? (isNew ? [] : self.consentHistory(of: subject))
        var (appended, refused) = (0, 0)
        defer { history = held }
        held.reserveCapacity(held.count + choices.count)
        let recordedAt = self.ingestor.clock()
        for (signal, granted) in choices {
            let current = held.filter { $0.purpose == signal }.max(by: StoredConsent.givenBefore)?.signal
            if granted, current == .withdrawn || current == .objection {
                refused += 1
                self.result.summary.consentUpgradesRefused += 1
                self.result.rejects.append(IngestReject(
                    line: line, field: field + signal, reason: "consent_not_upgraded",
                    message: "the person withdrew or objected; only a consent record with purpose and granted can "
                        + "grant it again (the rest of the row was ingested)"))
                continue
            }
            let entry = StoredConsent(
                subject: subject, purpose: signal, signal: granted ? .granted : .withdrawn, occurredAt: time,
                recordedAt: recordedAt, source: source)
            if try self.appendConsent(entry, history: held, countDuplicate: false) {
                held.append(entry)
                appended += 1
            }
        }
        return (appended, refused)
    }

    private mutating func event(_ record: EventRecord, _ resolved: ResolvedIdentifiers, key: [UInt8], line: Int) throws {
        guard let subject = try self.existingSubject(of: resolved, line: line) else { return }
        let inserted = try self.events.insertIfAbsent(StoredEvent(
            subject: subject, type: record.type, occurredAt: record.at, amount: record.amount,
            currency: record.currency, items: record.items, key: key))
        if inserted {
            self.result.summary.accepted += 1
        } else {
            self.result.summary.duplicates += 1
        }
    }

    private mutating func consent(_ record: ConsentRecord, _ resolved: ResolvedIdentifiers, line: Int) throws {
        guard let subject = try self.existingSubject(of: resolved, line: line) else { return }
        let history = try self.consentHistory(of: subject)
        try self.appendConsent(
            StoredConsent(subject: subject, purpose: record.purpose, signal: record.granted ? .granted : .withdrawn,
                          occurredAt: record.at, recordedAt: self.ingestor.clock(), source: record.source ?? self.source),
            history: history, countDuplicate: true)
    }

    /// The choices of a TC string, each appended to the ledger unless already held. Like a customer row's, they
    /// never lift a withdrawal or objection: a consent tool re-saving a stale string must not undo a request the
    /// person made through the owner (only an explicit consent row may). The row counts once: accepted when it added
    /// anything, a duplicate when it held nothing new.
    private mutating func tcfConsent(_ record: TCFConsentRecord, _ resolved: ResolvedIdentifiers, line: Int) throws {
        guard let subject = try self.existingSubject(of: resolved, line: line) else { return }
        var history: [StoredConsent]?
        let (appended, refused) = try self.customerConsent(
            Self.sorted(record.tcf.choices), at: record.tcf.at, field: "tc_string.", of: subject, isNew: false,
            history: &history,
            source: record.source, line: line)
        if appended > 0 {
            self.result.summary.accepted += 1
        } else if refused == 0 {
            self.result.summary.duplicates += 1
        }
    }

    // MARK: Helpers

    /// The known person an event or consent row is about; `nil` (counted) when they were erased. Someone this
    /// batch created is written first, for the row to refer to.
    private mutating func existingSubject(of resolved: ResolvedIdentifiers, line: Int) throws -> SubjectID? {
        try self.newSubjects.writeHeld()
        if self.ingestor.isSuppressed(resolved) {
            self.result.summary.suppressed += 1
            return nil
        }
        guard let subject = try Self.subject(of: self.known(resolved), line: line) else {
            throw IngestReject(
                line: line, field: "record", reason: "unknown_person",
                message: "no customer has these identifiers; ingest the customer first")
        }
        return subject
    }

    /// The one subject the identifiers belong to, `nil` for nobody; a row linking two subjects is rejected.
    private static func subject(of known: [SubjectID?], line: Int) throws -> SubjectID? {
        // Without an array for the usual row, whose identifiers name one person or nobody.
        var found: SubjectID?
        for case let subject? in known {
            if let found, found != subject {
                throw IngestReject(
                    line: line, field: "record", reason: "conflicting_link",
                    message: "the identifiers of this row belong to \(Set(known.compactMap { $0 }).count) different "
                        + "people; they are not merged: correct the row or the earlier data")
            }
            found = subject
        }
        return found
    }

    /// The subject each identifier of the row already belongs to, from this batch or the index.
    private func known(_ resolved: ResolvedIdentifiers) -> [SubjectID?] {
        let indexed = self.ingestor.indexedSubjects(resolved, at: self.indexVersion)
        if self.added.isEmpty { return indexed }
        return indexed.indices.map { self.added[resolved.identifiers[$0].key] ?? indexed[$0] }
    }

    private mutating func dataKey(of subject: SubjectID) throws -> DataKey {
        if let key = self.dataKeys[subject] { return key }
        guard let stored = try self.dataKeyRows.key(for: subject) else {
            throw IngestError(
                code: .inconsistentStore,
                message: "the database holds a person without a data key, so it is damaged; restore it from a backup")
        }
        let key = try self.ingestor.keyringForWork.unwrap(
            WrappedDataKey(serialized: stored.wrapped), context: subject.dataKeyContext)
        self.dataKeys[subject] = key
        return key
    }

    /// Appends `entry` unless `history` holds the same choice at the same time; `countDuplicate` counts the row
    /// as accepted or duplicate. Returns whether it was appended.
    @discardableResult
    private mutating func appendConsent(_ entry: StoredConsent, history: [StoredConsent], countDuplicate: Bool) throws
        -> Bool
    {
        // Times compare at the store's millisecond precision: a time read back is not the same Double.
        let milliseconds = { (date: Date) in (date.timeIntervalSince1970 * 1000).rounded(.down) }
        let isDuplicate = history.contains {
            $0.purpose == entry.purpose && $0.signal == entry.signal
                && milliseconds($0.occurredAt) == milliseconds(entry.occurredAt)
        }
        if isDuplicate {
            if countDuplicate { self.result.summary.duplicates += 1 }
            return false
        }
        self.heldRows.consent.append(entry)
        if countDuplicate { self.result.summary.accepted += 1 }
        return true
    }

    /// The ledger entries of `subject`, the batch's own included.
    private mutating func consentHistory(of subject: SubjectID) throws -> [StoredConsent] {
        try self.writeHeldRows()
        return try self.consentLedger.history(of: subject)
    }

    /// Writes the new people, then the attributes and consent entries held back, each table's in the order of the
    /// rows.
    private mutating func writeHeldRows() throws {
        try self.newSubjects.writeHeld()
        if !self.heldRows.attributes.isEmpty {
            try self.attributes.insert(contentsOf: self.heldRows.attributes)
            self.heldRows.attributes.removeAll(keepingCapacity: true)
        }
        if !self.heldRows.consent.isEmpty {
            try self.consentLedger.append(contentsOf: self.heldRows.consent)
            self.heldRows.consent.removeAll(keepingCapacity: true)
        }
    }

    /// The identity of an event within its subject: SHA-256 of the canonical JSON of type, time (ms), amount,
    /// currency and sorted items.
    static func eventKey(_ event: EventRecord) -> [UInt8] {
        let milliseconds = Int((event.at.timeIntervalSince1970 * 1000).rounded())
        // The canonical text of {"amount", "at_ms", "currency", "items", "type"}, laid out in that (canonical) key
        // order by hand: building the object and sorting its keys for every event cost more than the hash.
        var identity: [UInt8] = []
        identity.reserveCapacity(160)
        identity += #"{"amount":"#.utf8
        (event.amount.map(CanonicalJSON.number) ?? .null).write(to: &identity)
        identity += #","at_ms":"#.utf8
        CanonicalJSON.integer(milliseconds).write(to: &identity)
        identity += #","currency":"#.utf8
        (event.currency.map(CanonicalJSON.string) ?? .null).write(to: &identity)
        identity += #","items":"#.utf8
        CanonicalJSON.array(event.items.sorted().map(CanonicalJSON.string)).write(to: &identity)
        identity += #","type":"#.utf8
        CanonicalJSON.string(event.type).write(to: &identity)
        identity.append(UInt8(ascii: "}"))
        return SHA256.hash(identity)
    }
}

/// A row parsed, validated and pseudonymized (the work that needs no database, done in parallel), or why not.
struct PreparedRow {
    let line: Int
    let outcome: Result<PreparedRecord, IngestReject>
}

/// What the parallel stage made of a valid row: the record as it is written, and its identifiers resolved.
enum PreparedRecord {
    /// A customer row.
    case customer(PreparedCustomer, ResolvedIdentifiers)
    /// An event row, with its identity within its subject (``BatchWork/eventKey(_:)``).
    case event(EventRecord, ResolvedIdentifiers, key: [UInt8])
    /// A consent row.
    case consent(ConsentRecord, ResolvedIdentifiers)
    /// A consent row carrying a TC string.
    case tcfConsent(TCFConsentRecord, ResolvedIdentifiers)
}

/// A customer row as the committing thread writes it: only what it reads, so that it retains no more of the
/// row than that (the raw identifiers are in the row's ``ResolvedIdentifiers``).
struct PreparedCustomer {
    /// The time its values count from: its consent time, else when it was read.
    let time: Date
    /// Its attributes encoded as the store keeps a new person's.
    let attributes: AttributeRow
    /// Its attributes by name, merged into what the store holds of a known person.
    let attributeValues: [String: String]
    /// Its consent choices in the order they are appended.
    let consent: [BatchWork.ConsentChoice]
    /// When the consent choices were made.
    let consentAt: Date?
    /// The choices of its TC string, if any.
    let tcf: TCFChoices?
    /// The system the row comes from.
    let source: String?

    /// Prepares `record`, whose values count from `time`.
    init(_ record: CustomerRecord, time: Date) {
        self.time = time
        self.attributes = AttributeRow(record.attributes, at: time)
        self.attributeValues = record.attributes
        self.consent = BatchWork.sorted(record.consent)
        self.consentAt = record.consentAt
        self.tcf = record.tcf
        self.source = record.source
    }
}

/// What one batch produced.
struct IngestorBatchResult {
    var summary = IngestSummary()
    /// The batch's rejected rows, as they are found.
    var rejects: [IngestReject] = []
    /// Its rejects as the rejects file and the batch's row hold them (``IngestReject/jsonLines(_:)``): of this
    /// commit, or of the commit before for a batch committed before.
    var rejectLines: [UInt8] = []
    /// For a batch committed before: the counts of that commit.
    var committedCounts: StoredIngestBatch.Counts?
}

/// The rejects file: one JSON object per rejected row (line, field, reason, message), never a value.
final class RejectsFile {
    private let handle: FileHandle

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw IngestError(
                code: .unwritableOutput, message: "cannot write the rejects file \(path); check that its folder is writable")
        }
        self.handle = handle
    }

    /// Appends rejects encoded as JSON Lines (``IngestReject/jsonLines(_:)``).
    func write(_ lines: [UInt8]) throws {
        guard !lines.isEmpty else { return }
        try self.handle.write(contentsOf: Data(lines))
    }

    func close() throws {
        try self.handle.synchronize()
        try self.handle.close()
    }
}

extension IngestReject {
    /// Rejects as JSON Lines, keys sorted: the rejects file's format, and what a batch keeps in the store.
    static func jsonLines(_ rejects: [IngestReject]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes: [UInt8] = []
        for reject in rejects {
            bytes += try encoder.encode(reject)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}
