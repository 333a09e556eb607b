import CleanRoomAudit
import CleanRoomCrypto
import Testing

/// Published signed notes and verifier keys (Go's x/mod/sumdb/note and c2sp.org/signed-note): our verifier
/// accepts them, and our signer reproduces them byte for byte.
struct SignedNoteVectorTests {
    @Test func signerReproducesThePublishedNote() throws {
        let key = try Ed25519PrivateKey(rawRepresentation: PeterNeumann.seed)
        let note = try SignedNote.sign(text: PeterNeumann.text, name: PeterNeumann.name, key: key)
        #expect(note == PeterNeumann.note)
    }

    @Test func verifierKeyMatchesThePublishedOne() throws {
        let key = try Ed25519PrivateKey(rawRepresentation: PeterNeumann.seed)
        let verifier = try NoteVerifier(name: PeterNeumann.name, publicKey: key.publicKey)
        #expect(verifier.keyID == 0xc74f_20a3)
        #expect(verifier.verifierKey == PeterNeumann.verifierKey)
        #expect(try NoteVerifier(verifierKey: PeterNeumann.verifierKey) == verifier)
    }

    @Test func opensThePublishedNote() throws {
        let verifier = try NoteVerifier(verifierKey: PeterNeumann.verifierKey)
        #expect(try SignedNote.open(note: PeterNeumann.note, verifier: verifier) == PeterNeumann.text)
    }

    @Test func opensTheDoublySignedNoteWithEitherKey() throws {
        let note = PeterNeumann.text + "\n" + PeterNeumann.signatureLine + PeterNeumann.enochSignatureLine
        let peter = try NoteVerifier(verifierKey: PeterNeumann.verifierKey)
        let enoch = try NoteVerifier(verifierKey: PeterNeumann.enochVerifierKey)
        #expect(enoch.keyID == 0xaf0c_fe78)
        #expect(try SignedNote.open(note: note, verifier: peter) == PeterNeumann.text)
        #expect(try SignedNote.open(note: note, verifier: enoch) == PeterNeumann.text)

        let parsed = try SignedNote(parsing: note)
        #expect(parsed.signatures.map(\.keyName) == ["PeterNeumann", "EnochRoot"])
        #expect(parsed.signatures.map(\.keyID) == [0xc74f_20a3, 0xaf0c_fe78])
        #expect(parsed.signatures.allSatisfy { $0.signature.count == Ed25519PrivateKey.signatureByteCount })
    }

    @Test func refusesTheNoteWhenOnlyAnotherKeySigned() throws {
        let enoch = try NoteVerifier(verifierKey: PeterNeumann.enochVerifierKey)
        let error = #expect(throws: SignedNoteError.self) {
            try SignedNote.open(note: PeterNeumann.note, verifier: enoch)
        }
        #expect(error?.code == .unverified)
    }

    @Test func opensTheSpecificationExample() throws {
        let verifier = try NoteVerifier(verifierKey: C2SPExample.verifierKey)
        #expect(verifier.name == "example.com/foo")
        #expect(verifier.keyID == 0x530d_903a)
        #expect(verifier.verifierKey == C2SPExample.verifierKey)
        #expect(try SignedNote.open(note: C2SPExample.note, verifier: verifier) == "This is an example message.\n")
    }

    /// x/mod's TestNewVerifier: every proper substring of the key, and every one-byte change, is refused.
    @Test func refusesEveryManglingOfThePublishedVerifierKey() {
        let key = Array(PeterNeumann.verifierKey.utf8)
        var manglings: [[UInt8]] = []
        for start in 0..<key.count {
            for end in (start + 1)...key.count where start != 0 || end != key.count {
                manglings.append(Array(key[start..<end]))
            }
        }
        for index in key.indices {
            var changed = key
            changed[index] += 1
            manglings.append(changed)
        }
        let accepted = manglings.filter { mangled in
            (try? NoteVerifier(verifierKey: String(decoding: mangled, as: UTF8.self))) != nil
        }
        #expect(accepted.isEmpty, "accepted: \(accepted.map { String(decoding: $0, as: UTF8.self) })")
    }

    /// x/mod's TestNewVerifier cases with a recomputed key hash: a key of the wrong length, an unknown
    /// algorithm; and a key ID that does not match.
    @Test(arguments: [
        (
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
            SignedNoteError.Code.malformedVerifierKey
        ),
        ("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", .unsupportedAlgorithm),
        ("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", .keyIDMismatch),
        ("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", .malformedVerifierKey),
        ("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", .invalidKeyName),
        ("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", .invalidKeyName),
        ("PeterNeumann", .malformedVerifierKey),
    ])
    func refusesBadVerifierKeys(_ text: String, _ code: SignedNoteError.Code) {
        let error = #expect(throws: SignedNoteError.self) { try NoteVerifier(verifierKey: text) }
        #expect(error?.code == code)
    }

    /// x/mod's TestOpen list of malformed messages, and the error each gives here.
    @Test(arguments: [
        (PeterNeumann.text, SignedNoteError.Code.missingSignatures),
        (PeterNeumann.text + "\n", .missingSignatures),
        (PeterNeumann.text + "\n" + PeterNeumann.signatureLine.dropLast(), .malformedSignatureLine),
        ("\u{01}" + PeterNeumann.text + "\n" + PeterNeumann.signatureLine, .invalidCharacter),
        (
            PeterNeumann.text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2p"
                + "ZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
            .malformedSignatureLine
        ),
        (PeterNeumann.text + "\n" + PeterNeumann.signatureLine + "Unexpected line.\n", .malformedSignatureLine),
        (PeterNeumann.text + "\n" + String(repeating: PeterNeumann.signatureLine, count: 101), .tooManySignatures),
    ])
    func refusesMalformedNotes(_ note: String, _ code: SignedNoteError.Code) throws {
        let verifier = try NoteVerifier(verifierKey: PeterNeumann.verifierKey)
        let error = #expect(throws: SignedNoteError.self) { try SignedNote.open(note: note, verifier: verifier) }
        #expect(error?.code == code)
    }

    /// x/mod's TestOpen "invalid signature": four Base64 characters inserted into the known key's signature.
    @Test func refusesAnAlteredSignatureOfTheKnownKey() throws {
        let verifier = try NoteVerifier(verifierKey: PeterNeumann.verifierKey)
        let line = PeterNeumann.signatureLine
        let altered = String(line.prefix(60)) + "ABCD" + String(line.dropFirst(60))
        let error = #expect(throws: SignedNoteError.self) {
            try SignedNote.open(note: PeterNeumann.text + "\n" + altered, verifier: verifier)
        }
        #expect(error?.code == .invalidSignature)
    }
}
