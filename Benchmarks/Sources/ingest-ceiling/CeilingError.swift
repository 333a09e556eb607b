/// Why the ceiling could not be measured: a bad command line, a missing or unreadable source database, or a
/// SQLite failure while copying. The message names the file or table and the reason, never a row's value.
struct CeilingError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    struct Code: Hashable, Sendable {
        private let name: String

        /// The command line is not `SOURCE_DB WORK_DIR --customer-lines N --event-lines M [--batch-lines B]`.
        static let usage = Code(name: "usage")
        /// The source database is missing, unreadable or not a CleanRoom database.
        static let invalidSource = Code(name: "invalidSource")
        /// The work folder or the copy's file in it cannot be created or emptied.
        static let workDirectory = Code(name: "workDirectory")
        /// SQLite refused a statement while the copy was built or written.
        static let sqlite = Code(name: "sqlite")
    }

    var code: Code
    var message: String

    var description: String { self.message }
}
