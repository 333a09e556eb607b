import CleanRoomCore
import CleanRoomTestSupport
import Testing

@testable import CleanRoomIngest

/// The identity index's open-addressing table answers as a `Dictionary` would, through growth, overwrites and
/// removals inside runs of colliding keys.
struct IdentityTableTests {
    /// Keys whose first words fall into few slots (the low bits drawn from `homes` values, half of them counted
    /// down from the last slot of any table), so that runs form, wrap around the end of the table and are cut by
    /// removals; `b` tells the keys apart, `marked` gives keys no insertion made.
    static func key(_ generator: inout SplitMix64, homes: UInt64, marked: Bool = false) -> IdentityIndex.Key {
        let home = generator.next() % homes
        let low = generator.next().isMultiple(of: 2) ? home : (1 << 20) - 1 - home
        return IdentityIndex.Key(
            a: generator.next() << 20 | low % (1 << 20), b: generator.next() % 64 + (marked ? 64 : 0), c: 0, d: 0)
    }

    @Test(arguments: [3, 40, 1 << 20])
    func answersAsADictionaryDoes(homes: UInt64) {
        var generator = SplitMix64(seed: homes)
        var table = IdentityTable()
        var reference: [IdentityIndex.Key: SubjectID] = [:]
        var keys: [IdentityIndex.Key] = []
        for step in 0..<20_000 {
            let choice = generator.next() % 10
            if choice < 6 || keys.isEmpty {
                let key = Self.key(&generator, homes: homes)
                let subject = SubjectID(Int64(step + 1))
                table[key] = subject
                reference[key] = subject
                keys.append(key)
            } else if choice < 9 {
                let key = keys[Int(generator.next() % UInt64(keys.count))]
                table[key] = nil
                reference[key] = nil
            } else {
                let key = keys[Int(generator.next() % UInt64(keys.count))]
                table[key] = SubjectID(-Int64(step))
                reference[key] = SubjectID(-Int64(step))
            }
            if step % 997 == 0 || step == 19_999 {
                #expect(table.count == reference.count)
                for key in keys {
                    #expect(table[key] == reference[key])
                }
                #expect(table[Self.key(&generator, homes: homes, marked: true)] == nil)
            }
        }
    }

    @Test func aTableMadeForACapacityHoldsItAndGrowsPastIt() {
        var table = IdentityTable(capacity: 1000)
        let keys = (0..<5000).map { IdentityIndex.Key(a: UInt64($0) &* 0x9E37_79B9_7F4A_7C15, b: 1, c: 2, d: 3) }
        for (offset, key) in keys.enumerated() {
            table[key] = SubjectID(Int64(offset))
        }
        #expect(table.count == 5000)
        #expect(keys.enumerated().allSatisfy { table[$1] == SubjectID(Int64($0)) })
        table[keys[0]] = nil
        table[keys[0]] = nil
        #expect(table.count == 4999)
        #expect(table[keys[0]] == nil)
    }
}
