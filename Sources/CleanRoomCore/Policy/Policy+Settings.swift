extension Policy {
    /// The data controller a policy speaks for.
    public struct Controller: Sendable, Equatable {
        /// The controller's legal name.
        public let name: String
        /// How to reach the controller or its data-protection officer, if given.
        public let contact: String?
    }

    /// How identifiers are normalized and indexed (DESIGN.md section 4).
    public struct Identifiers: Sendable, Equatable {
        /// The ISO 3166-1 alpha-2 region for phone numbers written without a country code, when the record
        /// has no region attribute.
        public let defaultRegion: String
        /// The attribute holding a record's own ISO 3166-1 alpha-2 region for its phone numbers, if any.
        public let regionAttribute: String?
        /// The e-mail profiles every owner e-mail is indexed under.
        public let emailProfiles: Set<EmailProfile>
        /// The phone forms every owner phone number is indexed under.
        public let phoneForms: Set<PhoneForm>

        static let defaultEmailProfiles = Set(EmailProfile.allCases)
        static let defaultPhoneForms = Set(PhoneForm.allCases)
    }

    /// The privacy parameters every release obeys (DESIGN.md section 6).
    public struct Privacy: Sendable, Equatable {
        /// The minimum number of distinct people behind any released number (at least 2).
        public let k: Int
        /// The most one person adds to any released sum (their contribution is clamped), if set.
        public let contributionCap: Double?
        /// The owner principals the differencing guard does not apply to; it applies to everyone else.
        public let differencingGuardExemptions: Set<String>

        static let defaultK = 50
    }

    /// How data-subject requests are handled (DESIGN.md section 7).
    public struct Rights: Sendable, Equatable {
        /// The time allowed to answer a request, from its receipt (GDPR Art. 12(3): one month at most).
        public let deadline: Period

        static let defaultDeadline = Period(months: 1)
    }

    /// How partners' hashed audience uploads are kept.
    public struct Audiences: Sendable, Equatable {
        /// How long an upload is kept before it expires.
        public let retention: Period

        static let defaultRetention = Period(days: 30)
    }

    /// Audit log settings (DESIGN.md section 8).
    public struct Audit: Sendable, Equatable {
        /// A signed checkpoint is written every this many entries (and on shutdown).
        public let checkpointEvery: Int

        static let defaultCheckpointEvery = 1000
    }

    /// Request limits of the service.
    public struct Limits: Sendable, Equatable {
        /// The largest request body accepted, in bytes.
        public let requestBodyBytes: Int
        /// The most rows one ingest batch may hold.
        public let rowsPerBatch: Int
        /// The most queries one principal may run per minute.
        public let queriesPerMinute: Int
        /// The longest a request may run, in seconds.
        public let requestTimeoutSeconds: Int

        static let defaultRequestBodyBytes = 64 * 1024 * 1024
        static let defaultRowsPerBatch = 10_000
        static let defaultQueriesPerMinute = 120
        static let defaultRequestTimeoutSeconds = 30
    }
}
