internal import CleanRoomCore

/// A coding key for any name, so that decoders can list the keys an object holds and refuse unknown ones.
struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { self.stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == AnyKey {
    /// Refuses a key outside `allowed`, naming it, so a misspelt filter is never silently ignored.
    func requireOnly(_ allowed: Set<String>, in what: String) throws {
        for key in self.allKeys where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "\(what) has no field \(key.stringValue) (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func decodeIfPresent<T: Decodable>(_ name: String) throws -> T? {
        try self.decodeIfPresent(T.self, forKey: AnyKey(name))
    }

    func decode<T: Decodable>(_ name: String) throws -> T {
        try self.decode(T.self, forKey: AnyKey(name))
    }

    /// An ISO 8601 period (`P90D`), if present.
    func period(_ name: String) throws -> Policy.Period? {
        guard let text: String = try self.decodeIfPresent(name) else { return nil }
        guard let period = Policy.Period(iso8601: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: AnyKey(name), in: self, debugDescription: "not an ISO 8601 period such as P90D or P1Y")
        }
        return period
    }
}

extension Condition: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        if container.contains(AnyKey("attribute")) {
            self = .attribute(try AttributeCondition(from: decoder))
        } else if container.contains(AnyKey("event")) {
            self = .event(try EventCondition(from: decoder))
        } else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: "a condition names an attribute or an event"))
        }
    }
}

extension AttributeCondition: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        try container.requireOnly(["attribute", "equals", "in", "notIn"], in: "an attribute condition")
        let attribute: String = try container.decode("attribute")
        let given = ["equals", "in", "notIn"].filter { container.contains(AnyKey($0)) }
        guard given.count == 1, let form = given.first else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription: "an attribute condition has exactly one of equals, in, notIn"))
        }
        let values: [ScalarText] =
            form == "equals" ? [try container.decode(form)] : try container.decode(form)
        guard !values.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: AnyKey(form), in: container, debugDescription: "the list of values is empty")
        }
        self.init(attribute: attribute, values: values.map(\.text), negated: form == "notIn")
    }
}

extension EventCondition: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        try container.requireOnly(
            ["event", "item", "within", "minCount", "maxCount", "minAmount", "maxAmount", "lastWithin", "lastBefore",
             "firstWithin"],
            in: "an event condition")
        self.init(event: try container.decode("event"))
        self.item = try container.decodeIfPresent("item")
        self.within = try container.period("within")
        self.minCount = try container.decodeIfPresent("minCount") ?? 1
        self.maxCount = try container.decodeIfPresent("maxCount")
        self.minAmount = try container.decodeIfPresent("minAmount")
        self.maxAmount = try container.decodeIfPresent("maxAmount")
        self.lastWithin = try container.period("lastWithin")
        self.lastBefore = try container.period("lastBefore")
        self.firstWithin = try container.period("firstWithin")
        guard self.minCount >= 0, (self.maxCount ?? 0) >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: AnyKey("minCount"), in: container, debugDescription: "counts are not negative")
        }
        if self.minCount == 0 && self.maxCount == nil {
            throw DecodingError.dataCorruptedError(
                forKey: AnyKey("minCount"), in: container,
                debugDescription: "minCount 0 without maxCount matches everyone; leave the condition out")
        }
    }
}

/// A JSON or YAML scalar read as text: attribute values are compared as the text they were ingested as.
struct ScalarText: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.text = text
        } else if let flag = try? container.decode(Bool.self) {
            self.text = flag ? "true" : "false"
        } else if let number = try? container.decode(Int.self) {
            self.text = String(number)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a value is a string, a whole number or a boolean")
        }
    }
}
