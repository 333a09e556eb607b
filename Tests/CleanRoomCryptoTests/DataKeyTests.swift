import CleanRoomCrypto
import Foundation
import Testing

struct DataKeyTests {
    @Test func sealsAndOpensUnderItsContext() throws {
        let dataKey = try DataKey.generate()
        let context = Array("subject 42 email".utf8)
        let sealed = try dataKey.seal(Array("raw identifier".utf8), context: context)
        #expect(sealed.count == 14 + 28)
        #expect(try dataKey.open(sealed, context: context) == Array("raw identifier".utf8))
    }

    @Test func wrongContextOrKeyFails() throws {
        let dataKey = try DataKey.generate()
        let sealed = try dataKey.seal([1, 2, 3], context: [7])
        let wrongContext = #expect(throws: CryptoError.self) { try dataKey.open(sealed, context: [8]) }
        #expect(wrongContext?.code == .authenticationFailure)
        let wrongKey = #expect(throws: CryptoError.self) { try DataKey.generate().open(sealed, context: [7]) }
        #expect(wrongKey?.code == .authenticationFailure)
        let truncated = #expect(throws: CryptoError.self) { try dataKey.open(Array(sealed.prefix(20)), context: [7]) }
        #expect(truncated?.code == .invalidLength)
    }

    @Test func descriptionIsRedacted() throws {
        let dataKey = try DataKey.generate()
        var dumped = ""
        dump(dataKey, to: &dumped)
        for text in [String(describing: dataKey), String(reflecting: dataKey), dumped] {
            #expect(text.contains("redacted"))
            #expect(!text.contains("bytes"))
        }
    }

    @Test func roundTripsOverRandomLengths() throws {
        let dataKey = try DataKey.generate()
        for (index, plaintext) in RoundTripInputs.make(count: 100, seed: 11).enumerated() {
            let context = Array("subject \(index)".utf8)
            #expect(try dataKey.open(dataKey.seal(plaintext, context: context), context: context) == plaintext)
        }
    }
}

struct WrappedDataKeyTests {
    @Test func serializedFormRoundTrips() throws {
        let wrapped = try WrappedDataKey(keyEncryptionKeyVersion: 258, sealed: [UInt8](repeating: 9, count: 60))
        #expect(wrapped.serialized.count == 64)
        #expect(Array(wrapped.serialized.prefix(4)) == [0, 0, 1, 2])
        #expect(try WrappedDataKey(serialized: wrapped.serialized) == wrapped)
    }

    @Test(arguments: [0, -1, 4_294_967_296])
    func versionOutOfRangeThrows(_ version: Int) {
        let error = #expect(throws: CryptoError.self) {
            try WrappedDataKey(keyEncryptionKeyVersion: version, sealed: [UInt8](repeating: 0, count: 60))
        }
        #expect(error?.code == .invalidKey)
    }

    @Test(arguments: [0, 59, 61])
    func sealedOfWrongLengthThrows(_ length: Int) {
        let error = #expect(throws: CryptoError.self) {
            try WrappedDataKey(keyEncryptionKeyVersion: 1, sealed: [UInt8](repeating: 0, count: length))
        }
        #expect(error?.code == .invalidLength)
        #expect(throws: CryptoError.self) { try WrappedDataKey(serialized: [UInt8](repeating: 0, count: length + 4)) }
    }
}

struct KeyringWrappingTests {
    static let subject = Array("subject-7".utf8)

