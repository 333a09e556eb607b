extension Policy {
    /// Someone who may call the service, and what they may do.
    public struct Principal: Sendable, Equatable {
        /// The principal's name, as in `--as NAME` and the audit log.
        public let name: String
        /// What the principal is.
        public let role: Role
        /// The partner organization, for a partner principal; `nil` for every other role.
        public let partner: String?
        /// The purposes the principal may query for.
        public let purposes: Set<String>
        /// The attributes the principal may group and filter by.
        public let dimensions: Set<String>
        /// The metrics the principal may compute.
        public let metrics: Set<Metric>
        /// The segments (of `policies/segments.yaml`) the principal may use.
        public let segments: Set<String>
    }

    /// The role of a principal (DESIGN.md section 1).
    public enum Role: String, Sendable, Hashable, CaseIterable {
        /// The brand, data controller: ingests data, handles rights requests, queries aggregates.
        case owner
        /// A publisher or advertiser: uploads hashed audiences and queries aggregates.
        case partner
        /// A DPO, regulator or external auditor: reads and verifies the audit log.
        case auditor
        /// Manages keys, principals and policies.
        case admin
    }

    /// A number an aggregate query may compute.
    public enum Metric: String, Sendable, Hashable, CaseIterable {
        /// Distinct people.
        case people
        /// Events.
        case events
        /// The sum of event amounts.
        case amountSum = "amount_sum"
        /// The mean event amount.
        case amountAverage = "amount_avg"
        /// The share of people with a conversion event.
        case conversionRate = "conversion_rate"
        /// The mean number of days since each person's last purchase.
        case recencyDaysAverage = "recency_days_avg"
        /// The mean number of purchases per person.
        case frequencyAverage = "frequency_avg"
        /// The mean amount spent per person.
        case monetaryAverage = "monetary_avg"
    }
}
