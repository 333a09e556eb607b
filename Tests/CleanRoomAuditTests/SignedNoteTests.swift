import CleanRoomAudit
import CleanRoomCrypto
import Foundation
import Testing

/// The rules of c2sp.org/signed-note, with CleanRoom's own keys.
struct SignedNoteTests {
    static let name = "cleanroom.example/audit"
    static let text = "first line\n\nthird line, after an empty one\n"

    private func logVerifier() throws -> NoteVerifier {
        try NoteVerifier(name: Self.name, publicKey: TestKeys.log().publicKey)
    }

    @Test func signsInTheSpecifiedLayout() throws {
        let key = try TestKeys.log()
        let note = try SignedNote.sign(text: Self.text, name: Self.name, key: key)
        let prefix = Self.text + "\n— " + Self.name + " "
        #expect(note.hasPrefix(prefix))
        #expect(note.hasSuffix("\n"))
        let encoded = note.dropFirst(prefix.count).dropLast()
        let decoded = try #require(Data(base64Encoded: String(encoded)).map { [UInt8]($0) })
        #expect(decoded.count == 4 + Ed25519PrivateKey.signatureByteCount)
        #expect(decoded.prefix(4) == bigEndian(try logVerifier().keyID)[...])
        #expect(key.publicKey.isValidSignature(Array(decoded.dropFirst(4)), for: Array(Self.text.utf8)))
    }

    @Test func opensWhatItSigns() throws {
        let note = try SignedNote.sign(text: Self.text, name: Self.name, key: TestKeys.log())
        #expect(try SignedNote.open(note: note, verifier: logVerifier()) == Self.text)
    }

    @Test func keyIDIsTheHashOfNameTypeAndKey() throws {
        let publicKey = try TestKeys.log().publicKey
        let digest = SHA256.hash(Array("\(Self.name)\n".utf8) + [0x01] + publicKey.rawRepresentation)
        let expected = digest.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(NoteVerifier.keyID(name: Self.name, publicKey: publicKey) == expected)
        #expect(try logVerifier().keyID == expected)
        #expect(NoteVerifier.keyID(name: Self.name + "2", publicKey: publicKey) != expected)
    }

    @Test func verifierKeyRoundTrips() throws {
        let verifier = try logVerifier()
        let text = verifier.verifierKey
        let parts = text.split(separator: "+", maxSplits: 2)
        #expect(parts.count == 3)
        #expect(parts[0] == Self.name)
        #expect(UInt32(parts[1], radix: 16) == verifier.keyID)
        let keyData = Data(base64Encoded: String(parts[2])).map { [UInt8]($0) }
        #expect(keyData == [0x01] + verifier.publicKey.rawRepresentation)
        #expect(try NoteVerifier(verifierKey: text) == verifier)
        #expect(verifier.description == text)
    }

    @Test func ignoresSignaturesOfUnknownKeys() throws {
        let verifier = try logVerifier()
        let ours = try SignedNote.sign(text: Self.text, name: Self.name, key: TestKeys.log())
        let theirs = try SignedNote.sign(text: Self.text, name: "witness.example/w1", key: TestKeys.other())
        let theirLine = String(theirs.dropFirst(Self.text.count + 1))
        // Their line first, ours second: the unknown key is skipped, ours verifies.
        let note = Self.text + "\n" + theirLine + String(ours.dropFirst(Self.text.count + 1))
        #expect(try SignedNote.open(note: note, verifier: verifier) == Self.text)
        // Their line alone: nothing by the trusted key.
        let error = #expect(throws: SignedNoteError.self) { try SignedNote.open(note: theirs, verifier: verifier) }
        #expect(error?.code == .unverified)
    }

    @Test func ignoresAKeyWithTheSameNameButAnotherID() throws {
        let verifier = try logVerifier()
        let sameName = try SignedNote.sign(text: Self.text, name: Self.name, key: TestKeys.other())
        let error = #expect(throws: SignedNoteError.self) { try SignedNote.open(note: sameName, verifier: verifier) }
        #expect(error?.code == .unverified)
    }

    @Test func refusesAForgedLineWithTheTrustedNameAndID() throws {
        // Another key signs, and the forger writes the trusted key's name and key ID in front of it.
        let verifier = try logVerifier()
        let forged = try TestKeys.other().signature(for: Array(Self.text.utf8))
        let note = Self.text + "\n" + signatureLine(name: Self.name, keyID: verifier.keyID, signature: forged)
        let error = #expect(throws: SignedNoteError.self) { try SignedNote.open(note: note, verifier: verifier) }
        #expect(error?.code == .invalidSignature)
    }

