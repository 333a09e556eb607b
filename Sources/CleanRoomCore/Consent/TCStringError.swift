/// Why a TC string (IAB TCF v2) was rejected.
///
/// The message names the field of the TC string and the reason, and where useful the bit offset; it never
/// holds the string or any part of it, since a TC string can serve as a tracking identifier (DESIGN.md
/// section 6.7). The error can therefore go into a log line, an HTTP answer or a reject file as is.
public struct TCStringError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, stable across releases so that callers can count and match on it.
    public struct Code: Hashable, Sendable, Comparable, CustomStringConvertible {
        /// The snake-case name of the code, as it appears in summaries and reject files.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// The snake-case name.
        public var description: String { self.name }

        /// Orders codes by name, as summaries list them.
        public static func < (lhs: Code, rhs: Code) -> Bool { lhs.name < rhs.name }

        /// The string is empty.
        public static let empty = Code("empty")
        /// A character outside the URL-safe Base64 alphabet (`A`–`Z`, `a`–`z`, `0`–`9`, `-`, `_`): white space,
        /// the standard alphabet's `+` and `/`, or `=` padding, which TC strings never carry.
        public static let malformed = Code("malformed")
        /// The Version field is not 2: a TCF v1 string (version 1, invalid since 2020) or an unknown format.
        public static let unsupportedVersion = Code("unsupported_version")
        /// The core segment ends before a field the format requires; the message names the field.
        public static let truncated = Code("truncated")
        /// Created or LastUpdated is zero, or Created is later than LastUpdated.
        public static let invalidDate = Code("invalid_date")
        /// A field holds a value the format does not define: a letter code above `Z`, restriction type 3, a
        /// publisher restriction for purpose 0.
        public static let invalidValue = Code("invalid_value")
        /// A vendor range whose end is below its start.
        public static let invalidRange = Code("invalid_range")
        /// A vendor id of 0, or above the MaxVendorId of its section.
        public static let invalidVendorID = Code("invalid_vendor_id")
        /// Legitimate interest signalled for purpose 3, 4, 5 or 6 under TCF policy version 4 or later (TCF v2.2),
        /// which prohibits it.
        public static let prohibitedLegitimateInterest = Code("prohibited_legitimate_interest")
        /// A segment after the core one that is empty, of an unknown or repeated segment type.
        public static let invalidSegment = Code("invalid_segment")
    }

    /// The kind of failure.
    public var code: Code
    /// What is wrong, naming the field, without any part of the string.
    public var message: String

    /// Creates an error; `message` must not contain the TC string or any part of it.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `TC string: message [code]`, safe for any log line.
    public var description: String { "TC string: \(self.message) [\(self.code)]" }
}
