import CleanRoomCore
import Foundation

/// Turns one input row (a JSON object, or a CSV row's named fields) into a validated ``IngestRecord``, or the
/// ``IngestReject`` that says why not. Which attributes, values, event types and purposes exist comes from the
/// policy schema; identifiers are only checked for type here (their normalization is the pipeline's).
///
/// A class: the line readers of the fast paths refer to it rather than copy it (a copy retains every field of the
/// policy, on two threads at once, for each line).
final class RecordParser: Sendable {
    let policy: Policy
    /// The consent signals the policy's purposes read (DESIGN.md section 5): the keys of a customer's `consent`
    /// object, the `consent_<signal>` CSV columns and the `purpose` of a consent record. By default a purpose's
    /// signal is its name.
    let consentSignals: Set<String>
    /// The ingest's clock, against which times in the future are refused.
    let now: @Sendable () -> Date
    /// The policy's attributes and consent signals by the bytes of their names, for matching a name in a line
    /// without making a string of it.
    let attributesByName: [NamedAttribute]
    let consentSignalsByName: [(name: [UInt8], signal: String)]
    /// The fields each kind of row may have (built once: a set per row was a tenth of parsing an event).
    private let customerJSONFields: Set<String>
    private let customerCSVFields: Set<String>
    private static let eventFields = Set(identifierFields).union(["type", "event", "at", "amount", "currency", "items"])
    private static let consentFields = Set(identifierFields).union(
        ["type", "purpose", "granted", "at", "source", "tc_string"])

    init(policy: Policy, now: @escaping @Sendable () -> Date) {
        self.policy = policy
        self.now = now
        self.consentSignals = Set(policy.purposes.map(\.consentSignal))
        self.attributesByName = policy.schema.attributes.map(NamedAttribute.init)
        self.consentSignalsByName = self.consentSignals.sorted().map { (Array($0.utf8), $0) }
        let customer = Set(Self.identifierFields).union(["type", "consent_at", "source", "tc_string"])
        self.customerJSONFields = customer.union(["attributes", "consent"])
        self.customerCSVFields = customer.union(policy.schema.attributes.map(\.name))
            .union(self.consentSignals.map { "consent_" + $0 })
    }

    private static let identifierFields = ["customer_id", "email", "phone", "device_id"]

    /// A row's fields: JSON values, or CSV text to be read as the field's type.
    enum Value {
        case json(CanonicalJSON)
        case text(String)
    }

    /// Parses a JSON Lines row.
    func parse(json object: [String: CanonicalJSON], line: Int) -> Result<IngestRecord, IngestReject> {
        let fields = object.mapValues(Value.json)
        guard case .json(.string(let type))? = fields["type"] else {
            return .failure(Self.reject(line, "type", "missing_type", "the row has no \"type\" (customer, event or consent)"))
        }
        switch type {
        case "customer": return self.customer(fields, line: line, isCSV: false)
        case "event": return self.event(fields, line: line)
        case "consent": return self.consent(fields, line: line)
        default:
            return .failure(Self.reject(line, "type", "unknown_type", "\"type\" must be customer, event or consent"))
        }
    }

    /// Parses a CSV row of `kind`; empty cells count as absent.
    func parse(csv row: [String: String], kind: IngestKind, line: Int) -> Result<IngestRecord, IngestReject> {
        var fields: [String: Value] = [:]
        for (name, text) in row where !text.isEmpty {
            fields[name] = .text(text)
        }
        switch kind {
        case .customers: return self.customer(fields, line: line, isCSV: true)
        case .events: return self.event(fields, line: line)
        case .consents: return self.consent(fields, line: line)
        }
    }

    /// The header columns a CSV file of `kind` may have; anything else stops the file before it is read.
    func knownColumns(for kind: IngestKind) -> Set<String> {
        let fields = switch kind {
        case .customers: self.customerCSVFields
        case .events: Self.eventFields
        case .consents: Self.consentFields
        }
        return fields.subtracting(["type"])
    }

    // MARK: Records

