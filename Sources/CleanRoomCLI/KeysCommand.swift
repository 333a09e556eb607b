import ArgumentParser
import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomStore

/// `cleanroom keys …`: key management.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the keys of a CleanRoom home.",
        subcommands: [Rotate.self]
    )

    /// `cleanroom keys rotate`.
    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Add a key-encryption-key version and re-wrap every stored data key under it.",
            discussion: """
                Writes keys/kek-v<N+1>.key, then re-wraps every subject's data key under it in one database \
                transaction: either every key moves or none does. Older key versions stay on disk, so a backup \
                taken before the rotation still opens; delete an old kek file only once no backup needs it. \
                If the command is interrupted, run it again. The rotation is recorded in the audit log.
                """
        )

        @OptionGroup var homeOptions: HomeOptions

        func run() throws {
            let home = self.homeOptions.resolved
            // The audit log and the policy must be usable before anything changes (fail closed).
            let audit = try HomeAuditLog(home: home)
            let result = try KeyRotation(home: home).rotate()
            let report = """
                keys: key-encryption key version \(result.newVersion) created
                keys: \(result.rewrapped) data keys re-wrapped under version \(result.newVersion)
                """
            try audit.record(
                .keyRotation,
                request: .object(["command": .string("keys rotate")]),
                decision: .allowed("cli.admin"),
                resultDigest: Hex.encode(SHA256.hash(report))
            )
            try audit.log.close()
            print(report)
        }
    }
}

/// Rotates a home's key-encryption key and re-wraps the stored data keys under the new version.
struct KeyRotation {
    /// What a rotation did.
    struct Result: Equatable {
        /// The new current key-encryption-key version.
        var newVersion: Int
        /// How many stored data keys were re-wrapped.
        var rewrapped: Int
    }

    let home: CleanRoomHome

    func rotate() throws -> Result {
        var keyring = try Keyring.open(in: self.home.keysDirectory)
        let store = try Store.open(path: self.home.databaseFile, options: self.home.storeOptions())
        defer { try? store.close() }
        let newVersion = try keyring.rotateKeyEncryptionKey()
        let rotated = keyring
        let rewrapped = try store.write { transaction in
            try transaction.dataKeys.rewrapAll { stored in
                let wrapped = try WrappedDataKey(serialized: stored.wrapped)
                let moved = try rotated.rewrap(wrapped, context: stored.subject.dataKeyContext)
                return StoredDataKey(
                    subject: stored.subject, kekVersion: moved.keyEncryptionKeyVersion, wrapped: moved.serialized
                )
            }
        }
        return Result(newVersion: newVersion, rewrapped: rewrapped)
    }
}
