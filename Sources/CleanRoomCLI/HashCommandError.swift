/// A failure of `cleanroom hash` to read its inputs or to write its output.
///
/// The message names an input by its position (`input 2`) and the output by its option, never by the text typed:
/// a value typed where a file was expected (`cleanroom hash --kind email jane@example.com`) must not be echoed.
/// It never holds a value read either (DESIGN.md section 6.7).
struct HashCommandError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The snake-case name.
        var description: String { self.name }

        /// An input does not exist or may not be read.
        static let unreadableInput = Code("unreadable_input")
        /// An input is a folder.
        static let inputIsFolder = Code("input_is_folder")
        /// Reading an input failed part way (an I/O error).
        static let readFailed = Code("read_failed")
        /// A CSV input has no header row.
        static let missingHeaderRow = Code("missing_header_row")
        /// A CSV input's header row has no column of the name `--column` gives.
        static let missingColumn = Code("missing_column")
        /// The output is the same file as an input, which writing would destroy.
        static let outputIsInput = Code("output_is_input")
        /// The output is a folder.
        static let outputIsFolder = Code("output_is_folder")
        /// The output, or its temporary file, cannot be created.
        static let outputNotWritable = Code("output_not_writable")
        /// Writing, saving or renaming the output failed.
        static let writeFailed = Code("write_failed")
    }

    /// The kind of failure.
    var code: Code
    /// What went wrong and what to do.
    var message: String

    /// Creates an error; `message` must name no path typed and no value read.
    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message, as the command prints it.
    var description: String { self.message }
}
