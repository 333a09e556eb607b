import CleanRoomCrypto
import Foundation
import Testing

struct KeyringCreationTests {
    @Test func createMakesAPrivateDirectoryOfPrivateKeyFiles() throws {
        try withTemporaryKeysDirectory { directory in
            let report = try Keyring.create(in: directory)
            #expect(report.createdDirectory)
            #expect(report.createdFiles == KeyringFiles.all)
            #expect(report.existingFiles.isEmpty)
            #expect(try permissions(directory) == 0o700)
            for name in KeyringFiles.all {
                #expect(try permissions(directory + "/" + name) == 0o600, "\(name)")
            }
            // Only the four key files: no temporary file is left behind.
            let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(names.sorted() == KeyringFiles.all.sorted())
        }
    }

    @Test func keyFilesAreOneLineOfTheDocumentedFormat() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let expectations = [
                ("kek-v1.key", "key-encryption"), ("match.key", "match"),
                ("audit-ed25519.key", "audit-signing"), ("audit-ed25519.pub", "audit-verifying"),
            ]
            for (name, purpose) in expectations {
                let text = String(decoding: try contents(directory + "/" + name), as: UTF8.self)
                let fields = text.dropLast().split(separator: " ", omittingEmptySubsequences: false)
                #expect(text.hasSuffix("\n") && !text.dropLast().contains("\n"))
                #expect(fields.count == 4)
                #expect(fields.first == "cleanroom-key")
                #expect(fields.dropFirst().first == "v1")
                #expect(fields.dropFirst(2).first.map(String.init) == purpose)
                #expect(Data(base64Encoded: String(fields.last ?? ""))?.count == 32)
            }
            let keyring = try Keyring.open(in: directory)
            let publicText = String(decoding: try contents(directory + "/audit-ed25519.pub"), as: UTF8.self)
            let publicBase64 = Data(keyring.auditSigningKey.publicKey.rawRepresentation).base64EncodedString()
            #expect(publicText == "cleanroom-key v1 audit-verifying \(publicBase64)\n")
        }
    }

    @Test func createTwiceIsIdempotentAndNeverChangesAKey() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let before = try KeyringFiles.all.map { try contents(directory + "/" + $0) }
            let again = try Keyring.create(in: directory)
            #expect(!again.createdDirectory)
            #expect(again.createdFiles.isEmpty)
            #expect(again.existingFiles == KeyringFiles.all)
            let after = try KeyringFiles.all.map { try contents(directory + "/" + $0) }
            #expect(before == after)
        }
    }

    @Test(arguments: ["match.key", "audit-ed25519.pub"])
    func createMakesOnlyWhatIsAbsent(_ removed: String) throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let kept = KeyringFiles.all.filter { $0 != removed }
            let before = try kept.map { try contents(directory + "/" + $0) }
            try FileManager.default.removeItem(atPath: directory + "/" + removed)
            let report = try Keyring.create(in: directory)
            #expect(report.createdFiles == [removed])
            #expect(report.existingFiles == kept)
            #expect(try kept.map { try contents(directory + "/" + $0) } == before)
            #expect(try permissions(directory + "/" + removed) == 0o600)
            _ = try Keyring.open(in: directory)
        }
    }

    @Test func createRefusesAPublicKeyWithoutItsPrivateKey() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            try FileManager.default.removeItem(atPath: directory + "/audit-ed25519.key")
            let error = #expect(throws: KeyringError.self) { try Keyring.create(in: directory) }
            #expect(error?.code == .missingKey)
            #expect(error?.message.contains("audit-ed25519.key") == true)
            #expect(!FileManager.default.fileExists(atPath: directory + "/audit-ed25519.key"))
        }
    }

    @Test func createTightensALooseDirectoryThatHoldsNoKeyYet() throws {
        // A fresh checkout's keys/ is 0755 and holds only its README: nothing secret was exposed.
        try withTemporaryKeysDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            try Data("# keys\n".utf8).write(to: URL(fileURLWithPath: directory + "/README.md"))
            try setPermissions(directory, 0o755)
            let report = try Keyring.create(in: directory)
            #expect(report.tightenedDirectory)
            #expect(report.createdFiles == KeyringFiles.all)
            #expect(try permissions(directory) == 0o700)
            _ = try Keyring.open(in: directory)
        }
    }

    @Test func createRefusesALooseDirectoryThatAlreadyHoldsKeys() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let before = try contents(directory + "/match.key")
            try setPermissions(directory, 0o755)
            let error = #expect(throws: KeyringError.self) { try Keyring.create(in: directory) }
            #expect(error?.code == .insecurePermissions)
            #expect(error?.path == directory)
            #expect(try permissions(directory) == 0o755)
            #expect(try contents(directory + "/match.key") == before)
        }
    }

    @Test(arguments: KeyringFiles.all)
    func createRefusesAnExposedExistingKeyFile(_ name: String) throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            try setPermissions(directory + "/" + name, 0o644)
            let error = #expect(throws: KeyringError.self) { try Keyring.create(in: directory) }
            #expect(error?.code == .insecurePermissions)
            #expect(error?.path == directory + "/" + name)
        }
    }

    @Test func verifyPermissionsPassesBeforeAnyKeyAndRefusesExposedKeys() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.verifyPermissions(in: directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            try setPermissions(directory, 0o755)
            try Keyring.verifyPermissions(in: directory)
            try setPermissions(directory, 0o700)
            try Keyring.create(in: directory)
            try Keyring.verifyPermissions(in: directory)
            try setPermissions(directory + "/kek-v1.key", 0o644)
            let error = #expect(throws: KeyringError.self) { try Keyring.verifyPermissions(in: directory) }
            #expect(error?.code == .insecurePermissions)
            #expect(error?.message.contains("kek-v1.key") == true)
        }
    }

    @Test func createIntoAMissingParentFails() throws {
        try withTemporaryKeysDirectory { directory in
            let error = #expect(throws: KeyringError.self) { try Keyring.create(in: directory + "/deeper/keys") }
            #expect(error?.code == .fileSystemFailure)
        }
    }

    @Test func reportDescriptionListsTheFiles() throws {
        try withTemporaryKeysDirectory { directory in
            let report = try Keyring.create(in: directory)
            #expect(report.description.contains("created: kek-v1.key, match.key"))
            #expect(try Keyring.create(in: directory).description.contains("created: none"))
        }
    }
}

