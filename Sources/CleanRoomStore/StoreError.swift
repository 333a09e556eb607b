/// An error from the store.
///
/// Messages name the operation, the table or field and the reason; they never hold a stored value
/// (no identifier, pseudonym, sealed value, key or subject id), so they are safe to log and to show.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public var code: Code
    /// What went wrong and what to do about it.
    public var message: String

    /// Creates an error with a code and a message.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message, for logs.
    public var description: String { "StoreError(\(self.code)): \(self.message)" }

    /// The kinds of store failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case cannotOpen = "cannot open"
            case corrupt
            case newerSchema = "newer schema"
            case busy
            case constraint
            case readOnly = "read only"
            case diskFull = "disk full"
            case io = "I/O"
            case invalidArgument = "invalid argument"
            case database
            case notFound = "not found"
            case insecurePermissions = "insecure permissions"
        }

        private let wrapped: Wrapped

        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// A short name of the code (`corrupt`, `busy`, …).
        public var description: String { self.wrapped.rawValue }

        /// The file could not be opened or created (missing directory, permissions).
        public static let cannotOpen = Code(.cannotOpen)
        /// The file is not a database, or the integrity check on open found damage.
        public static let corrupt = Code(.corrupt)
        /// The file was migrated by a newer CleanRoom than this one.
        public static let newerSchema = Code(.newerSchema)
        /// Another process held the database locked for longer than the busy timeout.
        public static let busy = Code(.busy)
        /// A row broke a schema rule: a duplicate key, an unknown subject, a value out of range.
        public static let constraint = Code(.constraint)
        /// A write was attempted on a read-only handle or file.
        public static let readOnly = Code(.readOnly)
        /// The disk or the database reached its size limit.
        public static let diskFull = Code(.diskFull)
        /// The operating system failed to read or write the file.
        public static let io = Code(.io)
        /// The caller passed a value the store refuses before touching the database.
        public static let invalidArgument = Code(.invalidArgument)
        /// Any other SQLite failure.
        public static let database = Code(.database)
        /// The database file does not exist, and the caller asked not to create it.
        public static let notFound = Code(.notFound)
        /// The database file can be read or written by group or others.
        public static let insecurePermissions = Code(.insecurePermissions)
    }
}
