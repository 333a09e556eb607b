import CleanRoomCore
import Foundation

/// Checks demo data against the ingest contract and the default policy, independently of the generator: parses
/// each line with `JSONSerialization`, validates identifiers with CleanRoomCore's normalizers, attributes and
/// purposes with the loaded policy, times as RFC 3339, and names the defect of a bad line the way the generator
/// counts it (`DemoBadRow` raw values).
struct DemoContractCheck {
    /// The verdict on one line.
    struct Verdict {
        /// The defects found (names of `DemoBadRow` kinds, or `unexpected_key`, `wrong_type`, `wrong_shape`).
        var defects: [String] = []
        /// The canonical identifier keys of the record (`email:…`, `phone:…`), when it parsed.
        var identifiers: [String] = []
        /// The parsed record, when it parsed.
        var object: [String: Any] = [:]
    }

    let policy: Policy
    let normalizer: IdentifierNormalizer
    /// The identifier keys of every valid customer record checked so far.
    private(set) var knownIdentifiers: Set<String> = []

    init() throws {
        self.policy = try PolicyLoader.load(contentsOf: repositoryPolicy)
        self.normalizer = try IdentifierNormalizer(defaultRegion: self.policy.identifiers.defaultRegion)
    }

    /// Checks a line of `customers.jsonl`; a valid record's identifiers become known people.
    mutating func checkCustomer(_ line: String) -> Verdict {
        let allowed: Set<String> = [
            "type", "customer_id", "email", "phone", "device_id", "attributes", "consent", "consent_at", "source",
        ]
        guard var verdict = self.parse(line, type: "customer", allowed: allowed) else {
            return Verdict(defects: ["malformed_json"])
        }
        let object = verdict.object
        var region: String?
        if let attributes = object["attributes"] {
            guard let attributes = attributes as? [String: Any] else { return self.add("wrong_shape", verdict) }
            for (name, value) in attributes {
                guard let attribute = self.policy.schema.attribute(named: name) else {
                    verdict.defects.append("unknown_attribute")
                    continue
                }
                if !Self.isAllowed(value, attribute.valueType) {
                    verdict.defects.append("attribute_value_not_allowed")
                } else if name == "country" {
                    region = value as? String
                }
            }
        }
        self.checkIdentifiers(object, region: region, into: &verdict)
        if let consent = object["consent"] {
            guard let consent = consent as? [String: Any], !consent.isEmpty else {
                return self.add("wrong_shape", verdict)
            }
            for (purpose, granted) in consent {
                if self.policy.purpose(named: purpose) == nil { verdict.defects.append("unknown_purpose") }
                if !Self.isBoolean(granted) { verdict.defects.append("wrong_type") }
            }
            if !Self.isRFC3339(object["consent_at"]) { verdict.defects.append("bad_timestamp") }
        } else if object["consent_at"] != nil {
            verdict.defects.append("wrong_shape")
        }
        if !(object["source"] is String) { verdict.defects.append("wrong_type") }
        if verdict.defects.isEmpty { self.knownIdentifiers.formUnion(verdict.identifiers) }
        return verdict
    }

    /// Checks a line of `events.jsonl` against the policy's event types and the people known so far.
    func checkEvent(_ line: String) -> Verdict {
        let allowed: Set<String> = [
            "type", "customer_id", "email", "phone", "device_id", "event", "at", "amount", "currency", "items",
        ]
        guard var verdict = self.parse(line, type: "event", allowed: allowed) else {
            return Verdict(defects: ["malformed_json"])
        }
        let object = verdict.object
        self.checkIdentifiers(object, region: nil, into: &verdict)
        self.checkPerson(&verdict)
        if !Self.isRFC3339(object["at"]) { verdict.defects.append("bad_timestamp") }
        guard let name = object["event"] as? String else { return self.add("wrong_type", verdict) }
        guard let eventType = self.policy.schema.eventType(named: name) else {
            return self.add("unknown_event_type", verdict)
        }
        let hasAmount = object["amount"] != nil || object["currency"] != nil
        if hasAmount && (!eventType.allowsAmount || !(object["amount"] is NSNumber) || Self.isBoolean(object["amount"])
            || object["currency"] as? String != "EUR")
        {
            verdict.defects.append("wrong_shape")
        }
        if let items = object["items"] {
            let skus = items as? [String] ?? []
            if !eventType.allowsItems || skus.isEmpty || skus.count != (items as? [Any])?.count {
                verdict.defects.append("wrong_shape")
            }
        }
        if name == "purchase" && (!hasAmount || object["items"] == nil) { verdict.defects.append("wrong_shape") }
        return verdict
    }

    /// Checks a line of `consents.jsonl` against the policy's purposes and the people known so far.
    func checkConsent(_ line: String) -> Verdict {
        let allowed: Set<String> = [
            "type", "customer_id", "email", "phone", "device_id", "purpose", "granted", "at", "source",
        ]
        guard var verdict = self.parse(line, type: "consent", allowed: allowed) else {
            return Verdict(defects: ["malformed_json"])
        }
        let object = verdict.object
        self.checkIdentifiers(object, region: nil, into: &verdict)
        self.checkPerson(&verdict)
        if !Self.isRFC3339(object["at"]) { verdict.defects.append("bad_timestamp") }
        if let purpose = object["purpose"] as? String {
            if self.policy.purpose(named: purpose) == nil { verdict.defects.append("unknown_purpose") }
        } else {
            verdict.defects.append("wrong_type")
        }
        if !Self.isBoolean(object["granted"] as Any) || !(object["source"] is String) {
            verdict.defects.append("wrong_type")
        }
        return verdict
    }

