import ArgumentParser
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomStore
import Foundation
import Testing

@testable import CleanRoomCLI

/// Runs `cleanroom ARGUMENTS` in-process, as the executable would.
func runCleanRoom(_ arguments: [String]) throws {
    var command = try CleanRoomCommand.parseAsRoot(arguments)
    try command.run()
}

/// The key files `cleanroom init` creates.
let keyFileNames = ["kek-v1.key", "match.key", "audit-ed25519.key", "audit-ed25519.pub"]

/// The repository's own default policy.
let repositoryPolicy = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("policies/default.yaml").path

/// A home made by `cleanroom init`, with the repository's policy in force.
func initializedHome(in directory: TemporaryDirectory) throws -> CleanRoomHome {
    let home = CleanRoomHome(root: directory.path("home"))
    try FileManager.default.createDirectory(atPath: home.policiesDirectory, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: repositoryPolicy, toPath: home.policyFile)
    try runCleanRoom(["init", "--home", home.root])
    return home
}

func mode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

func setMode(_ path: String, _ mode: Int) throws {
    try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: mode)], ofItemAtPath: path)
}

struct InitCommandTests {
    @Test func initCreatesKeysAuditFolderAndDatabase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = CleanRoomHome(root: directory.path("home"))
        try runCleanRoom(["init", "--home", home.root])

        #expect(try mode(home.keysDirectory) == 0o700)
        for name in keyFileNames {
            #expect(try mode(home.keysDirectory + "/" + name) == 0o600, "\(name)")
        }
        #expect(FileManager.default.fileExists(atPath: home.auditDirectory))
        let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
        defer { try? store.close() }
        #expect(try store.journalMode == "wal")
        #expect(try store.appliedMigrations.isEmpty == false)
    }

    @Test func initTwiceIsIdempotentAndNeverOverwritesAKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = CleanRoomHome(root: directory.path("home"))
        try runCleanRoom(["init", "--home", home.root])
        let before = try keyFileNames.map { try Data(contentsOf: URL(fileURLWithPath: home.keysDirectory + "/" + $0)) }

        let second = try HomeInitializer(home: home).initialize()
        #expect(second.contains { $0.contains("created: none") })
        let after = try keyFileNames.map { try Data(contentsOf: URL(fileURLWithPath: home.keysDirectory + "/" + $0)) }
        #expect(before == after)
        // The key files and the key vault (closed, so without its -wal and -shm), nothing else; all private.
        let files = try FileManager.default.contentsOfDirectory(atPath: home.keysDirectory).sorted()
        #expect(files == (keyFileNames + ["data-keys.sqlite"]).sorted())
        for file in files {
            #expect(try mode(home.keysDirectory + "/" + file) == 0o600, "\(file)")
        }
    }

    @Test func initReportsThePolicyInForce() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = CleanRoomHome(root: directory.path("home"))
        try FileManager.default.createDirectory(atPath: home.policiesDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repositoryPolicy, toPath: home.policyFile)
        let lines = try HomeInitializer(home: home).initialize()
        let digest = try PolicyLoader.load(contentsOf: repositoryPolicy).digest
        #expect(lines.contains { $0.contains("is valid (digest \(digest))") })
    }

    @Test func initRefusesAHomeThatIsAFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.file("not-a-folder", [0x61])
        #expect(throws: CLIError.self) { try runCleanRoom(["init", "--home", file]) }
    }
}

struct KeyPermissionTests {
    /// Every command that uses a home, as arguments after which `--home HOME` follows.
    static let homeCommands: [[String]] = [["init"], ["keys", "rotate"], ["policy", "check"], ["policy", "check", repositoryPolicy]]

    static let cases: [([String], String)] = homeCommands.flatMap { command in keyFileNames.map { (command, $0) } }

