import CleanRoomAnalytics
import CleanRoomTestSupport
import Testing

struct FrequentItemsetMinerTests {
    /// Han, Pei and Yin (2000), table 1, at a minimum support of 3.
    static let textbook = ["facdgimp", "abcflmo", "bfhjo", "bcksp", "afcelpmn"].map(letters)

    @Test func findsTheTextbookExample() {
        let found = FrequentItemsetMiner(minimumSupport: 3).mine(Self.textbook)
        // f, c: 4; a, b, m, p: 3; from p's base {cp}; from m's, every subset of {f, c, a} with m; from a's,
        // every subset of {f, c} with a; from c's, {cf}; b's base has nothing frequent.
        let expected: [(String, Int)] = [
            ("a", 3), ("ac", 3), ("acf", 3), ("acfm", 3), ("acm", 3), ("af", 3), ("afm", 3), ("am", 3), ("b", 3),
            ("c", 4), ("cf", 3), ("cfm", 3), ("cm", 3), ("cp", 3), ("f", 4), ("fm", 3), ("m", 3), ("p", 3),
        ]
        #expect(found == expected.map { FrequentItemset(items: letters($0.0), support: $0.1) })
    }

    @Test func countsAnItemRepeatedInATransactionOnce() {
        let found = FrequentItemsetMiner(minimumSupport: 2).mine([[7, 7, 7, 3], [3, 3], [7]])
        #expect(found == [
            FrequentItemset(items: [3], support: 2), FrequentItemset(items: [7], support: 2),
        ])
        #expect(FrequentItemsetMiner(minimumSupport: 3).mine([[7, 7, 7], [7, 7]]).isEmpty)
    }

    @Test func findsNothingAboveEverySupport() {
        #expect(FrequentItemsetMiner(minimumSupport: 6).mine(Self.textbook).isEmpty)
        #expect(FrequentItemsetMiner(minimumSupport: 1).mine([]).isEmpty)
        #expect(FrequentItemsetMiner(minimumSupport: 1).mine([[], []]).isEmpty)
    }

    @Test func limitsTheLength() {
        let singles = FrequentItemsetMiner(minimumSupport: 3, maximumLength: 1).mine(Self.textbook)
        #expect(singles.map(\.items) == ["a", "b", "c", "f", "m", "p"].map(letters))
        #expect(singles.map(\.support) == [3, 3, 4, 4, 3, 3])
        let pairs = FrequentItemsetMiner(minimumSupport: 3, maximumLength: 2).mine(Self.textbook)
        #expect(pairs.map(\.items) == ["a", "ac", "af", "am", "b", "c", "cf", "cm", "cp", "f", "fm", "m", "p"]
            .map(letters))
        #expect(pairs.allSatisfy { $0.support == ($0.items == letters("c") || $0.items == letters("f") ? 4 : 3) })
    }

    @Test func reportsEverySubsetOfItemsInEveryTransactionInOrder() {
        // Items 1…16 are in every transaction: 65,535 itemsets of support 3, and 65,536 more with item 20 —
        // enough for the output sort to distribute records before sorting them.
        let common = Array(UInt32(1)...16)
        let found = FrequentItemsetMiner(minimumSupport: 2).mine([common + [20], common, common + [20, 30]])
        #expect(found.count == 131_071)
        #expect(zip(found, found.dropFirst()).allSatisfy { $0.items.lexicographicallyPrecedes($1.items) })
        #expect(found.allSatisfy { $0.support == ($0.items.last == 20 ? 2 : 3) })
        #expect(found.first == FrequentItemset(items: [1], support: 3))
        #expect(found[1] == FrequentItemset(items: [1, 2], support: 3))
        #expect(found.last == FrequentItemset(items: [20], support: 2))
        let limited = FrequentItemsetMiner(minimumSupport: 2, maximumLength: 3).mine([common + [20], common])
        #expect(limited.count == 16 + 16 * 15 / 2 + 16 * 15 * 14 / 6)
        #expect(zip(limited, limited.dropFirst()).allSatisfy { $0.items.lexicographicallyPrecedes($1.items) })
    }

    @Test(arguments: 0..<4)
    func agreesWithBruteForceOnRandomTransactions(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        for round in 0..<60 {
            let transactions = randomTransactions(
                using: &generator, itemCount: Int.random(in: 1...12, using: &generator), largeIds: round % 3 == 2
            )
            let minimumSupport = Int.random(in: 1...4, using: &generator)
            let maximumLength = round % 4 == 0 ? Int.random(in: 1...3, using: &generator) : nil
            let expected = bruteForceItemsets(
                transactions, minimumSupport: minimumSupport, maximumLength: maximumLength
            )
            let found = FrequentItemsetMiner(minimumSupport: minimumSupport, maximumLength: maximumLength)
                .mine(transactions)
            #expect(found == expected, "seed \(seed), round \(round)")
        }
    }
}