    // MARK: - Parts

    private func parse(_ line: String, type: String, allowed: Set<String>) -> Verdict? {
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(line.utf8)),
            let object = parsed as? [String: Any]
        else { return nil }
        var verdict = Verdict(object: object)
        if !Set(object.keys).isSubset(of: allowed) { verdict.defects.append("unexpected_key") }
        if object["type"] as? String != type { verdict.defects.append("wrong_type") }
        return verdict
    }

    private func add(_ defect: String, _ verdict: Verdict) -> Verdict {
        var verdict = verdict
        verdict.defects.append(defect)
        return verdict
    }

    /// Normalizes each identifier of the record; an invalid one is a defect named by its kind.
    private func checkIdentifiers(_ object: [String: Any], region: String?, into verdict: inout Verdict) {
        var found = false
        for kind in IdentifierKind.allCases {
            guard let value = object[kind.rawValue] else { continue }
            found = true
            guard let raw = value as? String else {
                verdict.defects.append("wrong_type")
                continue
            }
            do {
                let normalized = try self.normalizer.normalize(kind: kind, raw: raw, region: region)
                if kind == .email {
                    // Every profile must accept the address, or the ingest rejects it.
                    _ = try self.normalizer.matchHashes(kind: .email, raw: raw)
                }
                verdict.identifiers.append(kind.rawValue + ":" + normalized)
            } catch {
                switch kind {
                case .email: verdict.defects.append("invalid_email")
                case .phone: verdict.defects.append("invalid_phone")
                case .deviceID:
                    verdict.defects.append(error.code == .allZeroDeviceID ? "all_zero_device_id" : "invalid_device_id")
                case .customerID: verdict.defects.append("invalid_customer_id")
                }
            }
        }
        if !found { verdict.defects.append("missing_identifier") }
    }

    /// An event or consent record with valid identifiers must name a known person.
    private func checkPerson(_ verdict: inout Verdict) {
        guard verdict.defects.isEmpty, !verdict.identifiers.isEmpty else { return }
        if !verdict.identifiers.contains(where: self.knownIdentifiers.contains) {
            verdict.defects.append("unknown_person")
        }
    }

    private static func isAllowed(_ value: Any, _ type: Policy.ValueType) -> Bool {
        switch type {
        case .string: return value is String
        case .enumeration(let values): return (value as? String).map(values.contains) ?? false
        case .boolean: return self.isBoolean(value)
        case .integer(let minimum, let maximum):
            guard value is NSNumber, !self.isBoolean(value), let number = value as? Int,
                Double(number) == (value as? Double)
            else { return false }
            return number >= (minimum ?? .min) && number <= (maximum ?? .max)
        }
    }

    /// Whether `value` is a JSON `true` or `false` (JSONSerialization gives those their own NSNumber subclass).
    static func isBoolean(_ value: Any?) -> Bool {
        guard let value else { return false }
        return ObjectIdentifier(Swift.type(of: value as AnyObject)) == Self.booleanType
    }

    private static let booleanType: ObjectIdentifier = {
        let parsed = try? JSONSerialization.jsonObject(with: Data("[true]".utf8)) as? [Any]
        return ObjectIdentifier(Swift.type(of: parsed![0] as AnyObject))
    }()

    /// Whether `value` is an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS`, optional fraction, `Z` or `±HH:MM`,
    /// with a real date and time.
    static func isRFC3339(_ value: Any?) -> Bool {
        self.rfc3339Seconds(value) != nil
    }

    /// The seconds since the epoch of an RFC 3339 date-time, or `nil` when `value` is not one.
    static func rfc3339Seconds(_ value: Any?) -> Int? {
        guard let text = value as? String else { return nil }
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var result = 0
            for byte in bytes[range] {
                guard byte >= 48 && byte <= 57 else { return nil }
                result = result * 10 + Int(byte - 48)
            }
            return result
        }
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), hour < 24, minute < 60, second < 60
        else { return nil }
        let monthDays = [31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31,
                         30, 31, 30, 31]
        guard day >= 1 && day <= monthDays[month - 1] else { return nil }
        var index = 19
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count && bytes[index] >= 48 && bytes[index] <= 57 { index += 1 }
            guard index > start else { return nil }
        }
        var offset = 0
        if index == bytes.count - 1 && (bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z")) {
            offset = 0
        } else if index == bytes.count - 6, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
            bytes[index + 3] == UInt8(ascii: ":"), let hours = number(index + 1..<index + 3),
            let minutes = number(index + 4..<index + 6), hours < 24, minutes < 60
        {
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        } else {
            return nil
        }
        var components = DateComponents()
        (components.year, components.month, components.day) = (year, month, day)
        (components.hour, components.minute, components.second) = (hour, minute, second)
        components.timeZone = TimeZone(identifier: "UTC")
        guard let date = Calendar(identifier: .gregorian).date(from: components) else { return nil }
        return Int(date.timeIntervalSince1970) - offset
    }
}