    @Test(arguments: cases)
    func anExposedKeyFileMakesEveryHomeCommandRefuseNamingIt(command: [String], keyFile: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        let exposed = home.keysDirectory + "/" + keyFile
        try setMode(exposed, 0o644)

        let error = #expect(throws: KeyringError.self) { try runCleanRoom(command + ["--home", home.root]) }
        #expect(error?.code == .insecurePermissions)
        #expect(error?.path == exposed)
        #expect(error?.message.contains("chmod 600 \(exposed)") == true)
        #expect(try mode(exposed) == 0o644, "a refusing command leaves the mode as it found it")
    }

    @Test(arguments: homeCommands)
    func anExposedKeysFolderMakesEveryHomeCommandRefuse(command: [String]) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        try setMode(home.keysDirectory, 0o755)
        let error = #expect(throws: KeyringError.self) { try runCleanRoom(command + ["--home", home.root]) }
        #expect(error?.path == home.keysDirectory)
    }

    @Test(arguments: [["init"], ["keys", "rotate"]])
    func aDatabaseOthersCanReadMakesEveryCommandThatOpensItRefuse(command: [String]) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        #expect(try mode(home.databaseFile) == 0o600)
        try setMode(home.databaseFile, 0o644)
        let error = #expect(throws: StoreError.self) { try runCleanRoom(command + ["--home", home.root]) }
        #expect(error?.code == .insecurePermissions)
        #expect(error?.message.contains(home.databaseFile) == true)
    }

    @Test func theHomeComesFromTheOptionThenTheEnvironmentThenTheCurrentDirectory() {
        let environment = [CleanRoomHome.environmentVariable: "/srv/cleanroom"]
        #expect(CleanRoomHome.resolve(option: "/tmp/a", environment: environment).root == "/tmp/a")
        #expect(CleanRoomHome.resolve(option: nil, environment: environment).root == "/srv/cleanroom")
        #expect(
            CleanRoomHome.resolve(option: nil, environment: [:]).root
                == CleanRoomHome(root: FileManager.default.currentDirectoryPath).root
        )
        #expect(CleanRoomHome(root: "/srv/cleanroom/").keysDirectory == "/srv/cleanroom/keys")
    }
}

struct KeyRotationTests {
    /// A home with `count` subjects, each with a data key and one sealed identifier; returns the values.
    func populatedHome(_ directory: TemporaryDirectory, count: Int) throws -> (CleanRoomHome, [SubjectID: String]) {
        let home = try initializedHome(in: directory)
        let keyring = try Keyring.open(in: home.keysDirectory)
        let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
        defer { try? store.close() }
        var values: [SubjectID: String] = [:]
        try store.write { transaction in
            for index in 0..<count {
                let subject = try transaction.subjects.create(at: Date(timeIntervalSince1970: 1_780_000_000))
                let dataKey = try DataKey.generate()
                let wrapped = try keyring.wrap(dataKey, context: subject.dataKeyContext)
                try transaction.dataKeys.insert(
                    StoredDataKey(subject: subject, kekVersion: wrapped.keyEncryptionKeyVersion, wrapped: wrapped.serialized)
                )
                let value = "person\(index)@example.com"
                let pseudonym = try #require(Pseudonym(bytes: SHA256.hash(value)))
                try transaction.identifiers.add(
                    StoredIdentifier(
                        subject: subject, kind: .email,
                        sealed: try dataKey.seal(Array(value.utf8), context: subject.dataKeyContext),
                        variants: [StoredIdentifier.Variant(name: "basic", pseudonym: pseudonym)],
                        addedAt: Date(timeIntervalSince1970: 1_780_000_000)
                    )
                )
                values[subject] = value
            }
        }
        return (home, values)
    }

    /// Unseals every subject's identifier with the keys as they are on disk now.
    func unsealAll(_ home: CleanRoomHome) throws -> [SubjectID: String] {
        let keyring = try Keyring.open(in: home.keysDirectory)
        let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
        defer { try? store.close() }
        return try store.read { transaction in
            var values: [SubjectID: String] = [:]
            try transaction.dataKeys.forEach { stored in
                let dataKey = try keyring.unwrap(
                    WrappedDataKey(serialized: stored.wrapped), context: stored.subject.dataKeyContext
                )
                for identifier in try transaction.identifiers.identifiers(of: stored.subject) {
                    let plain = try dataKey.open(identifier.sealed, context: stored.subject.dataKeyContext)
                    values[stored.subject] = String(decoding: plain, as: UTF8.self)
                }
            }
            return values
        }
    }

