import CleanRoomAudit
import CleanRoomCrypto
import Foundation
import Testing

/// Signed checkpoints: c2sp.org/tlog-checkpoint inside c2sp.org/signed-note.
struct CheckpointSigningTests {
    static let name = "cleanroom.example/audit"

    private func checkpoint() throws -> Checkpoint {
        try Checkpoint(
            origin: Self.name, size: 1042, rootHash: [UInt8](0..<32), time: Date(timeIntervalSince1970: 1_795_629_600)
        )
    }

    private func verifier() throws -> NoteVerifier {
        try NoteVerifier(name: Self.name, publicKey: TestKeys.log().publicKey)
    }

    private func signed() throws -> String {
        try SignedCheckpoint.sign(checkpoint: checkpoint(), name: Self.name, key: TestKeys.log())
    }

    private func expectNoteError(_ code: SignedNoteError.Code, opening note: String) throws {
        let verifier = try verifier()
        let error = #expect(throws: SignedNoteError.self) { try SignedCheckpoint.open(note, verifier: verifier) }
        #expect(error?.code == code)
    }

    private func expectCheckpointError(_ code: CheckpointError.Code, signing text: String) throws {
        let note = try SignedNote.sign(text: text, name: Self.name, key: TestKeys.log())
        let verifier = try verifier()
        let error = #expect(throws: CheckpointError.self) { try SignedCheckpoint.open(note, verifier: verifier) }
        #expect(error?.code == code)
    }

    @Test func signsTheCheckpointTextAsANote() throws {
        let note = try signed()
        let text = try checkpoint().text
        #expect(note.hasPrefix(text + "\n— \(Self.name) "))
        #expect(note.split(separator: "\n", omittingEmptySubsequences: false).count == 7)
        #expect(try SignedNote(parsing: note).text == text)
    }

    @Test func opensWhatItSigns() throws {
        let opened = try SignedCheckpoint.open(signed(), verifier: verifier())
        #expect(opened == (try checkpoint()))
        #expect(try SignedCheckpoint.open(signed(), verifier: verifier(), origin: Self.name) == opened)
    }

