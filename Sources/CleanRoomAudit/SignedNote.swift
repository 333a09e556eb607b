public import CleanRoomCrypto

/// A text signed by one or more keys, in the signed note format of c2sp.org/signed-note (the format of Go's
/// `golang.org/x/mod/sumdb/note` and of transparency-log checkpoints):
///
/// ```
/// <text, ending with a newline>
///
/// — <key name> <base64(4-byte key ID ‖ signature)>
/// ```
///
/// The text must be ignored unless ``open(note:verifier:)`` accepts the note. CleanRoom signs with Ed25519
/// only.
///
/// One rule is stricter than the specification: no line of the text may start with an em dash (U+2014),
/// so that no text line can pass for a signature line, to a reader or to a tool that splits the note at
/// its first blank line.
public struct SignedNote: Sendable, Hashable {
    /// One signature line of a note, `— <key name> <base64(key ID ‖ signature)>`.
    public struct Signature: Sendable, Hashable {
        /// The name of the signing key.
        public let keyName: String
        /// The key ID of the signing key.
        public let keyID: UInt32
        /// The signature proper, after the key ID: 64 bytes for Ed25519.
        public let signature: [UInt8]

        /// The line without its newline.
        var line: String {
            "— \(self.keyName) \(NoteBase64.encode(NoteVerifier.bytes(bigEndian: self.keyID) + self.signature))"
        }
    }

    /// The most signature lines a note may have; the specification asks verifiers to take at least 16.
    public static let maximumSignatureCount = 100

    /// The signed text, ending with a newline.
    public let text: String
    /// The signature lines, in note order, verified or not.
    public let signatures: [Signature]

    private static let emDash: [UInt8] = Array("—".utf8)
    private static let emDashAndSpace: [UInt8] = Array("— ".utf8)
    private static let newline = UInt8(ascii: "\n")

    /// Splits a note into its text and signature lines and checks the format; verifies no signature.
    ///
    /// The text ends at the last blank line. The note must be free of ASCII control characters other than
    /// newline, every line after the blank line must be a well-formed signature line ending with a newline,
    /// and no line of the text may start with an em dash.
    ///
    /// - Throws: ``SignedNoteError`` naming the line and the rule it breaks.
    public init(parsing note: String) throws {
        let bytes = Array(note.utf8)
        try Self.rejectControlCharacters(in: bytes)
        guard let split = Self.lastBlankLine(in: bytes) else {
            throw SignedNoteError(
                code: .missingSignatures,
                message: "the note has no blank line followed by signature lines: it is not signed"
            )
        }
        let text = Array(bytes[...split])
        let block = bytes[(split + 2)...]
        guard !block.isEmpty else {
            throw SignedNoteError(code: .missingSignatures, message: "no signature line follows the blank line")
        }
        let firstLine = text.count { $0 == Self.newline } + 2
        guard block.last == Self.newline else {
            throw SignedNoteError(
                code: .malformedSignatureLine,
                message: "the last signature line does not end with a newline"
            )
        }
        let lines = block.dropLast().split(separator: Self.newline, omittingEmptySubsequences: false)
        guard lines.count <= Self.maximumSignatureCount else {
            throw SignedNoteError(
                code: .tooManySignatures,
                message: "the note has \(lines.count) signature lines; at most \(Self.maximumSignatureCount) are read"
            )
        }
        try Self.validateText(text)
        self.text = String(decoding: text, as: UTF8.self)
        self.signatures = try lines.enumerated().map { offset, line in
            try Self.parseSignatureLine(Array(line), number: firstLine + offset)
        }
    }

    private init(text: String, signatures: [Signature]) {
        self.text = text
        self.signatures = signatures
    }

    /// The note: the text, a blank line, and one line per signature.
    var note: String {
        self.text + "\n" + self.signatures.map { $0.line + "\n" }.joined()
    }

    /// Signs `text` with `key` under the key name `name`, and returns the signed note:
    /// the text, a blank line, and `— <name> <base64(key ID ‖ Ed25519 signature)>` with a final newline.
    ///
    /// The key ID is ``NoteVerifier/keyID(name:publicKey:)``. Ed25519 is deterministic, so one text, name and
    /// key always give the same note.
    ///
    /// - Throws: ``SignedNoteError/Code/malformedText`` when the text does not end with a newline or a line of
    ///   it starts with an em dash, ``SignedNoteError/Code/invalidCharacter`` for a control character other
    ///   than newline, ``SignedNoteError/Code/invalidKeyName`` for a bad name, and ``CryptoError`` when
    ///   signing fails.
    public static func sign(text: String, name: String, key: Ed25519PrivateKey) throws -> String {
        let bytes = Array(text.utf8)
        try Self.rejectControlCharacters(in: bytes)
        try Self.validateText(bytes)
        let verifier = try NoteVerifier(name: name, publicKey: key.publicKey)
        let signature = Signature(keyName: name, keyID: verifier.keyID, signature: try key.signature(for: bytes))
        return SignedNote(text: text, signatures: [signature]).note
    }