struct KeyringOpeningTests {
    @Test(arguments: KeyringFiles.all)
    func keyFileReadableByOthersIsRefusedNamingIt(_ name: String) throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let path = directory + "/" + name
            try setPermissions(path, 0o644)
            let error = #expect(throws: KeyringError.self) { try Keyring.open(in: directory) }
            #expect(error?.code == .insecurePermissions)
            #expect(error?.path == path)
            #expect(error?.message.contains(path) == true)
            #expect(error?.message.contains("chmod 600 \(path)") == true)
            #expect(error?.message.contains("0644") == true)
        }
    }

    @Test(arguments: [0o640, 0o604, 0o602, 0o660])
    func anyGroupOrOtherAccessIsRefused(_ mode: Int) throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            try setPermissions(directory + "/match.key", mode)
            let error = #expect(throws: KeyringError.self) { try Keyring.open(in: directory) }
            #expect(error?.code == .insecurePermissions)
        }
    }

    @Test func stricterFileModesAreAccepted() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            for name in KeyringFiles.all {
                try setPermissions(directory + "/" + name, 0o400)
            }
            try setPermissions(directory, 0o500)
            defer { try? setPermissions(directory, 0o700) }
            _ = try Keyring.open(in: directory)
        }
    }

    @Test(arguments: [0o755, 0o750, 0o701, 0o770])
    func directoryAccessibleByOthersIsRefused(_ mode: Int) throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            try setPermissions(directory, mode)
            let error = #expect(throws: KeyringError.self) { try Keyring.open(in: directory) }
            #expect(error?.code == .insecurePermissions)
            #expect(error?.path == directory)
            #expect(error?.message.contains("chmod 700 \(directory)") == true)
        }
    }

    @Test(arguments: KeyringFiles.all)
    func missingKeyFileIsRefusedNamingIt(_ name: String) throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            try FileManager.default.removeItem(atPath: directory + "/" + name)
            let error = #expect(throws: KeyringError.self) { try Keyring.open(in: directory) }
            #expect(error?.code == .missingKey)
            #expect(error?.message.contains(name) == true)
        }
    }

    @Test func missingDirectoryIsRefused() throws {
        try withTemporaryKeysDirectory { directory in
            let error = #expect(throws: KeyringError.self) { try Keyring.open(in: directory) }
            #expect(error?.code == .missingKey)
            #expect(error?.path == directory)
        }
    }

    /// One way to spoil `match.key`'s contents; each must be refused as malformed.
    struct Spoiling: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var testDescription: String { self.name }
    }

    static let base64Of32 = Data(repeating: 7, count: 32).base64EncodedString()

    @Test(arguments: [
        Spoiling(name: "empty file", text: ""),
        Spoiling(name: "wrong magic", text: "other-key v1 match \(base64Of32)\n"),
        Spoiling(name: "unknown version", text: "cleanroom-key v2 match \(base64Of32)\n"),
        Spoiling(name: "another purpose", text: "cleanroom-key v1 key-encryption \(base64Of32)\n"),
        Spoiling(name: "invalid base64", text: "cleanroom-key v1 match ****\n"),
        Spoiling(name: "31 bytes", text: "cleanroom-key v1 match \(Data(count: 31).base64EncodedString())\n"),
        Spoiling(name: "33 bytes", text: "cleanroom-key v1 match \(Data(count: 33).base64EncodedString())\n"),
        Spoiling(name: "two lines", text: "cleanroom-key v1 match \(base64Of32)\n\n"),
        Spoiling(name: "extra field", text: "cleanroom-key v1 match \(base64Of32) more\n"),
        Spoiling(name: "double space", text: "cleanroom-key  v1 match \(base64Of32)\n"),
    ])
    func malformedKeyFileIsRefused(_ spoiling: Spoiling) throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let path = directory + "/match.key"
            try overwrite(path, with: spoiling.text)
            let error = #expect(throws: KeyringError.self) { try Keyring.open(in: directory) }
            #expect(error?.code == .malformedKey)
            #expect(error?.path == path)
            #expect(error?.message.contains(Self.base64Of32) == false)
        }
    }

    @Test func wellFormedFileWithoutFinalNewlineIsAccepted() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            try overwrite(directory + "/match.key", with: "cleanroom-key v1 match \(Self.base64Of32)")
            let keyring = try Keyring.open(in: directory)
            #expect(keyring.matchKey == (try SymmetricKey(bytes: [UInt8](repeating: 7, count: 32))))
        }
    }

    @Test func keyFileCopiedToAnotherNameIsRefused() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            try FileManager.default.removeItem(atPath: directory + "/kek-v1.key")
            try FileManager.default.copyItem(atPath: directory + "/match.key", toPath: directory + "/kek-v1.key")
            let error = #expect(throws: KeyringError.self) { try Keyring.open(in: directory) }
            #expect(error?.code == .malformedKey)
            #expect(error?.message.contains("kek-v1.key") == true)
        }
    }

    @Test func publicKeyOfAnotherPairIsRefused() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let other = try Ed25519PrivateKey.generate().publicKey.rawRepresentation
            try overwrite(
                directory + "/audit-ed25519.pub",
                with: "cleanroom-key v1 audit-verifying \(Data(other).base64EncodedString())\n"
            )
            let error = #expect(throws: KeyringError.self) { try Keyring.open(in: directory) }
            #expect(error?.code == .malformedKey)
            #expect(error?.message.contains("audit-ed25519.pub") == true)
        }
    }

    @Test func symbolicLinkInPlaceOfAKeyFileIsRefused() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let path = directory + "/match.key"
            try FileManager.default.moveItem(atPath: path, toPath: directory + "/elsewhere.key")
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: directory + "/elsewhere.key")
            let error = #expect(throws: KeyringError.self) { try Keyring.open(in: directory) }
            #expect(error?.code == .malformedKey)
            #expect(error?.path == path)
        }
    }

    @Test func matchKeyAndAuditKeySurviveReopening() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let first = try Keyring.open(in: directory)
            let second = try Keyring.open(in: directory)
            #expect(first.matchKey == second.matchKey)
            #expect(first.auditSigningKey.rawRepresentation == second.auditSigningKey.rawRepresentation)
            #expect(first.auditSigningKey.publicKey == second.auditSigningKey.publicKey)
            let checkpoint = Array("size 10 root abc".utf8)
            let signature = try first.auditSigningKey.signature(for: checkpoint)
            #expect(second.auditSigningKey.publicKey.isValidSignature(signature, for: checkpoint))
            let pseudonym = HMACSHA256.authenticationCode(for: SHA256.hash("normalized"), key: first.matchKey)
            #expect(pseudonym == HMACSHA256.authenticationCode(for: SHA256.hash("normalized"), key: second.matchKey))
            #expect(first.currentKeyEncryptionKeyVersion == 1)
            #expect(first.keyEncryptionKeyVersions == [1])
        }
    }

    @Test func distinctKeyringsHaveDistinctKeys() throws {
        try withTemporaryKeysDirectory { first in
            try withTemporaryKeysDirectory { second in
                try Keyring.create(in: first)
                try Keyring.create(in: second)
                #expect(try Keyring.open(in: first).matchKey != Keyring.open(in: second).matchKey)
            }
        }
    }

    @Test func descriptionHoldsNoKeyMaterial() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let keyring = try Keyring.open(in: directory)
            let seed = Hex.encode(keyring.auditSigningKey.rawRepresentation)
            var dumped = ""
            dump(keyring, to: &dumped)
            for text in [String(describing: keyring), String(reflecting: keyring), dumped] {
                #expect(!text.contains(seed))
                #expect(!text.contains(Data(keyring.auditSigningKey.rawRepresentation).base64EncodedString()))
            }
            #expect(String(describing: keyring).contains("current: 1"))
        }
    }
}