    private func customer(_ fields: [String: Value], line: Int, isCSV: Bool) -> Result<IngestRecord, IngestReject> {
        do {
            try Self.rejectUnknown(fields, known: isCSV ? self.customerCSVFields : self.customerJSONFields, line: line)
            let identifiers = try self.identifiers(fields, line: line)
            var attributes: [String: String] = [:]
            var consent: [String: Bool] = [:]
            if isCSV {
                for attribute in self.policy.schema.attributes {
                    if let value = fields[attribute.name] {
                        attributes[attribute.name] = try self.attributeValue(value, attribute, line: line)
                    }
                }
                for signal in self.consentSignals {
                    if let value = fields["consent_" + signal] {
                        consent[signal] = try Self.bool(value, field: "consent_" + signal, line: line)
                    }
                }
            } else {
                if let value = fields["attributes"] {
                    guard case .json(.object(let object)) = value else {
                        throw Self.reject(line, "attributes", "wrong_type", "\"attributes\" must be an object")
                    }
                    for (name, raw) in object {
                        guard let attribute = self.policy.schema.attribute(named: name) else {
                            throw Self.reject(
                                line, "attributes." + Self.printable(name), "unknown_attribute",
                                "the policy schema declares no attribute of this name")
                        }
                        attributes[name] = try self.attributeValue(.json(raw), attribute, line: line)
                    }
                }
                if let value = fields["consent"] {
                    guard case .json(.object(let object)) = value else {
                        throw Self.reject(line, "consent", "wrong_type", "\"consent\" must be an object of purpose: true/false")
                    }
                    for (signal, raw) in object {
                        guard self.consentSignals.contains(signal) else {
                            throw Self.reject(
                                line, "consent." + Self.printable(signal), "unknown_purpose",
                                "the policy declares no purpose with this consent signal")
                        }
                        consent[signal] = try Self.bool(.json(raw), field: "consent." + signal, line: line)
                    }
                }
            }
            let consentAt = try fields["consent_at"].map { try self.time($0, field: "consent_at", line: line) }
            if !consent.isEmpty && consentAt == nil {
                throw Self.reject(line, "consent_at", "missing_field", "consent choices need \"consent_at\", when they were made")
            }
            let source = try fields["source"].map { try Self.text($0, field: "source", line: line) }
            let tcf = try fields["tc_string"].map { try self.tcfChoices($0, line: line) }
            return .success(.customer(CustomerRecord(
                identifiers: identifiers, attributes: attributes, consent: consent, consentAt: consentAt, tcf: tcf,
                source: source)))
        } catch let reject as IngestReject {
            return .failure(reject)
        } catch {
            return .failure(Self.reject(line, "record", "invalid", "\(error)"))
        }
    }

    private func event(_ fields: [String: Value], line: Int) -> Result<IngestRecord, IngestReject> {
        do {
            try Self.rejectUnknown(fields, known: Self.eventFields, line: line)
            let identifiers = try self.identifiers(fields, line: line)
            guard let typeValue = fields["event"] else {
                throw Self.reject(line, "event", "missing_field", "an event needs \"event\", its type")
            }
            let type = try Self.text(typeValue, field: "event", line: line)
            guard let eventType = self.policy.schema.eventType(named: type) else {
                throw Self.reject(line, "event", "unknown_event_type", "the policy schema declares no such event type")
            }
            guard let atValue = fields["at"] else {
                throw Self.reject(line, "at", "missing_field", "an event needs \"at\", when it happened (RFC 3339)")
            }
            let at = try self.time(atValue, field: "at", line: line)
            var amount: Double?
            var currency: String?
            if let value = fields["amount"] {
                guard eventType.allowsAmount else {
                    throw Self.reject(line, "amount", "field_not_allowed", "events of type \(type) carry no amount")
                }
                amount = try Self.number(value, field: "amount", line: line)
                guard let amount, amount.isFinite, amount >= 0 else {
                    throw Self.reject(line, "amount", "invalid_amount", "the amount must be a finite number, 0 or more")
                }
            }
            if let value = fields["currency"] {
                let code = try Self.text(value, field: "currency", line: line)
                guard code.utf8.count == 3, code.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else {
                    throw Self.reject(line, "currency", "invalid_currency", "the currency must be an ISO 4217 code such as EUR")
                }
                currency = code
            }
            if amount != nil && currency == nil {
                throw Self.reject(line, "currency", "missing_field", "an amount needs its \"currency\"")
            }
            var items: [String] = []
            if let value = fields["items"] {
                guard eventType.allowsItems else {
                    throw Self.reject(line, "items", "field_not_allowed", "events of type \(type) carry no items")
                }
                items = try Self.items(value, line: line)
            }
            return .success(.event(EventRecord(
                identifiers: identifiers, type: type, at: at, amount: amount, currency: currency, items: items)))
        } catch let reject as IngestReject {
            return .failure(reject)
        } catch {
            return .failure(Self.reject(line, "record", "invalid", "\(error)"))
        }
    }