    @Test func refusesTheCheckpointOfAnotherLog() throws {
        let note = try signed()
        let verifier = try verifier()
        let error = #expect(throws: CheckpointError.self) {
            try SignedCheckpoint.open(note, verifier: verifier, origin: "cleanroom.example/other")
        }
        #expect(error?.code == .originMismatch)
    }

    /// The tree heads of Go's checksum database test log (golang.org/x/mod/sumdb/client_test.go), with its
    /// published signer key: our signer gives the same signatures, byte for byte, and our verifier opens them.
    @Test(arguments: [
        (
            "go.sum database tree\n5\nnWzN20+pwMt62p7jbv1/NlN95ePTlHijabv5zO/s36w=\n",
            "AAAMZ5/2FVAdMH58kmnz/0h299pwyskEbzDzoa2/YaPdhvLya4YWDFQQxu2TQb5GpwAH4NdWnTwuhILafisyf3CNbgg=",
            UInt64(5)
        ),
        (
            "go.sum database tree\n6\nwc4SkQt52o5W2nQ8To2ARs+mWuUJjss+sdleoiqxMmM=\n",
            "AAAMZ6oRNswlEZ6ZZhxrCvgl1MBy+nusq4JU+TG6Fe2NihWLqOzb+y2c2kzRLoCr4tvw9o36ucQEnhc20e4nA4Qc/wc=",
            6
        ),
    ])
    func reproducesThePublishedSumDBCheckpoints(_ text: String, _ signature: String, _ size: UInt64) throws {
        let name = "localhost.localdev/sumdb"
        // The seed inside PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk.
        let key = try Ed25519PrivateKey(
            rawRepresentation: bytes("7bbafa869568e62e40e16b7f5579f492b5a30705949707c305c70df0c6c523e4")
        )
        let verifier = try NoteVerifier(
            verifierKey: "localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6"
        )
        #expect(verifier == (try NoteVerifier(name: name, publicKey: key.publicKey)))
        let note = text + "\n— \(name) \(signature)\n"
        let checkpoint = try Checkpoint(text: text)
        #expect(try SignedCheckpoint.sign(checkpoint: checkpoint, name: name, key: key) == note)
        let opened = try SignedCheckpoint.open(note, verifier: verifier, origin: "go.sum database tree")
        #expect(opened.size == size)
        #expect(opened == checkpoint)
    }

    @Test func refusesAVerifierOfAnotherKey() throws {
        let sameName = try NoteVerifier(name: Self.name, publicKey: TestKeys.other().publicKey)
        let note = try signed()
        let error = #expect(throws: SignedNoteError.self) { try SignedCheckpoint.open(note, verifier: sameName) }
        #expect(error?.code == .unverified)

        let otherName = try NoteVerifier(name: "cleanroom.example/other", publicKey: TestKeys.log().publicKey)
        let renamed = #expect(throws: SignedNoteError.self) { try SignedCheckpoint.open(note, verifier: otherName) }
        #expect(renamed?.code == .unverified)
    }

    @Test func refusesACheckpointSignedByAnotherKey() throws {
        let forged = try SignedCheckpoint.sign(checkpoint: checkpoint(), name: Self.name, key: TestKeys.other())
        try expectNoteError(.unverified, opening: forged)
    }

    @Test func refusesAnotherKeysSignatureUnderOurNameAndKeyID() throws {
        let text = try checkpoint().text
        let forged = try TestKeys.other().signature(for: Array(text.utf8))
        let note = text + "\n" + signatureLine(name: Self.name, keyID: try verifier().keyID, signature: forged)
        try expectNoteError(.invalidSignature, opening: note)
    }

    @Test(arguments: [
        ("\n1042\n", "\n1043\n"),
        ("\n1042\n", "\n01042\n"),
        ("AAECAwQF", "AQECAwQF"),
        ("18:00:00Z", "18:00:01Z"),
        ("cleanroom.example/audit\n1042", "cleanroom.example/audiT\n1042"),
    ])
    func refusesATamperedCheckpoint(_ original: String, _ replacement: String) throws {
        let note = try signed()
        let tampered = note.replacingOccurrences(of: original, with: replacement)
        try #require(tampered != note)
        try expectNoteError(.invalidSignature, opening: tampered)
    }

    @Test func refusesAMissingSignature() throws {
        let text = try checkpoint().text
        try expectNoteError(.missingSignatures, opening: text)
        try expectNoteError(.missingSignatures, opening: text + "\n")
    }

    @Test func refusesExtraJunk() throws {
        let note = try signed()
        let text = try checkpoint().text
        try expectNoteError(.malformedSignatureLine, opening: note + "junk\n")
        try expectNoteError(.malformedSignatureLine, opening: note + "junk")
        try expectNoteError(.malformedSignatureLine, opening: String(note.dropLast()))
        try expectNoteError(.invalidCharacter, opening: note.replacingOccurrences(of: "\n", with: "\r\n"))
        // Junk before or inside the text changes the signed text.
        try expectNoteError(.invalidSignature, opening: "junk\n" + note)
        try expectNoteError(.invalidSignature, opening: note.replacingOccurrences(of: text, with: text + "junk\n"))
        try expectNoteError(.invalidSignature, opening: note.replacingOccurrences(of: text, with: text + "\n"))
    }

    @Test func refusesSignedTextThatIsNoCheckpoint() throws {
        let root = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
        try expectCheckpointError(.malformedOrigin, signing: "\n5\n\(root)\n")
        try expectCheckpointError(.malformedSize, signing: "\(Self.name)\n05\n\(root)\n")
        try expectCheckpointError(.malformedSize, signing: "\(Self.name)\nfive\n\(root)\n")
        try expectCheckpointError(.malformedRootHash, signing: "\(Self.name)\n5\nnot base64\n")
        try expectCheckpointError(.malformedRootHash, signing: "\(Self.name)\n5\nAAECAwQF\n")
        try expectCheckpointError(.missingLines, signing: "\(Self.name)\n5\n")
        try expectCheckpointError(.malformedExtension, signing: "\(Self.name)\n5\n\(root)\n\nafter an empty line\n")
        try expectCheckpointError(.malformedTime, signing: "\(Self.name)\n5\n\(root)\ntime yesterday\n")
    }

    @Test func refusesToSignAnOriginThatLooksLikeASignature() throws {
        let checkpoint = try Checkpoint(origin: "—example", size: 1, rootHash: [UInt8](repeating: 0, count: 32))
        let error = #expect(throws: SignedNoteError.self) {
            try SignedCheckpoint.sign(checkpoint: checkpoint, name: Self.name, key: TestKeys.log())
        }
        #expect(error?.code == .malformedText)
    }
}
