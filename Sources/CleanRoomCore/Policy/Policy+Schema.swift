extension Policy {
    /// What may be ingested: data categories with their retention, attributes and event types.
    public struct Schema: Sendable, Equatable {
        /// The data categories, in declared order.
        public let categories: [DataCategory]
        /// The attributes a customer record may carry, in declared order.
        public let attributes: [Attribute]
        /// The event types that may be ingested, in declared order.
        public let eventTypes: [EventType]

        /// The data category called `name`, if declared.
        public func category(named name: String) -> DataCategory? {
            self.categories.first { $0.name == name }
        }

        /// The attribute called `name`, if declared.
        public func attribute(named name: String) -> Attribute? {
            self.attributes.first { $0.name == name }
        }

        /// The event type called `name`, if declared.
        public func eventType(named name: String) -> EventType? {
            self.eventTypes.first { $0.name == name }
        }
    }

    /// A category of personal data, such as `profile` or `transactions`, and how long it is kept.
    public struct DataCategory: Sendable, Equatable {
        /// The category's name.
        public let name: String
        /// What the category holds (shown in records of processing), if given.
        public let description: String?
        /// How long data of this category is kept after it was recorded.
        public let retention: Period
    }

    /// An attribute of a customer, such as `country` or `age_band`.
    public struct Attribute: Sendable, Equatable {
        /// The attribute's name: its key in a record's `attributes` and its CSV column.
        public let name: String
        /// The values the attribute may take.
        public let valueType: ValueType
        /// Whether the attribute could help single a person out when combined with others (age band,
        /// city, ...), so the privacy guards treat it with care.
        public let isQuasiIdentifier: Bool
        /// The name of the data category the attribute belongs to (its retention).
        public let category: String
    }

    /// The values an attribute may take.
    public enum ValueType: Sendable, Equatable {
        /// Any text.
        case string
        /// One of a fixed list of values, in declared order.
        case enumeration(values: [String])
        /// A whole number, optionally within bounds (inclusive).
        case integer(minimum: Int?, maximum: Int?)
        /// `true` or `false`.
        case boolean

        /// The type's name in a policy file: `string`, `enum`, `integer` or `boolean`.
        public var name: String {
            switch self {
            case .string: "string"
            case .enumeration: "enum"
            case .integer: "integer"
            case .boolean: "boolean"
            }
        }
    }

    /// A kind of event, such as `visit` or `purchase`.
    public struct EventType: Sendable, Equatable {
        /// The event type's name, as in an event record's `event` field.
        public let name: String
        /// The name of the data category the events belong to (their retention).
        public let category: String
        /// Whether events of this type may carry an amount and its currency.
        public let allowsAmount: Bool
        /// Whether events of this type may carry items (product ids).
        public let allowsItems: Bool
    }
}
