/// An error of the audit log. Whatever fails here, nothing is answered (fail closed).
public struct AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The code's snake-case name.
        public var description: String { self.name }

        /// An entry could not be written and synced; the log accepts nothing more until it is opened again.
        public static let writeFailed = Code("write_failed")
        /// The log's files could not be read, or a folder could not be created.
        public static let readFailed = Code("read_failed")
        /// An entry or a checkpoint on disk is not what the log wrote: changed, removed, reordered, inserted.
        public static let tampered = Code("tampered")
        /// A record holds something that looks like an identifier, a hash of one or a pseudonym.
        public static let identifyingContent = Code("identifying_content")
        /// A checkpoint could not be signed or written.
        public static let checkpointFailed = Code("checkpoint_failed")
        /// A sequence number or tree size outside the log.
        public static let outOfRange = Code("out_of_range")
        /// The log was closed.
        public static let closed = Code("closed")
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong and what to do.
    public var message: String
    /// The first sequence number concerned, when there is one.
    public var sequence: Int?

    /// Creates an error.
    public init(code: Code, message: String, sequence: Int? = nil) {
        self.code = code
        self.message = message
        self.sequence = sequence
    }

    public var description: String { "\(self.code): \(self.message)" }
}
