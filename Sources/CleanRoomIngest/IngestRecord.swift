import CleanRoomCore
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

    /// The identifier of `kind`, if given.
    subscript(kind: IdentifierKind) -> String? {
        switch kind {
        case .customerID: self.customerID
        case .email: self.email
        case .phone: self.phone
        case .deviceID: self.deviceID
        }
    }

    /// How many identifiers are given.
    var count: Int {
        (self.customerID == nil ? 0 : 1) + (self.email == nil ? 0 : 1) + (self.phone == nil ? 0 : 1)
            + (self.deviceID == nil ? 0 : 1)
    }

    /// Whether no identifier is given.
    public var isEmpty: Bool { self.count == 0 }
}

/// A customer: identifiers seen together, attributes and consent choices.
public struct CustomerRecord: Sendable, Equatable {
    /// The identifiers seen together: they join one person.
    public var identifiers: RawIdentifiers
    /// Attribute values by name, validated against the policy schema.
    public var attributes: [String: String]
    /// Consent choices by purpose.
    public var consent: [String: Bool]
    /// When the consent choices were made.
    public var consentAt: Date?
    /// The choices of a TC string the row carries (`tc_string`), if any.
    public var tcf: TCFChoices?
    /// The system the row comes from.
    public var source: String?
}

/// What an IAB TCF v2.2 TC string says for the purposes the policy maps to TCF purposes, and when.
public struct TCFChoices: Sendable, Equatable {
    /// Granted (`true`) or not, by consent signal (``CleanRoomCore/Policy/consentChoices(from:)``).
    public var choices: [String: Bool]
    /// When the choices were last updated in the consent tool (the string's LastUpdated).
    public var at: Date
}

/// Something a person did.
public struct EventRecord: Sendable, Equatable {
    /// Who did it (any identifier of a known person).
    public var identifiers: RawIdentifiers
    /// The event type, declared in the policy schema.
    public var type: String
    /// When it happened.
    public var at: Date
    /// The amount, for event types that carry one.
    public var amount: Double?
    /// The ISO 4217 currency of the amount.
    public var currency: String?
    /// The products, one entry per unit.
    public var items: [String]
}

/// A consent choice for one purpose.
public struct ConsentRecord: Sendable, Equatable {
    /// Whose choice (any identifier of a known person).
    public var identifiers: RawIdentifiers
    /// The purpose, declared in the policy.
    public var purpose: String
    /// Given (`true`) or withdrawn.
    public var granted: Bool
    /// When the choice was made: the latest by this time counts.
    public var at: Date
    /// Where it was made (e.g. `preference-center`).
    public var source: String?
}

/// The consent choices of an IAB TCF v2.2 TC string, for the purposes the policy maps to TCF purposes.
public struct TCFConsentRecord: Sendable, Equatable {
    /// Whose choices (any identifier of a known person).
    public var identifiers: RawIdentifiers
    /// The string's choices and their time.
    public var tcf: TCFChoices
    /// Where they were made; `tcf` when the row names no source.
    public var source: String?
}

/// One validated input record.
public enum IngestRecord: Sendable, Equatable {
    /// A `customer` row.
    case customer(CustomerRecord)
    /// An `event` row.
    case event(EventRecord)
    /// A `consent` row.
    case consent(ConsentRecord)
    /// A `consent` row carrying a TC string.
    case tcfConsent(TCFConsentRecord)
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

    /// Creates a reject.
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
