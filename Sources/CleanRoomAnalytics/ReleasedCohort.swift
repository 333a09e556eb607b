public import CleanRoomCore
internal import CleanRoomCrypto
internal import CleanRoomStore
internal import Synchronization

/// A group of people behind released numbers (the total, a cell, or the pooled "other" cell), as the differencing
/// guard and the release records need it: the members' encoding and its SHA-256 digest.
struct ReleasedCohort: Sendable {
    /// The number of people.
    let count: Int
    let members: CohortMembers
    let digest: [UInt8]

    /// The cohort of `subjects`, in ascending order (the order of index rows).
    init(ascending subjects: [SubjectID]) {
        self.count = subjects.count
        self.members = CohortMembers(ascending: subjects)
        self.digest = SHA256.hash(self.members.encoded)
    }

    /// The members, ascending, decoded from their encoding (for the guard's comparisons).
    func subjects() throws -> [SubjectID] {
        try self.members.subjectIDs()
    }
}

/// A fingerprint of a set of subject ids, computed while scanning them in ascending order: two polynomial hashes
/// with independent multipliers and the count. Equal sets give equal fingerprints; different sets collide with a
/// probability around 2⁻¹²⁸ and cannot be steered, since nobody chooses subject ids.
struct CohortFingerprint: Hashable, Sendable {
    private var first: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var second: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private(set) var count = 0

    /// Adds the next member (greater than every member added before).
    mutating func add(_ id: Int64) {
        self.first = (self.first ^ UInt64(bitPattern: id)) &* 0x0000_0100_0000_01B3 &+ 0x632B_E59B_D9B4_E019
        self.second = (self.second &+ UInt64(bitPattern: id)) &* 0xFF51_AFD7_ED55_8CCD ^ (self.second >> 29)
        self.count += 1
    }
}

/// Cohorts already encoded and digested, by fingerprint: a dashboard asking the same question again finds the
/// cohorts of its answer here instead of encoding a million ids once more. Bounded; cleared when full.
final class ReleasedCohortCache: Sendable {
    private let cohorts = Mutex<[CohortFingerprint: ReleasedCohort]>([:])
    private let capacity: Int

    init(capacity: Int = 512) {
        self.capacity = capacity
    }

    func cohort(_ fingerprint: CohortFingerprint) -> ReleasedCohort? {
        self.cohorts.withLock { $0[fingerprint] }
    }

    func keep(_ cohort: ReleasedCohort, as fingerprint: CohortFingerprint) {
        self.cohorts.withLock { cohorts in
            if cohorts.count >= self.capacity { cohorts.removeAll(keepingCapacity: true) }
            cohorts[fingerprint] = cohort
        }
    }
}
