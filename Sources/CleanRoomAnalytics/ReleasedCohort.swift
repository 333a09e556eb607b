internal import CleanRoomCore
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
/// (modulo 2⁶⁴, with independent odd multipliers and element mixes) and the count. Equal sets give equal
/// fingerprints, and fingerprints of consecutive runs of ids combine (``followed(by:)``), so threads scanning
/// ascending ranges can each fingerprint their part. Different sets collide with a probability around 2⁻¹²⁸, and
/// nobody can steer it: subject ids are not chosen by anyone asking.
struct CohortFingerprint: Hashable, Sendable {
    private static let firstMultiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let secondMultiplier: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    private var first: UInt64 = 0
    private var second: UInt64 = 0
    private(set) var count = 0

    /// Adds the next member (greater than every member added before).
    mutating func add(_ id: Int64) {
        let value = UInt64(bitPattern: id)
        self.first = self.first &* Self.firstMultiplier &+ (value &+ 1)
        self.second = self.second &* Self.secondMultiplier &+ ((value &* 0xFF51_AFD7_ED55_8CCD) ^ (value >> 29))
        self.count += 1
    }

    /// The fingerprint of this set's members followed by `later`'s, all of which are greater.
    func followed(by later: CohortFingerprint) -> CohortFingerprint {
        var combined = later
        combined.first = self.first &* Self.power(Self.firstMultiplier, later.count) &+ later.first
        combined.second = self.second &* Self.power(Self.secondMultiplier, later.count) &+ later.second
        combined.count = self.count + later.count
        return combined
    }

    private static func power(_ base: UInt64, _ exponent: Int) -> UInt64 {
        var (result, base, exponent) = (UInt64(1), base, exponent)
        while exponent > 0 {
            if exponent & 1 == 1 { result = result &* base }
            base = base &* base
            exponent >>= 1
        }
        return result
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
