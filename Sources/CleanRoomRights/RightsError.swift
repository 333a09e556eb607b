/// Why a rights request or a purpose decision could not be carried out.
public struct RightsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for programs.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { self.rawValue }

        /// The purpose is not declared by the policy.
        public static let unknownPurpose = Code(rawValue: "unknown_purpose")
        /// The identifier given to find the person is not valid for its kind.
        public static let invalidIdentifier = Code(rawValue: "invalid_identifier")
        /// A withdrawal names a purpose that does not rest on consent.
        public static let notConsentBased = Code(rawValue: "not_consent_based")
        /// The erasure is done and audited, but the write-ahead log could not be cleared of the destroyed key yet.
        public static let checkpointPending = Code(rawValue: "checkpoint_pending")
    }

    /// What went wrong.
    public var code: Code
    /// What went wrong and what to do, never naming an identifier.
    public var message: String

    /// An error with its code and message.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(self.code): \(self.message)" }
}