    @Test func wrapAndUnwrapRoundTrip() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let keyring = try Keyring.open(in: directory)
            let dataKey = try DataKey.generate()
            let wrapped = try keyring.wrap(dataKey, context: Self.subject)
            #expect(wrapped.keyEncryptionKeyVersion == 1)
            #expect(wrapped.sealed.count == WrappedDataKey.sealedByteCount)
            #expect(try keyring.unwrap(wrapped, context: Self.subject) == dataKey)
            // Through storage and a fresh keyring, too.
            let stored = try WrappedDataKey(serialized: wrapped.serialized)
            #expect(try Keyring.open(in: directory).unwrap(stored, context: Self.subject) == dataKey)
        }
    }

    @Test func wrongContextOrAlteredBytesFail() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let keyring = try Keyring.open(in: directory)
            let wrapped = try keyring.wrap(DataKey.generate(), context: Self.subject)
            let otherSubject = #expect(throws: CryptoError.self) {
                try keyring.unwrap(wrapped, context: Array("subject-8".utf8))
            }
            #expect(otherSubject?.code == .authenticationFailure)
            var sealed = wrapped.sealed
            sealed[30] ^= 0x04
            let altered = try WrappedDataKey(keyEncryptionKeyVersion: 1, sealed: sealed)
            let alteredError = #expect(throws: CryptoError.self) { try keyring.unwrap(altered, context: Self.subject) }
            #expect(alteredError?.code == .authenticationFailure)
        }
    }

    @Test func keyringsDoNotUnwrapEachOthersKeys() throws {
        try withTemporaryKeysDirectory { first in
            try withTemporaryKeysDirectory { second in
                try Keyring.create(in: first)
                try Keyring.create(in: second)
                let wrapped = try Keyring.open(in: first).wrap(DataKey.generate(), context: Self.subject)
                let error = #expect(throws: CryptoError.self) {
                    try Keyring.open(in: second).unwrap(wrapped, context: Self.subject)
                }
                #expect(error?.code == .authenticationFailure)
            }
        }
    }

    @Test func rotationKeepsOldWrapsAndRewrapMovesThem() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            var keyring = try Keyring.open(in: directory)
            let dataKeys = try (0..<5).map { _ in try DataKey.generate() }
            let contexts = (0..<5).map { Array("subject-\($0)".utf8) }
            let underVersion1 = try zip(dataKeys, contexts).map { try keyring.wrap($0, context: $1) }

            #expect(try keyring.rotateKeyEncryptionKey() == 2)
            #expect(keyring.currentKeyEncryptionKeyVersion == 2)
            #expect(keyring.keyEncryptionKeyVersions == [1, 2])
            #expect(try permissions(directory + "/kek-v2.key") == 0o600)
            let version1Bytes = try contents(directory + "/kek-v1.key")

            for (index, wrapped) in underVersion1.enumerated() {
                #expect(try keyring.unwrap(wrapped, context: contexts[index]) == dataKeys[index])
                let moved = try keyring.rewrap(wrapped, context: contexts[index])
                #expect(moved.keyEncryptionKeyVersion == 2)
                #expect(moved.sealed != wrapped.sealed)
                #expect(try keyring.unwrap(moved, context: contexts[index]) == dataKeys[index])
                #expect(try keyring.rewrap(moved, context: contexts[index]) == moved)
                let wrongContext = #expect(throws: CryptoError.self) {
                    try keyring.rewrap(wrapped, context: Array("another".utf8))
                }
                #expect(wrongContext?.code == .authenticationFailure)
            }
            #expect(try keyring.wrap(dataKeys[0], context: contexts[0]).keyEncryptionKeyVersion == 2)

            // A fresh open sees both versions, and version 1 is unchanged.
            let reopened = try Keyring.open(in: directory)
            #expect(reopened.currentKeyEncryptionKeyVersion == 2)
            #expect(reopened.keyEncryptionKeyVersions == [1, 2])
            #expect(try reopened.unwrap(underVersion1[3], context: contexts[3]) == dataKeys[3])
            #expect(try contents(directory + "/kek-v1.key") == version1Bytes)
        }
    }

    @Test func versionIsBoundIntoTheWrap() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            var keyring = try Keyring.open(in: directory)
            try keyring.rotateKeyEncryptionKey()
            let wrapped = try keyring.wrap(DataKey.generate(), context: Self.subject)
            // Relabelled with the other version, the same bytes must not unwrap.
            let relabelled = try WrappedDataKey(keyEncryptionKeyVersion: 1, sealed: wrapped.sealed)
            let error = #expect(throws: CryptoError.self) { try keyring.unwrap(relabelled, context: Self.subject) }
            #expect(error?.code == .authenticationFailure)
        }
    }

    @Test func unknownVersionIsAMissingKey() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let keyring = try Keyring.open(in: directory)
            let wrapped = try keyring.wrap(DataKey.generate(), context: Self.subject)
            let future = try WrappedDataKey(keyEncryptionKeyVersion: 9, sealed: wrapped.sealed)
            let error = #expect(throws: KeyringError.self) { try keyring.unwrap(future, context: Self.subject) }
            #expect(error?.code == .missingKey)
            #expect(error?.message.contains("kek-v9.key") == true)
        }
    }

    @Test func rotationContinuesAfterTheHighestVersionOnDisk() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            var stale = try Keyring.open(in: directory)
            var other = try Keyring.open(in: directory)
            #expect(try other.rotateKeyEncryptionKey() == 2)
            #expect(try stale.rotateKeyEncryptionKey() == 3)
            #expect(try Keyring.open(in: directory).keyEncryptionKeyVersions == [1, 2, 3])
            // Deleting an old version once nothing uses it leaves a keyring that still opens.
            try FileManager.default.removeItem(atPath: directory + "/kek-v1.key")
            let reopened = try Keyring.open(in: directory)
            #expect(reopened.keyEncryptionKeyVersions == [2, 3])
            #expect(reopened.currentKeyEncryptionKeyVersion == 3)
        }
    }

    @Test func keyEncryptionKeyFilesWithOddNamesAreIgnored() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            for name in ["kek-v01.key", "kek-v0.key", "kek-v2.key.bak", "kek-vx.key", ".kek-v2.key.tmp"] {
                try overwrite(directory + "/" + name, with: "not a key")
            }
            #expect(try Keyring.open(in: directory).keyEncryptionKeyVersions == [1])
        }
    }

    @Test func concurrentTasksShareOneKeyring() async throws {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("cleanroom-keyring-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = root.appendingPathComponent("keys").path
        try Keyring.create(in: directory)
        let keyring = try Keyring.open(in: directory)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<200 {
                        let context = Array("subject-\(task)-\(index)".utf8)
                        let dataKey = try DataKey.generate()
                        let wrapped = try keyring.wrap(dataKey, context: context)
                        guard try keyring.unwrap(wrapped, context: context) == dataKey else { return false }
                        let signature = try keyring.auditSigningKey.signature(for: context)
                        guard keyring.auditSigningKey.publicKey.isValidSignature(signature, for: context) else {
                            return false
                        }
                    }
                    return true
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}
