public import CleanRoomCore
internal import GRDB

/// Which people each audited computation was computed over: one row per audit entry that released numbers,
/// pointing to its cohort, stored once however many releases share it (content-addressed by SHA-256 of the
/// encoding, so a repeated query costs one small row).
public struct CohortReleaseRepository {
    let db: Database

    /// Records that the computation audited as entry `sequence` was computed over `members`.
    ///
    /// - Throws: ``StoreError`` `constraint` when that entry already has a cohort.
    public func record(auditSequence sequence: Int, members: CohortMembers, digest: [UInt8]) throws {
        try self.keep(members, digest: digest)
        try self.link(auditSequence: sequence, toStoredCohort: digest)
    }

    /// Records that the computation audited as entry `sequence` was computed over the cohort already stored under
    /// `digest` (by ``record(auditSequence:members:digest:)`` or ``guardCohort(principal:members:size:digest:auditSequence:)``).
    ///
    /// - Throws: ``StoreError`` `constraint` when no cohort is stored under `digest` or the entry already has one.
    public func link(auditSequence sequence: Int, toStoredCohort digest: [UInt8]) throws {
        try performing("record a released cohort") {
            var release = try DirectStatement(
                self.db, sql: "INSERT INTO cohort_releases (audit_sequence, cohort_digest) VALUES (?, ?)")
            release.bind(Int64(sequence))
            release.bind(digest)
            try release.run()
        }
    }

    /// Notes that `principal` was answered about the cohort `members` (of `size` people) in audit entry `sequence`,
    /// for the differencing guard; a cohort already noted for the principal keeps its first entry.
    public func guardCohort(
        principal: String, members: CohortMembers, size: Int, digest: [UInt8], auditSequence sequence: Int
    ) throws {
        try self.keep(members, digest: digest)
        try performing("note a released cohort for the differencing guard") {
            var note = try DirectStatement(
                self.db,
                sql: """
                    INSERT INTO guarded_cohorts (principal, size, cohort_digest, first_audit_sequence)
                    VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """)
            note.bind(principal)
            note.bind(size)
            note.bind(digest)
            note.bind(sequence)
            try note.run()
        }
    }

    /// The cohorts `principal` was answered about whose size is in `sizes`, other than the one with digest
    /// `excluding` (the cohort being checked, which is trivially equal to itself).
    public func guardedCohorts(
        principal: String, sizes: ClosedRange<Int>, excluding digest: [UInt8] = []
    ) throws -> [CohortMembers] {
        try performing("read the cohorts released to a principal") {
            let rows = try Row.fetchCursor(
                self.db.cachedStatement(
                    sql: """
                        SELECT c.members FROM guarded_cohorts g
                        JOIN cohorts c ON c.digest = g.cohort_digest
                        WHERE g.principal = ? AND g.size BETWEEN ? AND ? AND g.cohort_digest != ?
                        """),
                arguments: [principal, sizes.lowerBound, sizes.upperBound, digest.blob])
            var cohorts: [CohortMembers] = []
            while let row = try rows.next() {
                cohorts.append(try CohortMembers(encoded: row.bytes(at: 0)))
            }
            return cohorts
        }
    }

    /// Stores a cohort's members once under its digest.
    private func keep(_ members: CohortMembers, digest: [UInt8]) throws {
        try performing("store a cohort") {
            var cohort = try DirectStatement(
                self.db, sql: "INSERT INTO cohorts (digest, members) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING")
            cohort.bind(digest)
            cohort.bind(members.encoded)
            try cohort.run()
        }
    }

    /// The audit sequence numbers of the computations whose cohort included `subject`, ascending.
    public func auditSequences(including subject: SubjectID) throws -> [Int] {
        try performing("find the computations that included a person") {
            var digests: [[UInt8]] = []
            let cohorts = try Row.fetchCursor(self.db, sql: "SELECT digest, members FROM cohorts")
            while let row = try cohorts.next() {
                if try CohortMembers(encoded: row.bytes(at: 1)).contains(subject) {
                    digests.append(row.bytes(at: 0))
                }
            }
            var sequences: [Int] = []
            for digest in digests {
                sequences += try Int.fetchAll(
                    self.db.cachedStatement(sql: "SELECT audit_sequence FROM cohort_releases WHERE cohort_digest = ?"),
                    arguments: [digest.blob])
            }
            return sequences.sorted()
        }
    }
}
