public import CleanRoomCrypto

/// A trusted Ed25519 key of signed notes (c2sp.org/signed-note): a key name, the public key, and the key ID
/// that signature lines carry.
///
/// Its text form is the verifier key ("vkey") that Go's `golang.org/x/mod/sumdb/note` and the other
/// transparency-log tools read: `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`, as in
/// `PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW`.
public struct NoteVerifier: Sendable, Hashable, CustomStringConvertible {
    /// The signature type byte of Ed25519 in key IDs and verifier keys.
    static let ed25519SignatureType: UInt8 = 0x01

    /// The key name, such as `cleanroom.example/audit`.
    public let name: String
    /// The Ed25519 public key.
    public let publicKey: Ed25519PublicKey
    /// The key ID: the first four bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).
    public let keyID: UInt32

    /// Creates the verifier of `publicKey` under the key name `name`, computing its key ID.
    ///
    /// - Throws: ``SignedNoteError/Code/invalidKeyName`` when the name is empty or holds a Unicode space, a
    ///   plus sign or a control character.
    public init(name: String, publicKey: Ed25519PublicKey) throws {
        try SignedNote.validateKeyName(name)
        self.name = name
        self.publicKey = publicKey
        self.keyID = Self.keyID(name: name, publicKey: publicKey)
    }

    /// Reads a verifier key, `<name>+<8 lowercase hex digits>+<base64(0x01 ‖ 32-byte public key)>`.
    ///
    /// The Base64 part may itself hold plus signs; the name cannot.
    ///
    /// - Throws: ``SignedNoteError`` with code ``SignedNoteError/Code/malformedVerifierKey`` when the text is
    ///   not of that form, ``SignedNoteError/Code/invalidKeyName`` for a bad name,
    ///   ``SignedNoteError/Code/unsupportedAlgorithm`` when the key is not Ed25519, and
    ///   ``SignedNoteError/Code/keyIDMismatch`` when the key ID is not the one of the name and key.
    public init(verifierKey: String) throws {
        guard let firstPlus = verifierKey.firstIndex(of: "+") else {
            throw Self.malformed("it has no plus sign after the key name")
        }
        let name = String(verifierKey[..<firstPlus])
        try SignedNote.validateKeyName(name)
        let rest = Array(verifierKey.utf8[verifierKey.utf8.index(after: firstPlus)...])
        let hexID = String(decoding: rest.prefix(8), as: UTF8.self)
        guard rest.count > 9, rest[8] == UInt8(ascii: "+"),
            let idBytes = Hex.decode(hexID), Hex.encode(idBytes) == hexID
        else {
            throw Self.malformed("the key name must be followed by a plus sign, 8 lowercase hex digits and a plus sign")
        }
        guard let keyData = NoteBase64.decode(String(decoding: rest.dropFirst(9), as: UTF8.self)), !keyData.isEmpty
        else {
            throw Self.malformed("the key after the key ID is not standard Base64")
        }
        guard keyData[0] == Self.ed25519SignatureType else {
            throw SignedNoteError(
                code: .unsupportedAlgorithm,
                message: "the verifier key has signature type \(keyData[0]); only Ed25519 (1) is supported"
            )
        }
        guard keyData.count == 1 + Ed25519PublicKey.byteCount,
            let publicKey = try? Ed25519PublicKey(rawRepresentation: Array(keyData.dropFirst()))
        else {
            throw Self.malformed("an Ed25519 verifier key holds 0x01 and a 32-byte public key")
        }
        try self.init(name: name, publicKey: publicKey)
        guard self.keyID == Self.keyID(bigEndian: idBytes) else {
            throw SignedNoteError(
                code: .keyIDMismatch,
                message: "the verifier key's key ID \(Hex.encode(idBytes)) is not the one of its name and public key"
                    + " (\(self.hexKeyID)): the key was altered or copied wrongly"
            )
        }
    }

    /// The verifier key, `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`.
    public var verifierKey: String {
        let keyData = [Self.ed25519SignatureType] + self.publicKey.rawRepresentation
        return "\(self.name)+\(self.hexKeyID)+\(NoteBase64.encode(keyData))"
    }

    /// The verifier key.
    public var description: String { self.verifierKey }

    /// The key ID as 8 lowercase hex digits.
    var hexKeyID: String { Hex.encode(Self.bytes(bigEndian: self.keyID)) }

    /// Returns the Ed25519 key ID of c2sp.org/signed-note: the first four bytes, big-endian, of
    /// SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).
    public static func keyID(name: String, publicKey: Ed25519PublicKey) -> UInt32 {
        let digest = SHA256.hash(
            Array(name.utf8) + [UInt8(ascii: "\n"), Self.ed25519SignatureType] + publicKey.rawRepresentation
        )
        return Self.keyID(bigEndian: digest.prefix(4))
    }

    /// Reads a big-endian 32-bit key ID from four bytes.
    static func keyID(bigEndian bytes: some Collection<UInt8>) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Writes a 32-bit key ID as four big-endian bytes.
    static func bytes(bigEndian keyID: UInt32) -> [UInt8] {
        [UInt8(keyID >> 24 & 0xFF), UInt8(keyID >> 16 & 0xFF), UInt8(keyID >> 8 & 0xFF), UInt8(keyID & 0xFF)]
    }

    private static func malformed(_ reason: String) -> SignedNoteError {
        SignedNoteError(code: .malformedVerifierKey, message: "the verifier key is malformed: \(reason)")
    }
}
