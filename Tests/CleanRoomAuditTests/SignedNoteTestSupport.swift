import CleanRoomAudit
import CleanRoomCrypto
import Foundation

/// Decodes hexadecimal test data, ignoring white space so that long vectors can be split over lines.
func bytes(_ hex: String) -> [UInt8] {
    guard let decoded = Hex.decode(String(hex.filter { !$0.isWhitespace })) else {
        preconditionFailure("test vector is not hexadecimal: \(hex.prefix(40))")
    }
    return decoded
}

/// `keyID` as four big-endian bytes.
func bigEndian(_ keyID: UInt32) -> [UInt8] {
    [UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xFF), UInt8(keyID >> 8 & 0xFF), UInt8(keyID & 0xFF)]
}

/// A signature line written by hand, for notes the signer refuses to make: `— <name> <base64(ID ‖ signature)>`.
func signatureLine(name: String, keyID: UInt32, signature: [UInt8]) -> String {
    "— \(name) \(Data(bigEndian(keyID) + signature).base64EncodedString())\n"
}

/// Fixed keys, so that every run signs the same notes.
enum TestKeys {
    /// The key of the log under test.
    static func log() throws -> Ed25519PrivateKey {
        try Ed25519PrivateKey(rawRepresentation: [UInt8](repeating: 0x11, count: 32))
    }

    /// A key the verifier does not trust.
    static func other() throws -> Ed25519PrivateKey {
        try Ed25519PrivateKey(rawRepresentation: [UInt8](repeating: 0x22, count: 32))
    }
}

/// The published example of Go's golang.org/x/mod/sumdb/note (note.go, note_test.go, example_test.go).
enum PeterNeumann {
    static let name = "PeterNeumann"
    /// The seed inside `PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz`.
    static let seed = bytes("810a1402d5146c8d84f2443330f54080ebf98ee17d9c74f6252fc5d5c7283173")
    static let verifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let text = """
        If you think cryptography is the answer to your problem,
        then you don't know what your problem is.

        """
    static let signatureLine =
        "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let note = text + "\n" + signatureLine

    /// A second signer of the same text in note_test.go, whose private key is not published.
    static let enochVerifierKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let enochSignatureLine =
        "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
}

/// The example of c2sp.org/signed-note, section "Verifier keys".
enum C2SPExample {
    static let verifierKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    static let note = """
        This is an example message.

        — example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=

        """
}