    private func consent(_ fields: [String: Value], line: Int) -> Result<IngestRecord, IngestReject> {
        do {
            try Self.rejectUnknown(fields, known: Self.consentFields, line: line)
            let identifiers = try self.identifiers(fields, line: line)
            if let tcValue = fields["tc_string"] {
                return .success(.tcfConsent(try self.tcfConsent(tcValue, fields, identifiers, line: line)))
            }
            guard let purposeValue = fields["purpose"] else {
                throw Self.reject(line, "purpose", "missing_field", "a consent record needs \"purpose\"")
            }
            let purpose = try Self.text(purposeValue, field: "purpose", line: line)
            guard self.consentSignals.contains(purpose) else {
                throw Self.reject(
                    line, "purpose", "unknown_purpose", "the policy declares no purpose with this consent signal")
            }
            guard let grantedValue = fields["granted"] else {
                throw Self.reject(line, "granted", "missing_field", "a consent record needs \"granted\": true or false")
            }
            let granted = try Self.bool(grantedValue, field: "granted", line: line)
            guard let atValue = fields["at"] else {
                throw Self.reject(line, "at", "missing_field", "a consent record needs \"at\", when the choice was made")
            }
            let at = try self.time(atValue, field: "at", line: line)
            let source = try fields["source"].map { try Self.text($0, field: "source", line: line) }
            return .success(.consent(ConsentRecord(
                identifiers: identifiers, purpose: purpose, granted: granted, at: at, source: source)))
        } catch let reject as IngestReject {
            return .failure(reject)
        } catch {
            return .failure(Self.reject(line, "record", "invalid", "\(error)"))
        }
    }

    /// A consent row that carries a TC string instead of one purpose's choice.
    private func tcfConsent(
        _ value: Value, _ fields: [String: Value], _ identifiers: RawIdentifiers, line: Int
    ) throws -> TCFConsentRecord {
        for field in ["purpose", "granted", "at"] where fields[field] != nil {
            throw Self.reject(
                line, field, "conflicting_fields",
                "a consent row gives either tc_string or purpose, granted and at, not both")
        }
        let source = try fields["source"].map { try Self.text($0, field: "source", line: line) }
        return TCFConsentRecord(identifiers: identifiers, tcf: try self.tcfChoices(value, line: line), source: source ?? "tcf")
    }

    /// The choices of the TC string in field `tc_string`, for the purposes the policy maps to TCF purposes.
    private func tcfChoices(_ value: Value, line: Int) throws -> TCFChoices {
        let text = try Self.text(value, field: "tc_string", line: line)
        let tcString: TCString
        do {
            tcString = try TCString(decoding: text)
        } catch {
            throw Self.reject(line, "tc_string", "invalid_tc_string", error.message)
        }
        let choices = self.policy.consentChoices(from: tcString)
        guard !choices.isEmpty else {
            throw Self.reject(
                line, "tc_string", "no_tcf_purpose", "the policy maps no purpose to TCF purposes (tcf_purposes)")
        }
        try self.checkNotInFuture(tcString.lastUpdated, field: "tc_string", line: line)
        return TCFChoices(choices: choices, at: tcString.lastUpdated)
    }

    // MARK: Fields

    private func identifiers(_ fields: [String: Value], line: Int) throws -> RawIdentifiers {
        var identifiers = RawIdentifiers()
        identifiers.customerID = try fields["customer_id"].map { try Self.text($0, field: "customer_id", line: line) }
        identifiers.email = try fields["email"].map { try Self.text($0, field: "email", line: line) }
        identifiers.phone = try fields["phone"].map { try Self.text($0, field: "phone", line: line) }
        identifiers.deviceID = try fields["device_id"].map { try Self.text($0, field: "device_id", line: line) }
        guard !identifiers.isEmpty else {
            throw Self.reject(
                line, "record", "missing_identifier", "the row names nobody: give customer_id, email, phone or device_id")
        }
        return identifiers
    }

