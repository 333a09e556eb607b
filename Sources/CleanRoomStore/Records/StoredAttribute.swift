public import CleanRoomCore
public import Foundation

/// One attribute of a subject (`country` = `DE`), with the time of the value.
public struct StoredAttribute: Sendable, Hashable {
    /// The person.
    public var subject: SubjectID
    /// The attribute name from the policy schema.
    public var name: String
    /// The value.
    public var value: String
    /// When the value was given (millisecond precision); a value never replaces a newer one.
    public var updatedAt: Date

    /// Creates an attribute record.
    public init(subject: SubjectID, name: String, value: String, updatedAt: Date) {
        self.subject = subject
        self.name = name
        self.value = value
        self.updatedAt = updatedAt
    }
}

/// All attributes of one subject in the form the store keeps them (one row of `subject_attributes`), so that the
/// encoding can be done anywhere, e.g. on a worker thread, and the write is a single insert
/// (``AttributeRepository/insert(_:of:)``).
public struct AttributeRow: Sendable {
    /// The row's JSON text: name → `[value, updated milliseconds]`, keys sorted.
    let text: String

    /// Whether the row holds no attribute (nothing to write).
    public let isEmpty: Bool

    /// Encodes `attributes`, all given at `time`.
    public init(_ attributes: [String: String], at time: Date) {
        let milliseconds = time.storedMilliseconds
        self.init(attributes.map { Member(name: $0.key, value: $0.value, updatedAt: milliseconds) })
    }

    init(_ values: [String: (value: String, updatedAt: Int64)]) {
        self.init(values.map { Member(name: $0.key, value: $0.value.value, updatedAt: $0.value.updatedAt) })
    }

    /// One attribute of the row.
    private struct Member {
        let name: String
        let value: String
        let updatedAt: Int64
    }

    /// Writes the canonical JSON text of the members straight, without a `CanonicalJSON` value per member: this
    /// is done for every customer of an ingest.
    private init(_ members: consuming [Member]) {
        // Sorted in place: `sorted(by:)` made a second array.
        members.sort { CanonicalJSON.keyPrecedes($0.name, $1.name) }
        var text: [UInt8] = []
        text.reserveCapacity(2 + 40 * members.count)
        text.append(UInt8(ascii: "{"))
        // The members of a row mostly share one time: its digits are written once.
        var time: (milliseconds: Int64, digits: String)?
        for (index, member) in members.enumerated() {
            if index > 0 { text.append(UInt8(ascii: ",")) }
            CanonicalJSON.writeString(member.name, to: &text)
            text += #":["#.utf8
            CanonicalJSON.writeString(member.value, to: &text)
            text.append(UInt8(ascii: ","))
            let digits: String
            if let time, time.milliseconds == member.updatedAt {
                digits = time.digits
            } else {
                digits = String(member.updatedAt)
                time = (member.updatedAt, digits)
            }
            text += digits.utf8
            text.append(UInt8(ascii: "]"))
        }
        text.append(UInt8(ascii: "}"))
        self.text = String(decoding: text, as: UTF8.self)
        self.isEmpty = members.isEmpty
    }
}
