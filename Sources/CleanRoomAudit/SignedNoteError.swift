/// A signed note (c2sp.org/signed-note) that is malformed, or whose signatures do not verify.
///
/// The message names the line and the rule it breaks; it never quotes the note's text.
public struct SignedNoteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The code's stable snake_case name, such as `invalid_signature`.
        public var description: String { self.name }

        /// The note holds an ASCII control character other than newline (a carriage return, a tab, ...).
        public static let invalidCharacter = Code("invalid_character")
        /// The text does not end with a newline, or one of its lines starts with an em dash (U+2014), which
        /// would read as a signature line.
        public static let malformedText = Code("malformed_text")
        /// The note has no blank line followed by signature lines.
        public static let missingSignatures = Code("missing_signatures")
        /// A line after the blank line is not `— <key name> <base64 signature>`, or its signature is shorter
        /// than a key ID and one byte.
        public static let malformedSignatureLine = Code("malformed_signature_line")
        /// A key name is empty, or holds a Unicode space or a plus sign.
        public static let invalidKeyName = Code("invalid_key_name")
        /// The note has more signature lines than a verifier reads.
        public static let tooManySignatures = Code("too_many_signatures")
        /// A signature line names the trusted key (name and key ID) but its signature does not verify: the
        /// text was changed, or the line was forged.
        public static let invalidSignature = Code("invalid_signature")
        /// No signature line is by the trusted key.
        public static let unverified = Code("unverified")
        /// A verifier key is not `<name>+<8 hex digits>+<base64 key>`, or its key is not 32 bytes.
        public static let malformedVerifierKey = Code("malformed_verifier_key")
        /// A verifier key is of a signature type other than Ed25519 (0x01).
        public static let unsupportedAlgorithm = Code("unsupported_algorithm")
        /// A verifier key's key ID is not the one computed from its name and public key.
        public static let keyIDMismatch = Code("key_id_mismatch")
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

    /// The code and the message, as in `invalid_signature: the signature by cleanroom.example/audit+…`.
    public var description: String { "\(self.code): \(self.message)" }
}
