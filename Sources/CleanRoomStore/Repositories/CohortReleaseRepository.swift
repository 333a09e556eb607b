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
        try performing("record a released cohort") {
            var cohort = try DirectStatement(
                self.db, sql: "INSERT INTO cohorts (digest, members) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING")
            cohort.bind(digest)
            cohort.bind(members.encoded)
            try cohort.run()
            var release = try DirectStatement(
                self.db, sql: "INSERT INTO cohort_releases (audit_sequence, cohort_digest) VALUES (?, ?)")
            release.bind(Int64(sequence))
            release.bind(digest)
            try release.run()
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