    @Test func refusesABadTrustedSignatureEvenNextToAGoodOne() throws {
        let verifier = try logVerifier()
        let good = try SignedNote.sign(text: Self.text, name: Self.name, key: TestKeys.log())
        let goodLine = String(good.dropFirst(Self.text.count + 1))
        let otherText = try SignedNote.sign(text: "another text\n", name: Self.name, key: TestKeys.log())
        let badLine = String(otherText.dropFirst("another text\n".count + 1))
        let error = #expect(throws: SignedNoteError.self) {
            try SignedNote.open(note: Self.text + "\n" + goodLine + badLine, verifier: verifier)
        }
        #expect(error?.code == .invalidSignature)
    }

    @Test func refusesAChangedText() throws {
        let note = try SignedNote.sign(text: Self.text, name: Self.name, key: TestKeys.log())
        let changed = note.replacingOccurrences(of: "first line", with: "first lime")
        let error = #expect(throws: SignedNoteError.self) {
            try SignedNote.open(note: changed, verifier: logVerifier())
        }
        #expect(error?.code == .invalidSignature)
    }

    @Test func textEndsAtTheLastBlankLine() throws {
        let note = try SignedNote.sign(text: Self.text, name: Self.name, key: TestKeys.log())
        let parsed = try SignedNote(parsing: note)
        #expect(parsed.text == Self.text)
        #expect(parsed.signatures.count == 1)
        #expect(parsed.signatures[0].keyName == Self.name)
    }

    @Test(arguments: [
        ("no final newline", SignedNoteError.Code.malformedText),
        ("", .malformedText),
        ("— looks like a signature\n", .malformedText),
        ("fine\n—still looks like one\n", .malformedText),
        ("carriage return\r\n", .invalidCharacter),
        ("tab\tinside\n", .invalidCharacter),
    ])
    func refusesToSignMalformedText(_ text: String, _ code: SignedNoteError.Code) {
        let error = #expect(throws: SignedNoteError.self) {
            try SignedNote.sign(text: text, name: Self.name, key: TestKeys.log())
        }
        #expect(error?.code == code)
    }

    @Test(arguments: ["", "with space", "with+plus", "no\u{00A0}break", "ideographic\u{3000}space", "bell\u{07}"])
    func refusesBadKeyNames(_ name: String) {
        let error = #expect(throws: SignedNoteError.self) {
            try SignedNote.sign(text: Self.text, name: name, key: TestKeys.log())
        }
        #expect(error?.code == .invalidKeyName)
    }

    @Test func refusesATextLineStartingWithAnEmDashWhenOpening() throws {
        // Signed by hand, since the signer refuses such a text.
        let text = "origin\n— 5\n"
        let key = try TestKeys.log()
        let verifier = try logVerifier()
        let signature = try key.signature(for: Array(text.utf8))
        let note = text + "\n" + signatureLine(name: Self.name, keyID: verifier.keyID, signature: signature)
        let error = #expect(throws: SignedNoteError.self) { try SignedNote.open(note: note, verifier: verifier) }
        #expect(error?.code == .malformedText)
    }

    @Test(arguments: [
        ("— name AAAAAAA=\n", nil),
        ("—  emptyName AAAAAAA=\n", SignedNoteError.Code.invalidKeyName),
        ("— name\n", .malformedSignatureLine),
        ("— name not-base64!\n", .malformedSignatureLine),
        ("— name c2ln\n", .malformedSignatureLine),
        ("— name c2lnbmF0dXJlcw\n", .malformedSignatureLine),
        ("— name AAAAAAB=\n", .malformedSignatureLine),
        ("— name AAAAAAA= \n", .malformedSignatureLine),
        ("— name AAAAAA-_\n", .malformedSignatureLine),
        ("- name AAAAAAA=\n", .malformedSignatureLine),
        ("—name AAAAAAA=\n", .malformedSignatureLine),
        ("— name AAAAAAA=\n \n— name AAAAAAA=\n", .malformedSignatureLine),
    ] as [(String, SignedNoteError.Code?)])
    func checksSignatureLines(_ lines: String, _ code: SignedNoteError.Code?) throws {
        guard let code else {
            // The shortest well-formed line: a key ID and one byte.
            let parsed = try SignedNote(parsing: Self.text + "\n" + lines)
            #expect(parsed.signatures.map(\.keyName) == ["name"])
            #expect(parsed.signatures.map(\.keyID) == [0])
            #expect(parsed.signatures.map(\.signature) == [[0]])
            return
        }
        let error = #expect(throws: SignedNoteError.self) {
            try SignedNote(parsing: Self.text + "\n" + lines)
        }
        #expect(error?.code == code)
    }

    @Test func acceptsSixteenSignatures() throws {
        let ours = try SignedNote.sign(text: Self.text, name: Self.name, key: TestKeys.log())
        let line = String(ours.dropFirst(Self.text.count + 1))
        let note = Self.text + "\n" + String(repeating: line, count: 16)
        #expect(try SignedNote(parsing: note).signatures.count == 16)
        #expect(try SignedNote.open(note: note, verifier: logVerifier()) == Self.text)
    }
}
