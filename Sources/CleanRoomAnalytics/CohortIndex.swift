internal import CleanRoomCore
internal import CleanRoomRights
internal import CleanRoomStore
internal import Foundation

/// Everyone the store holds, in columns, as the queries read them (DESIGN.md section 9): built from the store at
/// start and kept current person by person as the store changes (``CohortEngine``).
///
/// - Each person has a dense **row**; a row is never reused. ``present`` holds the rows of people still held.
/// - Each declared **attribute** is a column of codes (0: none) with the time each value was set, so a query can
///   leave out values past their category's retention.
/// - **Events** sit in one arena in columns (type, time, amount, items), each person's contiguous and by time. A
///   person whose events change gets a new stretch at the end; the old one is garbage until the next compaction.
/// - **Purpose binding**: per purpose, the set of people with a valid basis, decided by ``PurposeBinding`` from
///   each person's consent ledger. Signals dated after the evaluation are remembered, and those people are
///   decided again once that time has come.
public struct CohortIndex: Sendable {
    let policy: Policy
    let binding: PurposeBinding
    /// The purposes, in the order of ``allowed``.
    let purposes: [String]
    /// The column of each declared attribute, and the code of each declared event type (policy order).
    let attributeColumns: [String: Int]
    let eventTypeCodes: [String: UInt8]

    var subjectIDs: [Int64] = []
    var rowOfSubject: [Int64: Int32] = [:]
    /// The rows of people still held.
    public internal(set) var present = SubjectSet(capacity: 0)
    var createdAt: [Int64] = []

    /// Per declared attribute (policy order): each row's value code, and when it was set (ms).
    var attributeCodes: [[UInt32]]
    var attributeSetAt: [[Int64]]
    var attributeValues: [ValueDictionary]

    /// Each row's stretch of the event arena.
    var eventStart: [UInt32] = []
    var eventCount: [UInt32] = []
    /// The event arena: type (policy order), time (ms), amount (NaN: none), and a stretch of ``items``.
    var eventType: [UInt8] = []
    var eventTime: [Int64] = []
    var eventAmount: [Double] = []
    var eventItemStart: [UInt32] = []
    var eventItemCount: [UInt16] = []
    var items: [UInt32] = []
    var itemValues = ValueDictionary()
    /// Arena entries no row points to any more.
    private var garbageEvents = 0

    /// Per purpose (``purposes`` order), the people it may use, as of ``consentEvaluatedAt``.
    var allowed: [SubjectSet]
    var consentEvaluatedAt: Int64 = 0
    /// People with consent signals dated after ``consentEvaluatedAt``, with the earliest such time.
    private var consentDueAt: [Int32: Int64] = [:]

    /// An empty index for `policy`.
    init(policy: Policy) {
        self.policy = policy
        self.binding = PurposeBinding(policy: policy)
        self.purposes = policy.purposes.map(\.name)
        self.attributeColumns = Dictionary(
            uniqueKeysWithValues: policy.schema.attributes.enumerated().map { ($1.name, $0) })
        self.eventTypeCodes = Dictionary(
            uniqueKeysWithValues: policy.schema.eventTypes.enumerated().map { ($1.name, UInt8($0)) })
        let attributes = policy.schema.attributes.count
        self.attributeCodes = Array(repeating: [], count: attributes)
        self.attributeSetAt = Array(repeating: [], count: attributes)
        self.attributeValues = Array(repeating: ValueDictionary(), count: attributes)
        self.allowed = Array(repeating: SubjectSet(capacity: 0), count: self.purposes.count)
        assert(policy.schema.eventTypes.count < Int(UInt8.max), "event types are coded in a byte")
    }

    /// The number of rows ever given (present or not).
    public var rowCount: Int { self.subjectIDs.count }

    /// The number of people held.
    public var peopleCount: Int { self.present.count }

    /// The number of events held in the arena for present people.
    public var eventTotal: Int { self.eventType.count - self.garbageEvents }

    /// The row of `subject`, if they were ever indexed.
    func row(of subject: SubjectID) -> Int? {
        self.rowOfSubject[subject.rawValue].map(Int.init)
    }

    /// The subject of `row`.
    func subject(ofRow row: Int) -> SubjectID {
        SubjectID(self.subjectIDs[row])
    }

    /// The index of `purpose` in ``purposes``.
    func purposeIndex(_ purpose: String) -> Int? {
        self.purposes.firstIndex(of: purpose)
    }

    /// The earliest time at which some person's purpose decision changes by a signal already held.
    var nextConsentChange: Int64? {
        self.consentDueAt.values.min()
    }

    /// The people whose decisions are due at or before `time`.
    func subjectsDue(at time: Int64) -> [SubjectID] {
        self.consentDueAt.filter { $0.value <= time }.map { self.subject(ofRow: Int($0.key)) }
    }

    // MARK: Changing one person

    /// Everything the store holds about one person.
    struct Person {
        var subject: SubjectID
        var createdAt: Date
        var attributes: [StoredAttribute]
        var events: [StoredEvent]
        var ledger: [StoredConsent]
    }

