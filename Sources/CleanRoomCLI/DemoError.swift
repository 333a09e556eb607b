/// A failure of `cleanroom demo` to read its input or to write its output.
///
/// Messages name files by their role (the `--out` folder, the CDNOW file) and never hold a value read.
struct DemoError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The snake-case name.
        var description: String { self.name }

        /// The `--out` folder cannot be created, or is not a folder.
        static let outputFolderUnusable = Code("output_folder_unusable")
        /// An output file cannot be created.
        static let outputNotWritable = Code("output_not_writable")
        /// Writing or saving an output file failed.
        static let writeFailed = Code("write_failed")
        /// The input file does not exist or may not be read.
        static let unreadableInput = Code("unreadable_input")
        /// The input file holds no valid line at all.
        static let noValidLines = Code("no_valid_lines")
    }

    /// The kind of failure.
    var code: Code
    /// What went wrong and what to do.
    var message: String

    /// Creates an error; `message` must hold no value read from the data.
    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message, as the command prints it.
    var description: String { self.message }
}
