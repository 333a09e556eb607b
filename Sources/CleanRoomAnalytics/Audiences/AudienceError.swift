/// Why an audience upload, listing or deletion was refused or could not be done.
///
/// A malformed upload names the line (and, in a CSV, the column) at fault, never its value; a refusal by the policy
/// names the ``rule``. No message names a hash, a pseudonym or a person, and none tells an unknown audience from
/// another partner's.
public struct AudienceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for programs (and the HTTP status a service maps it to).
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { self.rawValue }

        /// The upload is not a list of match hashes nor a Customer Match CSV of them (HTTP 400).
        public static let invalidUpload = Code(rawValue: "invalid_upload")
        /// The upload holds more distinct match hashes than allowed (HTTP 413).
        public static let tooManyHashes = Code(rawValue: "too_many_hashes")
        /// The principal may not hold audiences (HTTP 403).
        public static let forbidden = Code(rawValue: "forbidden")
        /// No audience of the principal has this id: unknown, expired, deleted or another's (HTTP 404).
        public static let notFound = Code(rawValue: "not_found")
        /// The audience could not be stored, read or audited, so nothing was done (HTTP 503).
        public static let unavailable = Code(rawValue: "unavailable")
    }

    /// What went wrong.
    public var code: Code
    /// What was wrong and what to do.
    public var message: String
    /// The line of the upload at fault (1 for the first), for a malformed upload.
    public var line: Int?
    /// The policy rule that refused the request (`role.audience`, `principal.purpose`).
    public var rule: String?

    /// An error with its code, message, and the line or rule it concerns.
    public init(code: Code, message: String, line: Int? = nil, rule: String? = nil) {
        self.code = code
        self.message = message
        self.line = line
        self.rule = rule
    }

    public var description: String {
        var text = "\(self.code): \(self.message)"
        if let rule { text += " [rule \(rule)]" }
        return text
    }

    static func invalid(_ message: String, line: Int? = nil) -> AudienceError {
        AudienceError(code: .invalidUpload, message: message, line: line)
    }
}