    /// Puts `person` in the index, replacing what it held about them, deciding their purposes as of `time`.
    mutating func put(_ person: Person, decidingAt time: Date) {
        let row = self.row(adding: person.subject, createdAt: person.createdAt.storedMilliseconds)
        for column in self.attributeCodes.indices { self.attributeCodes[column][row] = 0 }
        for attribute in person.attributes {
            self.setAttribute(attribute.name, attribute.value, at: attribute.updatedAt.storedMilliseconds, row: row)
        }
        self.garbageEvents += Int(self.eventCount[row])
        self.eventStart[row] = UInt32(self.eventType.count)
        var count: UInt32 = 0
        for event in person.events.sorted(by: { $0.occurredAt < $1.occurredAt }) {
            if self.appendEvent(event) { count += 1 }
        }
        self.eventCount[row] = count
        self.decide(row: row, ledger: person.ledger, at: time.storedMilliseconds)
        self.compactIfWorthIt()
    }

    /// Takes `subject` out of the index (erased, or swept by retention).
    mutating func remove(_ subject: SubjectID) {
        guard let row = self.row(of: subject) else { return }
        self.present.remove(row)
        for purpose in self.allowed.indices { self.allowed[purpose].remove(row) }
        for column in self.attributeCodes.indices { self.attributeCodes[column][row] = 0 }
        self.garbageEvents += Int(self.eventCount[row])
        self.eventCount[row] = 0
        self.consentDueAt[Int32(row)] = nil
    }

    // MARK: Building blocks (also used by the bulk load)

    /// The row of `subject`, appended (present, without data) when new.
    mutating func row(adding subject: SubjectID, createdAt: Int64) -> Int {
        if let row = self.row(of: subject) {
            self.present.insert(row)
            return row
        }
        let row = self.subjectIDs.count
        self.subjectIDs.append(subject.rawValue)
        self.rowOfSubject[subject.rawValue] = Int32(row)
        self.createdAt.append(createdAt)
        for column in self.attributeCodes.indices {
            self.attributeCodes[column].append(0)
            self.attributeSetAt[column].append(0)
        }
        self.eventStart.append(UInt32(self.eventType.count))
        self.eventCount.append(0)
        let capacity = self.subjectIDs.count
        self.present.grow(to: capacity)
        self.present.insert(row)
        for purpose in self.allowed.indices { self.allowed[purpose].grow(to: capacity) }
        return row
    }

    /// Sets an attribute value of `row`; an attribute the policy does not declare is left out.
    mutating func setAttribute(_ name: String, _ value: String, at time: Int64, row: Int) {
        guard let column = self.attributeColumns[name] else { return }
        self.attributeCodes[column][row] = self.attributeValues[column].code(adding: value)
        self.attributeSetAt[column][row] = time
    }

    /// Appends an event to the arena; an event type the policy does not declare is left out (`false`).
    mutating func appendEvent(_ event: StoredEvent) -> Bool {
        guard let type = self.eventTypeCodes[event.type] else { return false }
        self.eventType.append(type)
        self.eventTime.append(event.occurredAt.storedMilliseconds)
        self.eventAmount.append(event.amount ?? .nan)
        self.eventItemStart.append(UInt32(self.items.count))
        let itemCodes = Set(event.items).sorted().map { self.itemValues.code(adding: $0) }
        self.items += itemCodes
        self.eventItemCount.append(UInt16(clamping: itemCodes.count))
        return true
    }

    /// Appends a copy of event `event` of `source`'s arena.
    mutating func copyEvent(_ event: Int, from source: CohortIndex) {
        self.eventType.append(source.eventType[event])
        self.eventTime.append(source.eventTime[event])
        self.eventAmount.append(source.eventAmount[event])
        self.eventItemStart.append(UInt32(self.items.count))
        let itemStart = Int(source.eventItemStart[event])
        self.items += source.items[itemStart..<itemStart + Int(source.eventItemCount[event])]
        self.eventItemCount.append(source.eventItemCount[event])
    }

    /// Points `row` at a stretch of the arena already appended.
    mutating func setEvents(row: Int, start: Int, count: Int) {
        self.eventStart[row] = UInt32(start)
        self.eventCount[row] = UInt32(count)
    }

    /// Decides every purpose for `row` from its ledger as of `time`, remembering signals dated later.
    mutating func decide(row: Int, ledger: [StoredConsent], at time: Int64) {
        let instant = Date(storedMilliseconds: time)
        for (index, purpose) in self.purposes.enumerated() {
            if (try? self.binding.decide(purpose, at: instant, ledger: ledger).allowed) == true {
                self.allowed[index].insert(row)
            } else {
                self.allowed[index].remove(row)
            }
        }
        let later = ledger.lazy.map(\.occurredAt.storedMilliseconds).filter { $0 > time }.min()
        self.consentDueAt[Int32(row)] = later
        self.consentEvaluatedAt = max(self.consentEvaluatedAt, time)
    }

    /// Rewrites the event arena without garbage once garbage is most of it.
    private mutating func compactIfWorthIt() {
        guard self.garbageEvents > 1_000_000, self.garbageEvents * 2 > self.eventType.count else { return }
        var compacted = self
        compacted.eventType = []
        compacted.eventTime = []
        compacted.eventAmount = []
        compacted.eventItemStart = []
        compacted.eventItemCount = []
        compacted.items = []
        for row in self.eventStart.indices where self.present.contains(row) {
            let start = Int(self.eventStart[row])
            compacted.eventStart[row] = UInt32(compacted.eventType.count)
            for event in start..<start + Int(self.eventCount[row]) {
                compacted.copyEvent(event, from: self)
            }
        }
        compacted.garbageEvents = 0
        self = compacted
    }
}
