import Foundation
internal import GRDB

/// The versioned schema of the store, applied by GRDB's migrator.
///
/// Layout rules (DESIGN.md section 9):
/// - Tables are keyed in arrival order (`INTEGER PRIMARY KEY`, or a `WITHOUT ROWID` key that starts with
///   one), so a batch of new subjects appends to the end of every B-tree instead of rewriting pages all
///   over it. Secondary indexes start with `subject_id`, which also grows with arrival.
/// - No table or index is keyed by a random pseudonym, except the small `suppression_list`. The
///   pseudonym → subject lookup lives in memory and is rebuilt at start from `identifier_pseudonyms`.
/// - A raw identifier is one row: its value sealed once (`identifiers.sealed`) and the pseudonyms of its
///   normalization variants (e-mail profile, phone form, or `""` for kinds with one form) beside it
///   (`variants`, names joined by commas; `pseudonyms`, 32 bytes each in the same order). Until v3 each
///   variant was a row of its own; at two to four variants per identifier that table was a third of all
///   rows an ingest wrote, for data only ever read whole with its identifier.
/// - A subject's attributes are one row of `subject_attributes` (since v4), for the same reason.
/// - Every table that holds a subject's data refers to `subjects` with `ON DELETE CASCADE`, so erasing
///   a subject is one `DELETE`; `rights_requests` keeps the request and sets its subject to `NULL`.
/// - Times are integers: milliseconds since 1970-01-01 UTC.
/// - Subject ids use `AUTOINCREMENT`: the id of an erased subject is never given to someone else.
enum StoreSchema {
    /// The migrator holding every schema version, oldest first.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial-schema") { db in
            try db.execute(sql: version1)
        }
        migrator.registerMigration("v2-ingest-batch-rejects") { db in
            try db.execute(sql: version2)
        }
        migrator.registerMigration("v3-pseudonyms-in-identifier-rows", migrate: version3)
        migrator.registerMigration("v4-attributes-one-row-per-subject") { db in
            try db.execute(sql: version4)
        }
        migrator.registerMigration("v5-released-cohorts") { db in
            try db.execute(sql: version5)
        }
        migrator.registerMigration("v6-data-keys-in-the-vault") { db in
            try db.execute(sql: version6)
        }
        migrator.registerMigration("v7-differencing-guard") { db in
            try db.execute(sql: version7)
        }
        migrator.registerMigration("v8-audiences") { db in
            try db.execute(sql: version8)
        }
        migrator.registerMigration("v9-principal-tokens") { db in
            try db.execute(sql: version9)
        }
        migrator.registerMigration("v10-identifier-kind-check") { db in
            try db.execute(sql: version10)
        }
        return migrator
    }

    /// A batch keeps the rejects of its rows (JSON Lines: line, field, reason, message; never a value), so a
    /// rerun that skips the batch can list them again.
    private static let version2 = """
        ALTER TABLE ingest_batches ADD COLUMN rejects BLOB NOT NULL DEFAULT x'';
        """

    /// Partners' uploaded audiences, only as pseudonyms: one row per audience (a few per partner), its pseudonyms
    /// end to end in one BLOB after the columns a listing reads, so a listing never touches them.
    private static let version8 = """
        CREATE TABLE audiences (
            id TEXT PRIMARY KEY NOT NULL,
            owner TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            size INTEGER NOT NULL CHECK (size >= 0),
            pseudonyms BLOB NOT NULL CHECK (length(pseudonyms) = 32 * size)
        );
        CREATE INDEX audiences_owner ON audiences(owner, created_at);
        CREATE INDEX audiences_expiry ON audiences(expires_at);
        """

    /// The bearer token of each principal of the service, as its SHA-256 only (the token is shown once, when
    /// issued).
    private static let version9 = """
        CREATE TABLE principal_tokens (
            principal TEXT PRIMARY KEY,
            token_digest BLOB NOT NULL UNIQUE CHECK (length(token_digest) = 32),
            role TEXT NOT NULL,
            issued_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """

    /// The identifiers table is rebuilt with its `kind` check spelled as comparisons. SQLite evaluates
    /// `kind IN ('email', …)` in a CHECK by building a temporary B-tree of the list for every row inserted: at
    /// three identifiers per customer that was a fifth of the SQLite time of a customers ingest.
    private static let version10 = """
        CREATE TABLE identifiers_v10 (
            id INTEGER PRIMARY KEY,
            subject_id INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
            kind TEXT NOT NULL
                CHECK (kind = 'email' OR kind = 'phone' OR kind = 'device_id' OR kind = 'customer_id'),
            sealed BLOB NOT NULL,
            added_at INTEGER NOT NULL,
            variants TEXT NOT NULL DEFAULT '',
            pseudonyms BLOB NOT NULL DEFAULT x''
        );
        INSERT INTO identifiers_v10 (id, subject_id, kind, sealed, added_at, variants, pseudonyms)
            SELECT id, subject_id, kind, sealed, added_at, variants, pseudonyms FROM identifiers ORDER BY id;
        DROP TABLE identifiers;
        ALTER TABLE identifiers_v10 RENAME TO identifiers;
        CREATE INDEX identifiers_subject ON identifiers(subject_id);
        """

    /// Every cohort each principal was answered about (the total and each released cell), by size, for the
    /// differencing guard: a new cohort is compared only with those whose size is within k of its own.
    private static let version7 = """
        CREATE TABLE guarded_cohorts (
            principal TEXT NOT NULL,
            size INTEGER NOT NULL,
            cohort_digest BLOB NOT NULL REFERENCES cohorts(digest),
            first_audit_sequence INTEGER NOT NULL,
            PRIMARY KEY (principal, size, cohort_digest)
        ) WITHOUT ROWID;
        """

    /// The data keys leave the database for the key vault (moved by ``Store`` before this runs), so a database
    /// backup holds no key; destroyed keys are noted until the vault has forgotten them.
    private static let version6 = """
        DROP TABLE data_keys;
        CREATE TABLE pending_key_deletions (
            subject_id INTEGER PRIMARY KEY
        );
        """

    /// Which people each released computation was computed over, for access requests: cohorts stored once by
    /// digest (``CohortMembers``), and per audit entry the cohort it released. Subject ids are never reused, so an
    /// erased person's id left in an old cohort names nobody.
    private static let version5 = """
        CREATE TABLE cohorts (
            digest BLOB PRIMARY KEY CHECK (length(digest) = 32),
            members BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE cohort_releases (
            audit_sequence INTEGER PRIMARY KEY,
            cohort_digest BLOB NOT NULL REFERENCES cohorts(digest)
        );
        CREATE INDEX cohort_releases_cohort ON cohort_releases(cohort_digest);
        """

    /// A subject's attributes become one row: a JSON object from name to `[value, updated milliseconds]`, keys
    /// sorted. A customer record brings half a dozen attributes; as rows they were a third of an ingest's rows.
    private static let version4 = """
        CREATE TABLE subject_attributes (
            subject_id INTEGER PRIMARY KEY REFERENCES subjects(id) ON DELETE CASCADE,
            attributes TEXT NOT NULL
        );
        INSERT INTO subject_attributes (subject_id, attributes)
            SELECT subject_id, json_group_object(name, json_array(value, updated_at))
            FROM (SELECT subject_id, name, value, updated_at FROM attributes ORDER BY subject_id, name)
            GROUP BY subject_id;
        DROP TABLE attributes;
        """

    /// The variants' pseudonyms move into their identifier's row.
    private static func version3(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE identifiers ADD COLUMN variants TEXT NOT NULL DEFAULT '';
            ALTER TABLE identifiers ADD COLUMN pseudonyms BLOB NOT NULL DEFAULT x'';
            """)
        let rows = try Row.fetchCursor(
            db, sql: "SELECT identifier_id, variant, pseudonym FROM identifier_pseudonyms ORDER BY identifier_id, variant")
        let update = try db.makeStatement(sql: "UPDATE identifiers SET variants = ?, pseudonyms = ? WHERE id = ?")
        var current: (id: Int64, names: [String], pseudonyms: [UInt8])?
        let flush = {
            guard let done = current else { return }
            try update.execute(arguments: [done.names.joined(separator: ","), Data(done.pseudonyms), done.id])
        }
        while let row = try rows.next() {
            let id: Int64 = row[0]
            if current?.id != id {
                try flush()
                current = (id, [], [])
            }
            current?.names.append(row[1])
            current?.pseudonyms += [UInt8](row[2] as Data)
        }
        try flush()
        try db.execute(sql: "DROP TABLE identifier_pseudonyms")
    }

    private static let version1 = """
        CREATE TABLE subjects (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created_at INTEGER NOT NULL
        );

        CREATE TABLE identifiers (
            id INTEGER PRIMARY KEY,
            subject_id INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'device_id', 'customer_id')),
            sealed BLOB NOT NULL,
            added_at INTEGER NOT NULL
        );
        CREATE INDEX identifiers_subject ON identifiers(subject_id);

        CREATE TABLE identifier_pseudonyms (
            identifier_id INTEGER NOT NULL REFERENCES identifiers(id) ON DELETE CASCADE,
            variant TEXT NOT NULL,
            pseudonym BLOB NOT NULL CHECK (length(pseudonym) = 32),
            PRIMARY KEY (identifier_id, variant)
        ) WITHOUT ROWID;

        CREATE TABLE data_keys (
            subject_id INTEGER PRIMARY KEY REFERENCES subjects(id) ON DELETE CASCADE,
            kek_version INTEGER NOT NULL,
            wrapped BLOB NOT NULL
        );

        CREATE TABLE consent_ledger (
            id INTEGER PRIMARY KEY,
            subject_id INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
            purpose TEXT NOT NULL,
            signal TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            recorded_at INTEGER NOT NULL,
            source TEXT
        );
        CREATE INDEX consent_ledger_subject ON consent_ledger(subject_id);

        CREATE TABLE attributes (
            subject_id INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (subject_id, name)
        ) WITHOUT ROWID;

        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            subject_id INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            amount REAL,
            currency TEXT,
            event_key BLOB NOT NULL CHECK (length(event_key) BETWEEN 1 AND 64)
        );
        CREATE UNIQUE INDEX events_subject_key ON events(subject_id, event_key);

        CREATE TABLE event_items (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            item TEXT NOT NULL,
            PRIMARY KEY (event_id, position)
        ) WITHOUT ROWID;

        CREATE TABLE suppression_list (
            pseudonym BLOB PRIMARY KEY CHECK (length(pseudonym) = 32),
            added_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE ingest_batches (
            batch_id TEXT PRIMARY KEY,
            digest BLOB NOT NULL,
            source TEXT,
            started_at INTEGER NOT NULL,
            committed_at INTEGER NOT NULL,
            accepted INTEGER NOT NULL,
            rejected INTEGER NOT NULL,
            suppressed INTEGER NOT NULL,
            duplicates INTEGER NOT NULL,
            subjects_created INTEGER NOT NULL,
            subjects_updated INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE rights_requests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            subject_id INTEGER REFERENCES subjects(id) ON DELETE SET NULL,
            received_at INTEGER NOT NULL,
            deadline INTEGER NOT NULL,
            completed_at INTEGER,
            outcome TEXT
        );
        CREATE INDEX rights_requests_subject ON rights_requests(subject_id);
        CREATE INDEX rights_requests_open ON rights_requests(deadline) WHERE completed_at IS NULL;
        """
}
