@testable import CleanRoomAnalytics
import CleanRoomCore
import Testing

struct ReleasedCohortTests {
    func fingerprint(_ ids: [Int64]) -> CohortFingerprint {
        var fingerprint = CohortFingerprint()
        ids.sorted().forEach { fingerprint.add($0) }
        return fingerprint
    }

    @Test func equalSetsShareAFingerprintAndNeighboursDoNot() {
        let base = Array(Int64(1)...600)
        #expect(self.fingerprint(base) == self.fingerprint(base.reversed()))
        var seen: Set<CohortFingerprint> = [self.fingerprint(base)]
        // Every set one person away from the base: removed, or swapped for an outsider.
        for removed in base.indices {
            var smaller = base
            smaller.remove(at: removed)
            #expect(seen.insert(self.fingerprint(smaller)).inserted)
            smaller.append(10_000 + Int64(removed))
            #expect(seen.insert(self.fingerprint(smaller)).inserted)
        }
    }

    @Test func partsScannedApartCombineIntoTheWholesFingerprint() {
        let ids = (1...1_000).map { Int64($0 * 7) }
        for split in [0, 1, 333, 999, 1_000] {
            let whole = self.fingerprint(ids)
            let combined = self.fingerprint(Array(ids[..<split])).followed(by: self.fingerprint(Array(ids[split...])))
            #expect(combined == whole)
        }
    }

    @Test func aCachedCohortIsTheOneEncodedFromItsMembers() throws {
        let cache = ReleasedCohortCache(capacity: 2)
        let subjects = (1...100).map { SubjectID(Int64($0 * 3)) }
        let cohort = ReleasedCohort(ascending: subjects)
        let key = self.fingerprint(subjects.map(\.rawValue))
        cache.keep(cohort, as: key)
        #expect(cache.cohort(key)?.digest == cohort.digest)
        #expect(try cache.cohort(key)?.subjects() == subjects)
        // Full: cleared before the next one is kept.
        cache.keep(cohort, as: self.fingerprint([1]))
        cache.keep(cohort, as: self.fingerprint([2]))
        #expect(cache.cohort(key) == nil)
    }
}
