import CleanRoomCore
@testable import CleanRoomStore
import Foundation
import GRDB
import Testing

/// Opening, migrating and verifying database files.
struct StoreFileTests {
    static let allMigrations = [
        "v1-initial-schema", "v2-ingest-batch-rejects", "v3-pseudonyms-in-identifier-rows",
        "v4-attributes-one-row-per-subject", "v5-released-cohorts", "v6-data-keys-in-the-vault", "v7-differencing-guard",
        "v8-audiences", "v9-principal-tokens", "v10-identifier-kind-check",
    ]

    @Test func version4GathersASubjectsAttributesIntoOneRow() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("v3.sqlite").path
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: "v3-pseudonyms-in-identifier-rows")
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO subjects (id, created_at) VALUES (1, 0), (2, 0), (3, 0);
                    INSERT INTO attributes (subject_id, name, value, updated_at) VALUES
                        (1, 'country', 'DE', 5000), (1, 'age_band', '25-34', 7000), (2, 'city', 'Zürich "Nord"', 9000);
                    """)
            }
            try queue.close()
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)

            let store = try Store.open(path: path)
            #expect(try store.appliedMigrations == Self.allMigrations)
            try store.read { tx throws in
                #expect(try tx.attributes.attributes(of: SubjectID(1)) == [
                    StoredAttribute(subject: SubjectID(1), name: "age_band", value: "25-34", updatedAt: Fixture.milliseconds(7000)),
                    StoredAttribute(subject: SubjectID(1), name: "country", value: "DE", updatedAt: Fixture.milliseconds(5000)),
                ])
                #expect(try tx.attributes.attributes(of: SubjectID(2)) == [
                    StoredAttribute(subject: SubjectID(2), name: "city", value: "Zürich \"Nord\"", updatedAt: Fixture.milliseconds(9000)),
                ])
                #expect(try tx.attributes.attributes(of: SubjectID(3)).isEmpty)
            }
            try store.close()
        }
    }

    @Test func version3MovesEachVariantPseudonymIntoItsIdentifierRow() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("v2.sqlite").path
            let google = Fixture.pseudonym(1), basic = Fixture.pseudonym(2), device = Fixture.pseudonym(3)
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: "v2-ingest-batch-rejects")
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO subjects (id, created_at) VALUES (7, 0);
                    INSERT INTO identifiers (id, subject_id, kind, sealed, added_at) VALUES
                        (1, 7, 'email', x'01', 5), (2, 7, 'device_id', x'02', 6);
                    """)
                for (identifier, variant, pseudonym) in [(1, "google", google), (1, "basic", basic), (2, "", device)] {
                    try db.execute(
                        sql: "INSERT INTO identifier_pseudonyms (identifier_id, variant, pseudonym) VALUES (?, ?, ?)",
                        arguments: [identifier, variant, Data(pseudonym.bytes)])
                }
            }
            try queue.close()
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)

            let store = try Store.open(path: path)
            #expect(try store.appliedMigrations == Self.allMigrations)
            let identifiers = try store.read { tx in try tx.identifiers.identifiers(of: SubjectID(7)) }
            #expect(identifiers.map(\.kind) == [.email, .deviceID])
            #expect(identifiers.map(\.sealed) == [[1], [2]])
            #expect(identifiers[0].variants == [.init(name: "basic", pseudonym: basic), .init(name: "google", pseudonym: google)])
            #expect(identifiers[1].variants == [.init(name: "", pseudonym: device)])
            var loaded: [StoredPseudonym] = []
            try store.read { tx in try tx.identifiers.forEachPseudonym { loaded.append($0) } }
            #expect(loaded.map(\.pseudonym) == [basic, google, device])
            try store.close()
        }
    }
    @Test func version10KeepsEveryIdentifierAndStillChecksItsKind() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("v9.sqlite").path
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: "v9-principal-tokens")
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO subjects (id, created_at) VALUES (4, 0), (5, 0);
                    INSERT INTO identifiers (id, subject_id, kind, sealed, added_at, variants, pseudonyms) VALUES
                        (3, 5, 'phone', x'03', 7, '', x'\(String(repeating: "ab", count: 32))'),
                        (9, 4, 'customer_id', x'09', 8, '', x'\(String(repeating: "cd", count: 32))');
                    """)
            }
            try queue.close()
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)

            let store = try Store.open(path: path)
            #expect(try store.appliedMigrations == Self.allMigrations)
            try store.read { tx throws in
                #expect(try tx.identifiers.identifiers(of: SubjectID(5)).map(\.sealed) == [[3]])
                #expect(try tx.identifiers.identifiers(of: SubjectID(4)).map(\.kind) == [.customerID])
            }
            try store.close()

            let reopened = try DatabaseQueue(path: path)
            try reopened.write { db throws in
                #expect(try Int.fetchAll(db, sql: "SELECT id FROM identifiers ORDER BY id") == [3, 9])
                #expect(throws: DatabaseError.self) {
                    try db.execute(sql: """
                        INSERT INTO identifiers (subject_id, kind, sealed, added_at) VALUES (4, 'postal_address', x'01', 0)
                        """)
                }
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'identifiers_subject'") == 1)
            }
            try reopened.close()
        }
    }

    @Test func migrationsApplyOnAFreshFileAndAreIdempotentOnReopen() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("cleanroom.sqlite").path
            let store = try Store.open(path: path)
            #expect(try store.appliedMigrations == Self.allMigrations)
            let subject = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
            try store.close()

            let reopened = try Store.open(path: path)
            #expect(try reopened.appliedMigrations == Self.allMigrations)
            #expect(try reopened.read { tx in try tx.subjects.exists(subject) })
            #expect(try reopened.read { tx in try tx.subjects.count() } == 1)
            try reopened.close()
        }
    }

    @Test func aFileIsInWALMode() throws {
        try withTemporaryDirectory { directory in
            let store = try Store.open(path: directory.appendingPathComponent("wal.sqlite").path)
            #expect(try store.journalMode == "wal")
            try store.close()
        }
    }

    @Test func everyCommitIsSyncedToDisk() throws {
        try withTemporaryDirectory { directory in
            let store = try Store.open(path: directory.appendingPathComponent("sync.sqlite").path)
            #expect(try store.synchronousLevel == 2, "PRAGMA synchronous = FULL")
            try store.close()
        }
    }

    @Test func aNewFileAndItsLogArePrivate() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("private.sqlite").path
            let store = try Store.open(path: path)
            _ = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
            for file in [path, path + "-wal", path + "-shm"] {
                let attributes = try FileManager.default.attributesOfItem(atPath: file)
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(file)")
            }
            try store.close()
        }
    }

    @Test(arguments: [0o644, 0o640, 0o604])
    func aFileOthersCanAccessIsRefusedNamingIt(mode: Int) throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("loose.sqlite").path
            try Store.open(path: path).close()
            try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: mode)], ofItemAtPath: path)
            let error = #expect(throws: StoreError.self) { try Store.open(path: path) }
            #expect(error?.code == .insecurePermissions)
            #expect(error?.message.contains("chmod 600 \(path)") == true)
        }
    }

    @Test func aMissingFileIsRefusedWhenCreationIsNotAllowed() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("absent.sqlite").path
            let error = #expect(throws: StoreError.self) {
                try Store.open(path: path, options: Store.Options(createIfMissing: false))
            }
            #expect(error?.code == .notFound)
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func anInMemoryStoreHasTheSchema() throws {
        let store = try Store.inMemory()
        #expect(try store.appliedMigrations == Self.allMigrations)
        #expect(try store.journalMode == "memory")
    }

    /// How a test damages the pages in the middle of a database file.
    enum Damage: String, CaseIterable, CustomTestStringConvertible {
        /// Whole pages overwritten: SQLite cannot even read them.
        case wholePages
        /// Page bodies overwritten, headers kept: the pages read, and `quick_check` reports the damage.
        case pageBodies

        var testDescription: String { self.rawValue }

        /// The part of the error message that shows which check caught the damage.
        var expectedMessage: String {
            switch self {
            case .wholePages: "database disk image is malformed"
            case .pageBodies: "quick_check found damage"
            }
        }

        func bytes(ofPage page: Int, pageSize: Int) -> Range<Int> {
            switch self {
            case .wholePages: (page * pageSize)..<((page + 1) * pageSize)
            case .pageBodies: (page * pageSize + 200)..<((page + 1) * pageSize - 200)
            }
        }
    }

    /// A database of 3,000 people at `url`, checkpointed and closed, then damaged in the middle fifth of its pages.
    static func damagedDatabase(at url: URL, damage: Damage) throws {
        let store = try Store.open(path: url.path)
        try store.write { tx throws in
            for index in 0..<3_000 {
                let subject = try tx.subjects.create(at: Fixture.time(index))
                try tx.identifiers.add(
                    Fixture.identifier(of: subject, kind: .email, seed: index * 4, variants: ["basic", "google"])
                )
                try tx.attributes.upsert(
                    StoredAttribute(subject: subject, name: "country", value: "DE", updatedAt: Fixture.time(index))
                )
            }
        }
        try store.close()
        let walSize = (try? FileManager.default.attributesOfItem(atPath: url.path + "-wal")[.size] as? Int) ?? 0
        try #require(walSize == 0, "closing must checkpoint the log into the file")

        var bytes = try [UInt8](Data(contentsOf: url))
        let pageSize = 4096
        let pageCount = bytes.count / pageSize
        try #require(pageCount >= 20)
        for page in (pageCount * 2 / 5)..<(pageCount * 3 / 5) {
            for offset in damage.bytes(ofPage: page, pageSize: pageSize) {
                bytes[offset] = 0xA5
            }
        }
        try Data(bytes).write(to: url)
    }

    @Test(arguments: Damage.allCases)
    func aCorruptedFileFailsToOpen(damage: Damage) throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("corrupt.sqlite")
            try Self.damagedDatabase(at: url, damage: damage)
            let error = try #require(throws: StoreError.self) { try Store.open(path: url.path) }
            #expect(error.code == .corrupt)
            #expect(error.message.contains(damage.expectedMessage))
            #expect(error.message.contains("restore"))
        }
    }

    @Test(arguments: Damage.allCases)
    func aCorruptedFileVerifiedBeforeTheFirstWriteRefusesThatWriteAndStaysAsItWas(damage: Damage) throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("corrupt.sqlite")
            try Self.damagedDatabase(at: url, damage: damage)
            let before = try Data(contentsOf: url)
            let store = try Store.open(path: url.path, options: Store.Options(integrityCheck: .beforeFirstWrite))
            let error = try #require(throws: StoreError.self) {
                try store.write { tx in _ = try tx.subjects.create(at: Fixture.time(0)) }
            }
            #expect(error.code == .corrupt)
            #expect(error.message.contains(damage.expectedMessage))
            #expect(throws: StoreError.self) { try store.checkpoint() }
            try? store.close()
            #expect(try Data(contentsOf: url) == before)
        }
    }

    @Test func aSoundFileVerifiedBeforeTheFirstWriteIsReadAndWrittenAsAnyOther() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("sound.sqlite").path
            let created = try Store.open(path: path)
            try created.write { tx in _ = try tx.subjects.create(at: Fixture.time(0)) }
            try created.close()
            let store = try Store.open(path: path, options: Store.Options(integrityCheck: .beforeFirstWrite))
            #expect(try store.read { tx in try tx.subjects.count() } == 1)
            try store.write { tx in _ = try tx.subjects.create(at: Fixture.time(1)) }
            #expect(try store.read { tx in try tx.subjects.count() } == 2)
            try store.close()
        }
    }

    @Test func aFileThatIsNotADatabaseIsRefused() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("notes.sqlite")
            try Data(String(repeating: "not a database\n", count: 400).utf8).write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: 0o600)], ofItemAtPath: url.path)
            let error = try #require(throws: StoreError.self) { try Store.open(path: url.path) }
            #expect(error.code == .corrupt)
        }
    }

    @Test func aMissingDirectoryCannotBeOpened() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("missing/cleanroom.sqlite").path
            let error = try #require(throws: StoreError.self) { try Store.open(path: path) }
            #expect(error.code == .cannotOpen)
        }
    }

    @Test func version6MovesTheDataKeysToTheVault() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("v5.sqlite").path
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: "v5-released-cohorts")
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO subjects (id, created_at) VALUES (3, 0);
                    INSERT INTO data_keys (subject_id, kek_version, wrapped) VALUES (3, 1, x'0a0b0c');
                    """)
            }
            try queue.close()
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)

            let store = try Store.open(path: path)
            #expect(try store.appliedMigrations == Self.allMigrations)
            #expect(try store.read { tx in try tx.dataKeys.key(for: SubjectID(3)) }
                == StoredDataKey(subject: SubjectID(3), kekVersion: 1, wrapped: [0x0a, 0x0b, 0x0c]))
            try store.close()
            let reopened = try DatabaseQueue(path: path)
            #expect(try reopened.read { db in try db.tableExists("data_keys") } == false)
            try reopened.close()
        }
    }

    /// The database and the vault commit one after the other; whatever a crash leaves between them is settled at the
    /// next open: keys of subjects whose creation never committed go, and keys destroyed by a committed erasure go.
    @Test func anInterruptedWriteIsSettledBetweenTheDatabaseAndTheVaultAtOpen() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("settle.sqlite").path
            let store = try Store.open(path: path)
            let (kept, erased) = try store.write { tx throws in
                let kept = try tx.subjects.create(at: Fixture.time(0))
                let erased = try tx.subjects.create(at: Fixture.time(0))
                try tx.dataKeys.insert(StoredDataKey(subject: kept, kekVersion: 1, wrapped: [1]))
                try tx.dataKeys.insert(StoredDataKey(subject: erased, kekVersion: 1, wrapped: [2]))
                return (kept, erased)
            }
            try store.close()
            // As a crash would leave them: a key added to the vault for a subject whose commit never happened, and an
            // erasure committed in the database whose key deletion never reached the vault.
            let vault = try DatabaseQueue(path: path + ".keys")
            try vault.write { db in
                try db.execute(sql: "INSERT INTO data_keys (subject_id, kek_version, wrapped) VALUES (99, 1, x'09')")
            }
            try vault.close()
            let database = try DatabaseQueue(path: path)
            try database.write { db in
                try db.execute(sql: "DELETE FROM subjects WHERE id = ?", arguments: [erased.rawValue])
                try db.execute(sql: "INSERT INTO pending_key_deletions (subject_id) VALUES (?)", arguments: [erased.rawValue])
            }
            try database.close()

            let reopened = try Store.open(path: path)
            var keys: [SubjectID] = []
            try reopened.read { tx in try tx.dataKeys.forEach { keys.append($0.subject) } }
            #expect(keys == [kept])
            try reopened.close()
        }
    }

    @Test func keysAddedByAWriteThatFailsLeaveTheVault() throws {
        let store = try Store.inMemory()
        struct Refused: Error {}
        #expect(throws: StoreError.self) {
            try store.write { tx in
                let subject = try tx.subjects.create(at: Fixture.time(0))
                try tx.dataKeys.insert(StoredDataKey(subject: subject, kekVersion: 1, wrapped: [1]))
                // A second key for the same subject is refused at once, and the whole write with it.
                try tx.dataKeys.insert(StoredDataKey(subject: subject, kekVersion: 1, wrapped: [2]))
            }
        }
        #expect(throws: Refused.self) {
            try store.write { tx in
                let subject = try tx.subjects.create(at: Fixture.time(0))
                try tx.dataKeys.insert(StoredDataKey(subject: subject, kekVersion: 1, wrapped: [1]))
                throw Refused()
            }
        }
        #expect(try store.read { tx in try tx.dataKeys.countsByKEKVersion() }.isEmpty)
        #expect(try store.read { tx in try tx.subjects.count() } == 0)
    }

    /// A data key lives in the key vault, never in the database file (so a database backup holds none), and once
    /// destroyed it leaves no trace in the vault or its log either.
    @Test func aDestroyedDataKeyLeavesNoTraceInTheFiles() throws {
        try withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("shred.sqlite")
            let url = URL(fileURLWithPath: database.path + ".keys")
            let wal = URL(fileURLWithPath: url.path + "-wal")
            let wrapped: [UInt8] = (0..<48).map { UInt8(0x80 | ($0 * 37 % 127)) }
            let store = try Store.open(path: database.path)
            let subject = try store.write { tx throws in
                let subject = try tx.subjects.create(at: Fixture.time(0))
                try tx.dataKeys.insert(StoredDataKey(subject: subject, kekVersion: 1, wrapped: wrapped))
                _ = try tx.subjects.create(at: Fixture.time(1))
                return subject
            }
            try store.checkpoint()
            #expect(try file(at: url, contains: wrapped))
            #expect(try !file(at: database, contains: wrapped))

            #expect(try store.write { tx in try tx.dataKeys.delete(for: subject) })
            try store.checkpoint()
            #expect(try !file(at: url, contains: wrapped))
            #expect(try !file(at: wal, contains: wrapped))
            #expect(try store.read { tx in try tx.subjects.exists(subject) })
            try store.close()
        }
    }
}
