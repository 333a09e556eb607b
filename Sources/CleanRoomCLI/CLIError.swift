/// An error of the `cleanroom` command itself, as opposed to one from the library it calls.
struct CLIError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        var description: String { self.name }

        /// A path that must be a folder is something else.
        static let notAFolder = Code("not_a_folder")
        /// An output file cannot be written.
        static let unwritableOutput = Code("unwritable_output")
    }

    /// The kind of failure.
    var code: Code
    /// What went wrong and what to do.
    var message: String

    var description: String { self.message }
}
