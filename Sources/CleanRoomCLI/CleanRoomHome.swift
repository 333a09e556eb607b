import CleanRoomStore
import CleanRoomCrypto
import Foundation

/// The folder a CleanRoom installation lives in, and the paths of everything inside it.
///
/// ```
/// HOME/
///   keys/               key-encryption keys, match key, audit key pair (0700, files 0600)
///   policies/           default.yaml, the policy in force
///   audit/              the audit log
///   cleanroom.sqlite    the store
/// ```
public struct CleanRoomHome: Sendable, Equatable {
    /// The environment variable naming the home when `--home` is not given.
    public static let environmentVariable = "CLEANROOM_HOME"

    /// The home folder itself, as an absolute path.
    public let root: String

    /// Creates a home rooted at `root`, made absolute against the current directory.
    public init(root: String) {
        self.root = URL(fileURLWithPath: root, isDirectory: true).standardizedFileURL.path
    }

    /// `--home` when given, else `$CLEANROOM_HOME`, else the current directory.
    public static func resolve(option: String?, environment: [String: String]) -> CleanRoomHome {
        if let option, !option.isEmpty { return CleanRoomHome(root: option) }
        if let fromEnvironment = environment[Self.environmentVariable], !fromEnvironment.isEmpty {
            return CleanRoomHome(root: fromEnvironment)
        }
        return CleanRoomHome(root: FileManager.default.currentDirectoryPath)
    }

    /// The keyring folder.
    public var keysDirectory: String { self.path("keys") }
    /// The policy folder.
    public var policiesDirectory: String { self.path("policies") }
    /// The policy in force.
    public var policyFile: String { self.path("policies/default.yaml") }
    /// The owner's named segments.
    public var segmentsFile: String { self.path("policies/segments.yaml") }
    /// The audit log folder.
    public var auditDirectory: String { self.path("audit") }
    /// The SQLite database.
    public var databaseFile: String { self.path("cleanroom.sqlite") }
    /// The key vault: the subjects' wrapped data keys, beside the key-encryption keys and out of database backups.
    public var keyVaultFile: String { self.path("keys/data-keys.sqlite") }

    /// How the home's store is opened: its vault in `keys/`; a missing database is created only when asked.
    func storeOptions(createIfMissing: Bool = false) -> Store.Options {
        Store.Options(createIfMissing: createIfMissing, keyVaultPath: self.keyVaultFile)
    }

    /// Refuses, naming the file, when anyone but the owner can access the home's keys.
    ///
    /// Every command that uses a home calls this (or opens the keyring, which checks the same) first.
    public func checkKeyPermissions() throws {
        try Keyring.verifyPermissions(in: self.keysDirectory)
    }

    private func path(_ relative: String) -> String {
        URL(fileURLWithPath: self.root, isDirectory: true).appendingPathComponent(relative).path
    }
}
