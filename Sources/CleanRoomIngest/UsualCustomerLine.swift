import CleanRoomCore
import Foundation

extension RecordParser {
    /// The fast path of JSON Lines parsing for the line a customer export is made of: a customer object whose
    /// fields are identifiers, `attributes` (strings, integers and booleans), `consent` (booleans), `consent_at`
    /// and `source`, each once, with strings without escapes, whose values pass every check of the general path.
    ///
    /// It reads the line's bytes once, without the JSON tree and the field dictionaries of the general path (its
    /// parsing and validation were a tenth of the CPU of a customers ingest, measured with `perf`), and checks each
    /// attribute, purpose and time with the general path's own functions. It returns `nil` for any other line, valid
    /// or not (a TC string, an escape, a duplicate name, a value the policy refuses); the general path then parses
    /// it and, if it is bad, names the reject. So it changes no answer, only the time it takes: whatever it
    /// accepts, the general path accepts too and turns into the same record (tested on lines mutated at every byte).
    func usualCustomer(_ line: ArraySlice<UInt8>, line number: Int) -> CustomerRecord? {
        line.withUnsafeBufferPointer { bytes in
            var reader = CustomerLineReader(parser: self, scanner: PlainJSONScanner(bytes: bytes), line: number)
            return reader.record()
        }
    }
}

/// Reads the usual customer line (see ``RecordParser/usualCustomer(_:line:)``) and gives up, with `nil`, at the
/// first byte or value outside it.
private struct CustomerLineReader {
    /// Not retained: a reader lives only inside a call on its parser (``RecordParser/usualCustomer(_:line:)``).
    unowned(unsafe) let parser: RecordParser
    var scanner: PlainJSONScanner
    let line: Int

    /// The fields of a customer line, by name.
    private enum Field: UInt16, CaseIterable {
        case type, customerID, email, phone, deviceID, attributes, consent, consentAt, source

        /// Each field with its name, listed once (`allCases` makes a new array at each use).
        private static let byName: [(name: StaticString, field: Field)] = Self.allCases.map { ($0.name, $0) }

        private var name: StaticString {
            switch self {
            case .type: "type"
            case .customerID: "customer_id"
            case .email: "email"
            case .phone: "phone"
            case .deviceID: "device_id"
            case .attributes: "attributes"
            case .consent: "consent"
            case .consentAt: "consent_at"
            case .source: "source"
            }
        }

        /// The field named by `name`, or `nil` for a name the usual customer line does not have.
        init?(name: UnsafeBufferPointer<UInt8>) {
            guard let entry = Self.byName.first(where: { $0.name.withUTF8Buffer { sameBytes($0, name) } }) else {
                return nil
            }
            self = entry.field
        }

        /// The field's bit in a set of fields.
        var bit: UInt16 { 1 << self.rawValue }
    }

    mutating func record() -> CustomerRecord? {
        guard self.scanner.consume(UInt8(ascii: "{")) else { return nil }
        var identifiers = RawIdentifiers()
        var attributes: [String: String] = [:]
        var consent: [String: Bool] = [:]
        var (consentAt, source): (Date?, String?) = (nil, nil)
        var seen: UInt16 = 0
        repeat {
            guard let nameRange = self.scanner.plainString(), self.scanner.consume(UInt8(ascii: ":")) else { return nil }
            guard let field = Field(name: UnsafeBufferPointer(rebasing: self.scanner.bytes[nameRange])),
                seen & field.bit == 0
            else { return nil }
            seen |= field.bit
            switch field {
            case .type:
                guard let value = self.scanner.plainString(),
                    "customer".utf8.elementsEqual(UnsafeBufferPointer(rebasing: self.scanner.bytes[value]))
                else { return nil }
            case .customerID, .email, .phone, .deviceID:
                guard let value = self.text() else { return nil }
                switch field {
                case .customerID: identifiers.customerID = value
                case .email: identifiers.email = value
                case .phone: identifiers.phone = value
                default: identifiers.deviceID = value
                }
            case .attributes:
                guard let read = self.attributes() else { return nil }
                attributes = read
            case .consent:
                guard let read = self.consent() else { return nil }
                consent = read
            case .consentAt:
                guard let text = self.text(),
                    let time = try? self.parser.time(.json(.string(text)), field: "consent_at", line: self.line)
                else { return nil }
                consentAt = time
            case .source:
                guard let value = self.text() else { return nil }
                source = value
            }
        } while self.scanner.consume(UInt8(ascii: ","))
        guard self.scanner.consume(UInt8(ascii: "}")), self.scanner.isAtEnd, seen & Field.type.bit != 0,
            !identifiers.isEmpty, consent.isEmpty || consentAt != nil
        else { return nil }
        return CustomerRecord(
            identifiers: identifiers, attributes: attributes, consent: consent, consentAt: consentAt, tcf: nil,
            source: source)
    }

