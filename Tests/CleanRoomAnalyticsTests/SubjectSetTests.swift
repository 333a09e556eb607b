import CleanRoomAnalytics
import Testing

struct SubjectSetTests {
    @Test func insertRemoveAndCount() {
        var set = SubjectSet(capacity: 130)
        for row in [0, 63, 64, 129] { set.insert(row) }
        set.remove(63)
        #expect(set.count == 3)
        #expect(set.rows == [0, 64, 129])
        #expect(set.contains(129) && !set.contains(63) && !set.contains(130) && !set.contains(-1))
    }

    @Test func allHoldsExactlyTheCapacity() {
        #expect(SubjectSet.all(capacity: 70).count == 70)
        #expect(SubjectSet.all(capacity: 64).count == 64)
        #expect(SubjectSet.all(capacity: 0).isEmpty)
    }

    @Test func setAlgebraAgreesWithSwiftSets() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let capacity = Int.random(in: 1...500, using: &generator)
            let left = Set((0..<capacity).filter { _ in Bool.random(using: &generator) })
            let right = Set((0..<capacity / 2).filter { _ in Bool.random(using: &generator) })
            var a = SubjectSet(capacity: capacity)
            left.forEach { a.insert($0) }
            var b = SubjectSet(capacity: capacity / 2)
            right.forEach { b.insert($0) }
            #expect(a.intersection(b).rows == left.intersection(right).sorted())
            #expect(a.union(b).rows == left.union(right).sorted())
            #expect(a.subtracting(b).rows == left.subtracting(right).sorted())
            #expect(a.symmetricDifferenceCount(b) == left.symmetricDifference(right).count)
        }
    }

    @Test func growKeepsMembersAndAddsNone() {
        var set = SubjectSet(capacity: 10)
        set.insert(9)
        set.grow(to: 1000)
        #expect(set.rows == [9])
        set.insert(999)
        #expect(set.count == 2)
    }
}
