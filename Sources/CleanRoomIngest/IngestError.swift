/// An error that stops a whole ingest (a bad row is an ``IngestReject`` instead, and the rest goes on).
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The code's snake-case name.
        public var description: String { self.name }

        /// The input cannot be opened or read.
        public static let unreadableInput = Code("unreadable_input")
        /// The input is not UTF-8.
        public static let wrongEncoding = Code("wrong_encoding")
        /// The input is not of its format (a CSV without a header, a header column the policy does not know).
        public static let malformedInput = Code("malformed_input")
        /// The options do not fit the input.
        public static let invalidOptions = Code("invalid_options")
        /// An output beside the input (the rejects file) cannot be written.
        public static let unwritableOutput = Code("unwritable_output")
        /// The database breaks one of its own rules (a person without a data key).
        public static let inconsistentStore = Code("inconsistent_store")
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(self.code): \(self.message)" }
}