    func attributeValue(_ value: Value, _ attribute: Policy.Attribute, line: Int) throws -> String {
        // A JSON value of the declared type that the policy allows, taken as it is (the cases below give the same
        // text) without first building the field's name for a reject that will not be made.
        switch (attribute.valueType, value) {
        case (.enumeration(let values), .json(.string(let text))) where values.contains(text): return text
        case (.string, .json(.string(let text))) where text.utf8.count <= 200: return text
        case (.boolean, .json(.bool(let flag))): return String(flag)
        case (.integer(let minimum, let maximum), .json(.integer(let number)))
        where number.magnitude < 1_000_000_000_000_000 && minimum.map({ $0 <= number }) ?? true
            && maximum.map({ number <= $0 }) ?? true:
            return String(number)
        default: break
        }
        let field = "attributes." + attribute.name
        switch attribute.valueType {
        case .string:
            let text = try Self.text(value, field: field, line: line)
            guard text.utf8.count <= 200 else {
                throw Self.reject(line, field, "value_too_long", "attribute values are at most 200 bytes")
            }
            return text
        case .enumeration(let values):
            let text = try Self.text(value, field: field, line: line)
            guard values.contains(text) else {
                throw Self.reject(
                    line, field, "value_not_allowed",
                    "the policy allows only: \(values.joined(separator: ", "))")
            }
            return text
        case .integer(let minimum, let maximum):
            let number = try Self.number(value, field: field, line: line)
            guard number == number.rounded(), abs(number) < 1e15,
                minimum.map({ Double($0) <= number }) ?? true, maximum.map({ number <= Double($0) }) ?? true
            else {
                let range = "\(minimum.map(String.init) ?? "…")…\(maximum.map(String.init) ?? "…")"
                throw Self.reject(line, field, "value_not_allowed", "the policy allows whole numbers in \(range)")
            }
            return String(Int(number))
        case .boolean:
            return String(try Self.bool(value, field: field, line: line))
        }
    }

    private static func rejectUnknown(_ fields: [String: Value], known: Set<String>, line: Int) throws {
        guard !fields.keys.allSatisfy(known.contains) else { return }
        // The first unknown field in name order, so the reject does not depend on the dictionary's order.
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw Self.reject(line, Self.printable(unknown), "unknown_field", "the field is not part of the input format")
        }
    }

    private static func text(_ value: Value, field: String, line: Int) throws -> String {
        switch value {
        case .text(let text): return text
        case .json(.string(let text)): return text
        case .json: throw Self.reject(line, field, "wrong_type", "the field must be a string")
        }
    }

    private static func bool(_ value: Value, field: String, line: Int) throws -> Bool {
        switch value {
        case .text("true"): return true
        case .text("false"): return false
        case .json(.bool(let bool)): return bool
        default: throw Self.reject(line, field, "wrong_type", "the field must be true or false")
        }
    }

    private static func number(_ value: Value, field: String, line: Int) throws -> Double {
        switch value {
        case .text(let text):
            guard let number = Double(text) else {
                throw Self.reject(line, field, "wrong_type", "the field must be a number")
            }
            return number
        case .json(.integer(let integer)):
            return Double(integer)
        case .json(.number(let number)):
            return number
        default:
            throw Self.reject(line, field, "wrong_type", "the field must be a number")
        }
    }

    private static func items(_ value: Value, line: Int) throws -> [String] {
        let items: [String]
        switch value {
        case .text(let text):
            items = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        case .json(.array(let array)):
            items = try array.map { element in
                guard case .string(let item) = element else {
                    throw Self.reject(line, "items", "wrong_type", "items must be strings")
                }
                return item
            }
        default:
            throw Self.reject(line, "items", "wrong_type", "items must be a list of strings")
        }
        guard items.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 100 }) else {
            throw Self.reject(line, "items", "invalid_item", "items must be non-empty product ids of at most 100 bytes")
        }
        return items
    }

    func time(_ value: Value, field: String, line: Int) throws -> Date {
        let text = try Self.text(value, field: field, line: line)
        guard let date = RFC3339.parse(text) else {
            throw Self.reject(line, field, "invalid_time", "the time must be RFC 3339, e.g. 2026-03-01T10:00:00Z")
        }
        try self.checkNotInFuture(date, field: field, line: line)
        return date
    }

    /// How far ahead of the ingest's clock a time may be (clock skew between systems).
    static let futureAllowance: TimeInterval = 86_400

    /// Refuses a time later than now plus ``futureAllowance``: a consent choice dated in the future would beat every
    /// withdrawal made before that date, and an event cannot have happened yet.
    private func checkNotInFuture(_ date: Date, field: String, line: Int) throws {
        guard date <= self.now().addingTimeInterval(Self.futureAllowance) else {
            throw Self.reject(line, field, "time_in_future", "the time is more than a day ahead of this system's clock")
        }
    }

    /// A field name from the input as it may be shown: names are echoed only when they look like names
    /// (letters, digits, `_`, `-`, `.`, at most 64), so that a value typed where a name belongs — an e-mail
    /// as a JSON key, say — never reaches a rejects file or an error message.
    static func printable(_ name: String) -> String {
        let isName = !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
                true
            default:
                false
            }
        }
        let hasLetter = name.utf8.contains { (UInt8(ascii: "A")...UInt8(ascii: "z")).contains($0) }
        return isName && hasLetter && name.utf8.filter({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }).count < 7
            ? name : "(a field whose name is not shown)"
    }

    static func reject(_ line: Int, _ field: String, _ reason: String, _ message: String) -> IngestReject {
        IngestReject(line: line, field: field, reason: reason, message: message)
    }
}

