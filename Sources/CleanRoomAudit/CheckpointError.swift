/// A checkpoint (c2sp.org/tlog-checkpoint) whose text breaks the format, or that belongs to another log.
///
/// The message names the line and the rule it breaks.
public struct CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The code's stable snake_case name, such as `malformed_size`.
        public var description: String { self.name }

        /// The text has fewer than three lines, or does not end with a newline.
        public static let missingLines = Code("missing_lines")
        /// The origin (line 1) is empty or holds a control character.
        public static let malformedOrigin = Code("malformed_origin")
        /// The tree size (line 2) is not a decimal number without leading zeros that fits 64 bits.
        public static let malformedSize = Code("malformed_size")
        /// The root hash (line 3) is not canonical standard Base64 of 32 bytes.
        public static let malformedRootHash = Code("malformed_root_hash")
        /// An extension line (line 4 on) is empty or holds a control character.
        public static let malformedExtension = Code("malformed_extension")
        /// A `time` extension line is not `time YYYY-MM-DDTHH:MM:SSZ` (RFC 3339, UTC, whole seconds), or there
        /// are several.
        public static let malformedTime = Code("malformed_time")
        /// The checkpoint's origin is not the log the caller expects.
        public static let originMismatch = Code("origin_mismatch")
    }

    /// The kind of failure.
    public var code: Code
    /// What is wrong, in words a user can act on.
    public var message: String

    /// Creates an error of kind `code` described by `message`.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message, as in `malformed_size: line 2, the tree size, has a leading zero`.
    public var description: String { "\(self.code): \(self.message)" }
}
