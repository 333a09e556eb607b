/// An error reading, creating or using the keyring under `keys/`.
///
/// The message names the file or directory concerned and says how to fix it; it never holds key material.
public struct KeyringError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The code's stable snake_case name, such as `insecure_permissions`.
        public var description: String { self.name }

        /// The keys directory or a key file can be read or written by group or others.
        public static let insecurePermissions = Code("insecure_permissions")
        /// The keys directory, a key file or a key-encryption key version is absent.
        public static let missingKey = Code("missing_key")
        /// A key file is not in the key file format, holds the wrong kind of key, or disagrees with
        /// its partner file.
        public static let malformedKey = Code("malformed_key")
        /// The operating system refused a file operation (the message carries its reason).
        public static let fileSystemFailure = Code("file_system_failure")
        /// Another process changed the keyring at the same time (for example rotated the same version).
        public static let conflict = Code("conflict")
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong and how to fix it.
    public var message: String
    /// The file or directory concerned.
    public var path: String

    /// Creates an error of kind `code` about `path`.
    public init(code: Code, message: String, path: String) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// The code and the message.
    public var description: String { "\(self.code): \(self.message)" }
}