extension IngestReject: Error {}

/// RFC 3339 time stamps, with or without fractional seconds.
enum RFC3339 {
    // Built once: making a format style on every call was a quarter of the time of parsing a time.
    private static let whole = Date.ISO8601FormatStyle()
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func parse(_ text: String) -> Date? {
        if let date = Self.parseUTC(text) { return date }
        if let date = try? Self.whole.parse(text) { return date }
        return try? Self.fractional.parse(text)
    }

    /// The fast path for the usual shape, `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with a valid date and time: computed
    /// straight from the digits. Anything else (an offset, a leap second, a lenient spelling) goes to Foundation's
    /// parser as before, so the fast path changes no answer, only the time it takes.
    static func parseUTC(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { Self.parseUTC(bytes: $0) }
    }

    /// ``parseUTC(_:)`` of the UTF-8 bytes of a time.
    static func parseUTC(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count >= 20, bytes[bytes.count - 1] == UInt8(ascii: "Z") else { return nil }
        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for index in start..<(start + count) {
                let digit = Int(bytes[index]) - Int(UInt8(ascii: "0"))
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard Self.separators.allSatisfy({ bytes[$0.offset] == $0.byte }),
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), (1...Self.days(inMonth: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction = 0.0
        if bytes.count > 20 {
            // `.` and 1 to 9 digits before the `Z`.
            let digits = bytes.count - 21
            guard bytes[19] == UInt8(ascii: "."), (1...9).contains(digits), let value = number(20, digits) else {
                return nil
            }
            fraction = Double(value) / pow(10, Double(digits))
        } else if bytes[19] != UInt8(ascii: "Z") {
            return nil
        }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Where `YYYY-MM-DDTHH:MM:SS` has its separators.
    private static let separators: [(offset: Int, byte: UInt8)] = [
        (4, UInt8(ascii: "-")), (7, UInt8(ascii: "-")), (10, UInt8(ascii: "T")), (13, UInt8(ascii: ":")),
        (16, UInt8(ascii: ":")),
    ]

    private static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the given day of the proleptic Gregorian calendar (Howard Hinnant's
    /// `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// A policy attribute with the UTF-8 bytes of its name, as the fast path of customer lines matches it. A class:
/// finding one retains one reference, where finding a tuple copied the attribute, retaining each of its strings.
final class NamedAttribute: Sendable {
    /// The UTF-8 bytes of the attribute's name.
    let name: [UInt8]
    /// The attribute as the policy declares it.
    let attribute: Policy.Attribute

    /// `attribute` with the bytes of its name.
    init(_ attribute: Policy.Attribute) {
        self.name = Array(attribute.name.utf8)
        self.attribute = attribute
    }
}
