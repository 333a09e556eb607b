/// A policy file that cannot be read, parsed or validated, with the place of the problem.
///
/// The loader collects every problem it finds; the thrown error is the first in the file, and
/// ``additionalErrors`` holds the rest in file order. ``description`` reads like a compiler message,
/// `policies/default.yaml:42:7: unknown purpose 'ads' in principal 'publisher-a' (known: analytics, ...)`.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// The file could not be read, or is not UTF-8 text.
        public static let unreadableFile = Code(name: "unreadableFile")
        /// The text is not well-formed YAML (indentation, quoting, tabs, several documents, ...).
        public static let yamlSyntax = Code(name: "yamlSyntax")
        /// A mapping has the same key twice.
        public static let duplicateKey = Code(name: "duplicateKey")
        /// A key the policy format does not have (often a typo).
        public static let unknownKey = Code(name: "unknownKey")
        /// A required key is absent.
        public static let missingKey = Code(name: "missingKey")
        /// A value of the wrong shape: text where a number belongs, a list where a mapping belongs, ...
        public static let wrongType = Code(name: "wrongType")
        /// A value of the right type that is not allowed (k below 2, a malformed period, ...).
        public static let invalidValue = Code(name: "invalidValue")
        /// A name that refers to nothing declared (a principal's purpose, an attribute's category, ...).
        public static let unknownReference = Code(name: "unknownReference")
        /// Two entries of one list with the same name.
        public static let duplicateName = Code(name: "duplicateName")

        /// The code's name, such as `unknownKey`.
        public var description: String { self.name }
    }

    /// What kind of problem it is.
    public var code: Code
    /// What is wrong and what to do about it.
    public var message: String
    /// The policy file, as named to the loader.
    public var file: String
    /// The line of the problem, from 1; 0 when the problem concerns the whole file.
    public var line: Int
    /// The column of the problem, from 1 (counted in Unicode scalars); 0 when the problem concerns the
    /// whole file.
    public var column: Int
    /// The other problems found in the same file, in file order.
    public var additionalErrors: [PolicyError]

    /// Creates an error at a place in a policy file.
    public init(
        code: Code,
        message: String,
        file: String,
        line: Int,
        column: Int,
        additionalErrors: [PolicyError] = []
    ) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.additionalErrors = additionalErrors
    }

    /// `FILE:LINE:COLUMN: MESSAGE`, or `FILE: MESSAGE` for a problem with the whole file.
    public var description: String {
        self.line > 0 ? "\(self.file):\(self.line):\(self.column): \(self.message)" : "\(self.file): \(self.message)"
    }

    /// Every problem found, one ``description`` a line, in file order.
    public var report: String {
        ([self] + self.additionalErrors).map(\.description).joined(separator: "\n")
    }
}