    /// Checks `note` and returns its text when `verifier`'s key has signed it.
    ///
    /// Following c2sp.org/signed-note: signature lines of other keys (another name, or another key ID) are
    /// ignored; every line with the verifier's name and key ID must verify; at least one must be there.
    ///
    /// - Throws: the format errors of ``init(parsing:)``; ``SignedNoteError/Code/invalidSignature`` when a
    ///   line of the verifier's key does not verify; ``SignedNoteError/Code/unverified`` when no line is by
    ///   the verifier's key.
    public static func open(note: String, verifier: NoteVerifier) throws -> String {
        let parsed = try SignedNote(parsing: note)
        let trusted = parsed.signatures.filter { $0.keyName == verifier.name && $0.keyID == verifier.keyID }
        guard !trusted.isEmpty else {
            throw SignedNoteError(
                code: .unverified,
                message: "the note has no signature by the trusted key \(verifier.name)+\(verifier.hexKeyID)"
                    + " (\(parsed.signatures.count) signature lines by other keys)"
            )
        }
        let message = Array(parsed.text.utf8)
        for signature in trusted where !verifier.publicKey.isValidSignature(signature.signature, for: message) {
            throw SignedNoteError(
                code: .invalidSignature,
                message: "the signature by \(verifier.name)+\(verifier.hexKeyID) does not verify: the note was"
                    + " changed after signing, or the signature line was forged"
            )
        }
        return parsed.text
    }

    /// Checks a key name: non-empty, without Unicode white space, plus sign or control character.
    static func validateKeyName(_ name: String) throws {
        guard !name.isEmpty else {
            throw SignedNoteError(code: .invalidKeyName, message: "a key name must not be empty")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0 == "+" || $0.value < 0x20 })
        else {
            throw SignedNoteError(
                code: .invalidKeyName,
                message: "a key name must hold no space, plus sign or control character"
            )
        }
    }

    /// Refuses ASCII control characters other than newline.
    private static func rejectControlCharacters(in bytes: [UInt8]) throws {
        guard let index = bytes.firstIndex(where: { $0 < 0x20 && $0 != Self.newline }) else { return }
        let line = bytes[..<index].count { $0 == Self.newline } + 1
        throw SignedNoteError(
            code: .invalidCharacter,
            message: "line \(line) holds the control character 0x\(Hex.encode([bytes[index]])); a signed note holds"
                + " no control character but newline"
        )
    }

    /// Checks the text of a note: it ends with a newline, and no line starts with an em dash.
    private static func validateText(_ text: [UInt8]) throws {
        guard text.last == Self.newline else {
            throw SignedNoteError(code: .malformedText, message: "the text of a signed note must end with a newline")
        }
        let lines = text.dropLast().split(separator: Self.newline, omittingEmptySubsequences: false)
        if let number = lines.firstIndex(where: { $0.starts(with: Self.emDash) }) {
            throw SignedNoteError(
                code: .malformedText,
                message: "line \(number + 1) of the text starts with an em dash, which only signature lines may"
            )
        }
    }

    /// Reads `— <key name> <base64(key ID ‖ signature)>`.
    private static func parseSignatureLine(_ line: [UInt8], number: Int) throws -> Signature {
        guard line.starts(with: Self.emDashAndSpace) else {
            throw SignedNoteError(
                code: .malformedSignatureLine,
                message: "line \(number) is not a signature line: it must start with an em dash (U+2014) and a space"
            )
        }
        let rest = line.dropFirst(Self.emDashAndSpace.count)
        guard let space = rest.firstIndex(of: UInt8(ascii: " ")) else {
            throw SignedNoteError(
                code: .malformedSignatureLine,
                message: "signature line \(number) has no space between the key name and the signature"
            )
        }
        let name = String(decoding: rest[..<space], as: UTF8.self)
        try Self.validateKeyName(name)
        let encoded = String(decoding: rest[(space + 1)...], as: UTF8.self)
        guard let decoded = NoteBase64.decode(encoded) else {
            throw SignedNoteError(
                code: .malformedSignatureLine,
                message: "the signature on line \(number) is not standard Base64 with padding"
            )
        }
        guard decoded.count > 4 else {
            throw SignedNoteError(
                code: .malformedSignatureLine,
                message: "the signature on line \(number) is \(decoded.count) bytes, shorter than a key ID and"
                    + " a signature"
            )
        }
        return Signature(
            keyName: name,
            keyID: NoteVerifier.keyID(bigEndian: decoded.prefix(4)),
            signature: Array(decoded.dropFirst(4))
        )
    }

    /// The index of the first newline of the last "\n\n" in `bytes`.
    private static func lastBlankLine(in bytes: [UInt8]) -> Int? {
        var index = bytes.count - 2
        while index >= 0 {
            if bytes[index] == Self.newline, bytes[index + 1] == Self.newline { return index }
            index -= 1
        }
        return nil
    }
}
