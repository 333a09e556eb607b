public import Foundation

/// The raw identifiers a record names a person by, as they arrived (never logged, never stored unsealed).
public struct RawIdentifiers: Sendable, Equatable {
    /// The owner's customer id.
    public var customerID: String?
    /// An e-mail address.
    public var email: String?
    /// A phone number.
    public var phone: String?
    /// A mobile advertising id.
    public var deviceID: String?

    /// Whether no identifier is given.
    public var isEmpty: Bool { self.customerID == nil && self.email == nil && self.phone == nil && self.deviceID == nil }
}

/// A customer: identifiers seen together, attributes and consent choices.
public struct CustomerRecord: Sendable, Equatable {
    public var identifiers: RawIdentifiers
    public var attributes: [String: String]
    public var consent: [String: Bool]
    public var consentAt: Date?
    public var source: String?
}

/// Something a person did.
public struct EventRecord: Sendable, Equatable {
    public var identifiers: RawIdentifiers
    public var type: String
    public var at: Date
    public var amount: Double?
    public var currency: String?
    public var items: [String]
}

/// A consent choice for one purpose.
public struct ConsentRecord: Sendable, Equatable {
    public var identifiers: RawIdentifiers
    public var purpose: String
    public var granted: Bool
    public var at: Date
    public var source: String?
}

/// One validated input record.
public enum IngestRecord: Sendable, Equatable {
    case customer(CustomerRecord)
    case event(EventRecord)
    case consent(ConsentRecord)

    var identifiers: RawIdentifiers {
        switch self {
        case .customer(let record): record.identifiers
        case .event(let record): record.identifiers
        case .consent(let record): record.identifiers
        }
    }
}

/// Why a row was not ingested: the line, the field and a reason code, never the value itself.
public struct IngestReject: Sendable, Equatable, Codable {
    /// The 1-based line (JSONL) or record (CSV, counting the header as 1) in the input.
    public var line: Int
    /// The field at fault (`email`, `attributes.country`, `at`, …), or `record` for the whole row.
    public var field: String
    /// A stable snake-case code (`invalid_phone`, `unknown_attribute`, `unknown_person`, …).
    public var reason: String
    /// What was wrong and what to do, without the value.
    public var message: String

    public init(line: Int, field: String, reason: String, message: String) {
        self.line = line
        self.field = field
        self.reason = reason
        self.message = message
    }
}

/// What every row of a CSV file is (JSON Lines rows name their own `type`).
public enum IngestKind: String, Sendable, CaseIterable {
    /// Customers: identifiers, attributes, consent choices.
    case customers
    /// Events of known customers.
    case events
    /// Consent choices of known customers.
    case consents
}
