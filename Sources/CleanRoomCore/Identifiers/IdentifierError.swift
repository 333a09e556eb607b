/// Why a raw identifier was rejected, named by the field it came from.
///
/// The message says what is wrong and what to do about it. It never holds the raw value, its hash or any part
/// of it (DESIGN.md section 6.7), so the error can go into a log line, an HTTP answer or a reject file as is.
public struct IdentifierError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, stable across releases so that callers can count and match on it.
    public struct Code: Hashable, Sendable, Comparable, CustomStringConvertible {
        /// The snake-case name of the code, as it appears in summaries and reject files.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// The snake-case name.
        public var description: String { self.name }

        /// Orders codes by name, as summaries list them.
        public static func < (lhs: Code, rhs: Code) -> Bool { lhs.name < rhs.name }

        /// Nothing is left once surrounding white space is removed.
        public static let empty = Code("empty")
        /// White space inside a value where none is allowed.
        public static let whitespaceInside = Code("whitespace_inside")
        /// A control character (Unicode category Cc), such as NUL or a bell, inside the value.
        public static let controlCharacter = Code("control_character")
        /// An invisible format character (Unicode category Cf, such as a zero-width space or a byte order mark),
        /// or in an e-mail address one of `< > ( ) [ ] \ , ; : "`, which only display names, lists, `mailto:`
        /// links and quoted local parts hold; no ad platform takes a quoted local part.
        public static let invalidCharacter = Code("invalid_character")
        /// The bytes of the value are not valid UTF-8.
        public static let invalidEncoding = Code("invalid_encoding")
        /// The value is longer than any real identifier of its kind.
        public static let tooLong = Code("too_long")
        /// An e-mail address without an `@`.
        public static let missingAt = Code("missing_at")
        /// An e-mail address with more than one `@`.
        public static let multipleAt = Code("multiple_at")
        /// Nothing before the `@`, also when an e-mail profile removes everything there (`+x@gmail.com`).
        public static let emptyLocalPart = Code("empty_local_part")
        /// Nothing after the `@`.
        public static let emptyDomain = Code("empty_domain")
        /// A domain without a dot, or with an empty label (`a..com`, `.com`, `com.`).
        public static let invalidDomain = Code("invalid_domain")
        /// libphonenumber could not parse the phone number, or it is not a valid number.
        public static let invalidPhone = Code("invalid_phone")
        /// A national phone number (no `+` and country code) with no region to read it in.
        public static let missingRegion = Code("missing_region")
        /// A region that is not an ISO 3166-1 alpha-2 code libphonenumber knows.
        public static let unknownRegion = Code("unknown_region")
        /// The all-zero advertising id a device reports when the user limits ad tracking.
        public static let allZeroDeviceID = Code("all_zero_device_id")
        /// A device id that is not 32 hexadecimal digits (with or without hyphens and braces).
        public static let invalidDeviceID = Code("invalid_device_id")
        /// A match hash that is neither 64 hexadecimal nor 44 Base64 characters encoding 32 bytes.
        public static let invalidHash = Code("invalid_hash")
    }

    /// The kind of failure.
    public var code: Code
    /// The field the value came from: an identifier kind (`email`) or the column name of an input file.
    public var field: String
    /// Why the value was rejected and what to do, without the value itself.
    public var message: String

    /// Creates an error for `field`; `message` must not contain the rejected value.
    public init(code: Code, field: String, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// `field: message [code]`, safe for any log line.
    public var description: String { "\(self.field): \(self.message) [\(self.code)]" }
}

extension IdentifierError {
    /// An error for a value of `kind`, named by the kind's raw value.
    init(_ code: Code, _ kind: IdentifierKind, _ message: String) {
        self.init(code: code, field: kind.rawValue, message: message)
    }
}
