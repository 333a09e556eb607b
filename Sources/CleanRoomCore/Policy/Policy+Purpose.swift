extension Policy {
    /// A purpose data may be used for, such as `analytics` or `ads_measurement`.
    public struct Purpose: Sendable, Equatable {
        /// The purpose's name, named by every query (lowercase letters, digits and `_`).
        public let name: String
        /// What the purpose is, in words a data subject understands (shown in records of processing).
        public let description: String
        /// The GDPR Art. 6 basis that makes processing for this purpose lawful.
        public let lawfulBasis: LawfulBasis
        /// The consent signal this purpose reads: the key in an ingested record's `consent` object, the
        /// `consent_<signal>` CSV column and the `purpose` of a consent record. For a consent purpose it
        /// must be granted; for a legitimate-interest purpose `false` records an objection. Defaults to
        /// the purpose's name; several purposes may share one signal.
        public let consentSignal: String
        /// Whether this is direct marketing, where an objection is absolute (GDPR Art. 21(3)).
        public let isDirectMarketing: Bool
        /// The IAB TCF v2.2 purposes (1–11) that together stand for this purpose in a TC string; all of
        /// them must be granted. Empty when TC strings do not speak for this purpose.
        public let tcfPurposes: Set<Int>
    }

    /// The lawful basis of a purpose (GDPR Art. 6(1)(a) and (f)).
    public enum LawfulBasis: String, Sendable, Hashable, CaseIterable {
        /// The person's consent, given and not withdrawn.
        case consent
        /// The controller's legitimate interest, unless the person objects.
        case legitimateInterest = "legitimate_interest"
    }
}
