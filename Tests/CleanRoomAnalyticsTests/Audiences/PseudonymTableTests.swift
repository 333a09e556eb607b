@testable import CleanRoomAnalytics
import CleanRoomTestSupport
import Testing

/// The match index's table: its in-place sort, its galloping lookups and its delta of changed people, each checked
/// against a plain dictionary.
struct PseudonymTableTests {
    /// `count` random entries; with `spread` the keys fall in `0 ..< spread`, so some repeat.
    static func entries(_ count: Int, spread: UInt64 = .max, seed: UInt64) -> (keys: [UInt64], owners: [UInt32]) {
        var random = SplitMix64(seed: seed)
        let keys = (0..<count).map { _ in UInt64.random(in: 0...spread - 1, using: &random) }
        let owners = (0..<count).map { _ in UInt32.random(in: 1...1000, using: &random) }
        return (keys, owners)
    }

    @Test(arguments: [0, 1, 2, 16, 17, 1000, 20_000])
    func theSortOrdersKeysAndCarriesTheirOwners(count: Int) {
        for spread in [UInt64.max, 7] {
            var (keys, owners) = Self.entries(count, spread: spread, seed: UInt64(count))
            let expected = zip(keys, owners).map { [$0.0, UInt64($0.1)] }.sorted { $0.lexicographicallyPrecedes($1) }
            PseudonymTable.sort(&keys, carrying: &owners)
            #expect(keys == expected.map { $0[0] })
            // Equal keys may come in any order: compare each key's owners as a multiset.
            var sortedPairs = zip(keys, owners).map { [$0.0, UInt64($0.1)] }
            sortedPairs.sort { $0.lexicographicallyPrecedes($1) }
            #expect(sortedPairs == expected)
        }
    }

    @Test func repeatedEntriesGoButAKeySharedByTwoPeopleStays() {
        var keys: [UInt64] = [9, 5, 9, 5, 5, 1, 9, 5]
        var owners: [UInt32] = [2, 1, 2, 3, 1, 1, 2, 3]
        PseudonymTable.sortUnique(&keys, carrying: &owners)
        #expect(keys == [1, 5, 5, 9])
        #expect(owners == [1, 1, 3, 2])
    }

    /// What the table should answer: every owner of each key looked up, as a sorted list.
    static func expected(_ table: [UInt64: [UInt32]], _ lookups: [UInt64]) -> [UInt32] {
        lookups.flatMap { table[$0] ?? [] }.sorted()
    }

    static func found(_ table: PseudonymTable, _ lookups: [UInt64]) -> [UInt32] {
        var found: [UInt32] = []
        table.forEachSubject(matching: lookups.sorted()) { found.append($0) }
        return found.sorted()
    }

    @Test(arguments: [(5_000, 10), (5_000, 4_000), (200, 20_000)])
    func lookupsFindEveryStoredKeyAndNothingElse(stored: Int, lookedUp: Int) {
        var (keys, owners) = Self.entries(stored, spread: UInt64(stored * 3), seed: 42)
        var reference: [UInt64: [UInt32]] = [:]
        for (key, owner) in zip(keys, owners) { reference[key, default: []].append(owner) }
        PseudonymTable.sort(&keys, carrying: &owners)
        let table = PseudonymTable(ascendingKeys: keys, owners: owners)
        var random = SplitMix64(seed: 7)
        let lookups = Array(Set((0..<lookedUp).map { _ in UInt64.random(in: 0..<UInt64(stored * 3), using: &random) }))
        #expect(Self.found(table, lookups) == Self.expected(reference, lookups))
        #expect(Self.found(table, [0, .max]) == Self.expected(reference, [0, .max]))
    }

    @Test func changedPeopleReplaceTheirEntriesBeforeAndAfterTheMerge() {
        // Eight people with two keys each: person p holds 10p and 10p + 1. The delta is merged past 4 entries.
        let keys = (1...8).flatMap { [UInt64($0 * 10), UInt64($0 * 10 + 1)] }
        let owners = (1...8).flatMap { [UInt32($0), UInt32($0)] }
        var table = PseudonymTable(ascendingKeys: keys, owners: owners, mergeFloor: 4)
        let everyKey = (0...100).map(UInt64.init)
        #expect(Self.found(table, everyKey) == (1...8).flatMap { [UInt32($0), UInt32($0)] }.sorted())

        // Person 1 changes keys: the delta answers for them (their old key 10 is gone), the base for the others.
        table.replace(1, keys: [11, 95])
        #expect(table.count == 18)
        #expect(Self.found(table, [10, 11, 20, 95]) == [1, 1, 2])
        // Person 2 changes too: the delta outgrows its bound and is merged into the base.
        table.replace(2, keys: [96])
        #expect(table.count == 15)
        #expect(Self.found(table, [10, 11, 20, 21, 95, 96]) == [1, 1, 2])
        // After the merge, changes go to a fresh delta: person 9 is new, person 1 is erased.
        table.replace(9, keys: [20])
        table.replace(1, keys: [])
        #expect(Self.found(table, everyKey) == [2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9])
    }

    @Test func aKeyIsItsPseudonymsFirstEightBytesBigEndian() {
        let bytes: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8] + Array(repeating: 0xFF, count: 24)
        #expect(PseudonymTable.key(bytes) == 0x0102_0304_0506_0708)
        #expect(PseudonymTable.key(bytes, at: 4) == 0x0506_0708_FFFF_FFFF)
    }
}
