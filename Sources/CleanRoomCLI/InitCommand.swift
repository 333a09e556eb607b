import ArgumentParser
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomStore
import Foundation

/// `cleanroom init`: creates what a home needs, never overwriting anything.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the keys and the database of a CleanRoom home; safe to run again.",
        discussion: """
            Creates, only where absent: the home folder, keys/ (mode 0700) with the key-encryption key \
            kek-v1.key, the match key match.key and the audit signing key pair audit-ed25519.key/.pub (each \
            0600), the audit/ folder and the database cleanroom.sqlite (WAL, schema migrated). An existing key is \
            never overwritten. Then checks the policy in force, policies/default.yaml, when there is one.
            """
    )

    @OptionGroup var homeOptions: HomeOptions

    func run() throws {
        let home = self.homeOptions.resolved
        for report in try HomeInitializer(home: home).initialize() {
            print(report)
        }
    }
}

/// Creates a home's folders, keys and database; every step leaves what exists untouched.
struct HomeInitializer {
    let home: CleanRoomHome

    /// Runs every step and returns one line a step, for people.
    func initialize() throws -> [String] {
        var lines: [String] = []
        lines.append(try self.createFolder(self.home.root, name: "home"))

        let keys = try Keyring.create(in: self.home.keysDirectory)
        // Read back everything, permissions included, exactly as every later command will.
        let keyring = try Keyring.open(in: self.home.keysDirectory)
        lines.append("keys: \(keys)")
        lines.append("keys: key-encryption key version \(keyring.currentKeyEncryptionKeyVersion) is current")

        lines.append(try self.createFolder(self.home.auditDirectory, name: "audit"))

        let store = try Store.open(path: self.home.databaseFile, options: self.home.storeOptions(createIfMissing: true))
        let migrations = try store.appliedMigrations
        try store.close()
        lines.append("database: \(self.home.databaseFile) (schema: \(migrations.joined(separator: ", ")))")

        if FileManager.default.fileExists(atPath: self.home.policyFile) {
            let policy = try PolicyLoader.load(contentsOf: self.home.policyFile)
            lines.append("policy: \(self.home.policyFile) is valid (digest \(policy.digest))")
        } else {
            lines.append(
                "policy: none at \(self.home.policyFile); write one (policies/default.yaml in the CleanRoom "
                    + "repository is a complete example) before serving: without a policy nothing is answered"
            )
        }
        return lines
    }

    private func createFolder(_ path: String, name: String) throws -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CLIError(code: .notAFolder, message: "\(path) exists and is not a folder; choose another home")
            }
            return "\(name): \(path)"
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return "\(name): created \(path)"
    }
}