    func versions(_ home: CleanRoomHome) throws -> [Int: Int] {
        let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
        defer { try? store.close() }
        return try store.read { try $0.dataKeys.countsByKEKVersion() }
    }

    @Test func rotateRewrapsEveryDataKeyWithoutLosingAnyData() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (home, values) = try self.populatedHome(directory, count: 700)
        #expect(try self.versions(home) == [1: 700])

        try runCleanRoom(["keys", "rotate", "--home", home.root])
        #expect(try self.versions(home) == [2: 700])
        #expect(try self.unsealAll(home) == values)
        #expect(FileManager.default.fileExists(atPath: home.keysDirectory + "/kek-v1.key"))
        #expect(try mode(home.keysDirectory + "/kek-v2.key") == 0o600)

        let third = try KeyRotation(home: home).rotate()
        #expect(third == KeyRotation.Result(newVersion: 3, rewrapped: 700))
        #expect(try self.versions(home) == [3: 700])
        #expect(try self.unsealAll(home) == values)
    }

    @Test func rotateInAHomeWithoutADatabaseRefusesAndCreatesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        try FileManager.default.removeItem(atPath: home.databaseFile)
        let error = #expect(throws: StoreError.self) { try runCleanRoom(["keys", "rotate", "--home", home.root]) }
        #expect(error?.code == .notFound)
        #expect(!FileManager.default.fileExists(atPath: home.databaseFile))
    }

    @Test func aDataKeyCopiedOntoAnotherSubjectFailsRotationAndChangesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (home, values) = try self.populatedHome(directory, count: 3)
        let subjects = values.keys.sorted()
        // Swap two wrapped keys: each is now bound to the wrong subject.
        let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
        try store.write { transaction in
            let first = try #require(try transaction.dataKeys.key(for: subjects[0]))
            let second = try #require(try transaction.dataKeys.key(for: subjects[1]))
            _ = try transaction.dataKeys.delete(for: subjects[0])
            _ = try transaction.dataKeys.delete(for: subjects[1])
            try transaction.dataKeys.insert(StoredDataKey(subject: subjects[0], kekVersion: 1, wrapped: second.wrapped))
            try transaction.dataKeys.insert(StoredDataKey(subject: subjects[1], kekVersion: 1, wrapped: first.wrapped))
        }
        try store.close()

        #expect(throws: CryptoError.self) { try runCleanRoom(["keys", "rotate", "--home", home.root]) }
        #expect(try self.versions(home) == [1: 3], "the failed rotation rolled back")
    }
}

struct PolicyCheckCommandTests {
    @Test func theRepositoryPolicyPasses() throws {
        try runCleanRoom(["policy", "check", repositoryPolicy])
    }

    @Test func aBrokenPolicyFailsWithExitCodeOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text = try String(contentsOfFile: repositoryPolicy, encoding: .utf8)
            .replacingOccurrences(of: "k: 50", with: "k: 1")
        let broken = try directory.file("broken.yaml", Array(text.utf8))
        #expect(throws: ExitCode.failure) { try runCleanRoom(["policy", "check", broken]) }
    }

    @Test func theSummaryNamesDigestPurposesRolesAndK() throws {
        let policy = try PolicyLoader.load(contentsOf: repositoryPolicy)
        let text = PolicySummary(policy: policy, path: "p.yaml").text
        #expect(text.contains(policy.digest))
        #expect(text.contains("2 partner"))
        #expect(text.contains("k           \(policy.privacy.k)"))
    }

    @Test func theHelpListsEveryCommand() {
        let help = CleanRoomCommand.helpMessage()
        for name in ["init", "keys", "policy", "hash"] {
            #expect(help.contains(name))
        }
    }
}