    /// A plain string as text; one with bytes beyond ASCII only when they are UTF-8.
    private mutating func text() -> String? {
        guard let range = self.scanner.plainString(allowingUTF8: true) else { return nil }
        let characters = UnsafeBufferPointer(rebasing: self.scanner.bytes[range])
        return characters.allSatisfy({ $0 < 0x80 })
            ? String(decoding: characters, as: UTF8.self) : String(validating: characters, as: UTF8.self)
    }

    /// The `attributes` object: each name one the policy declares, each value a string, an integer or a boolean
    /// the policy allows for it, as ``RecordParser/attributeValue(_:_:line:)`` reads it. Names are matched on their
    /// bytes and kept as the policy spells them: no string is made or hashed for a name.
    private mutating func attributes() -> [String: String]? {
        var attributes: [String: String] = [:]
        attributes.reserveCapacity(self.parser.policy.schema.attributes.count)
        let read = self.members { reader, name in
            guard let known = reader.parser.attributesByName.first(where: { sameBytes($0.name, name) }),
                let value = reader.value(),
                let text = try? reader.parser.attributeValue(.json(value), known.attribute, line: reader.line)
            else { return false }
            return attributes.updateValue(text, forKey: known.attribute.name) == nil
        }
        return read ? attributes : nil
    }

    /// The `consent` object: each name a consent signal of the policy, each value a boolean.
    private mutating func consent() -> [String: Bool]? {
        var consent: [String: Bool] = [:]
        consent.reserveCapacity(self.parser.consentSignals.count)
        let read = self.members { reader, name in
            guard let signal = reader.parser.consentSignalsByName.first(where: { sameBytes($0.name, name) })?.signal,
                case .bool(let granted)? = reader.value()
            else { return false }
            return consent.updateValue(granted, forKey: signal) == nil
        }
        return read ? consent : nil
    }

    /// Reads an object, calling `member` with the bytes of each name after its colon to read its value; `false`
    /// when the object is not plain or `member` refuses one.
    private mutating func members(_ member: (inout CustomerLineReader, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        guard self.scanner.consume(UInt8(ascii: "{")) else { return false }
        if self.scanner.consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let name = self.scanner.plainString(allowingUTF8: true), self.scanner.consume(UInt8(ascii: ":")),
                member(&self, UnsafeBufferPointer(rebasing: self.scanner.bytes[name]))
            else { return false }
        } while self.scanner.consume(UInt8(ascii: ","))
        return self.scanner.consume(UInt8(ascii: "}"))
    }

    /// A plain string, a plain integer, `true` or `false`, as the general path's JSON value, told by its first byte.
    private mutating func value() -> CanonicalJSON? {
        switch self.scanner.peek() {
        case UInt8(ascii: "\"")?: self.text().map(CanonicalJSON.string)
        case UInt8(ascii: "t")?: self.scanner.literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f")?: self.scanner.literal("false") ? .bool(false) : nil
        default: self.scanner.plainInteger().map(CanonicalJSON.integer)
        }
    }
}
