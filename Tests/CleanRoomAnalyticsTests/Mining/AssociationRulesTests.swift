import CleanRoomAnalytics
import CleanRoomTestSupport
import Testing

struct AssociationRulesTests {
    @Test func generatesTheRulesOfASmallExample() {
        // {1}: 3, {2}: 3, {3}: 1, {1, 2}: 2, {1, 3}: 1 of 4 transactions.
        let itemsets = FrequentItemsetMiner(minimumSupport: 1).mine([[1, 2], [1, 2], [1, 3], [2]])
        let rules = AssociationRules.generate(from: itemsets, minimumConfidence: 0.5)
        #expect(rules == [
            AssociationRule(antecedent: [1], consequent: [2], support: 2, antecedentSupport: 3, consequentSupport: 3),
            AssociationRule(antecedent: [2], consequent: [1], support: 2, antecedentSupport: 3, consequentSupport: 3),
            AssociationRule(antecedent: [3], consequent: [1], support: 1, antecedentSupport: 1, consequentSupport: 3),
        ])
        #expect(abs(rules[0].confidence - 2.0 / 3.0) < 1e-12)
        #expect(abs(rules[0].lift(transactionCount: 4) - 8.0 / 9.0) < 1e-12)
        #expect(rules[2].confidence == 1)
        #expect(abs(rules[2].lift(transactionCount: 4) - 4.0 / 3.0) < 1e-12)
    }

    @Test func splitsALargerItemsetEveryWay() {
        // The textbook example: {a, c, f, m} is in 3 transactions, like every one of its subsets except
        // {c} and {f} (4 each), so every split holds at confidence 3/4 and the 14 splits all appear at 0.75.
        let itemsets = FrequentItemsetMiner(minimumSupport: 3).mine(FrequentItemsetMinerTests.textbook)
        let rules = AssociationRules.generate(from: itemsets, minimumConfidence: 0.75)
        let ofFour = rules.filter { $0.antecedent.count + $0.consequent.count == 4 }
        #expect(ofFour.count == 14)
        #expect(ofFour.allSatisfy { Set($0.antecedent + $0.consequent) == Set(letters("acfm")) })
        let certain = AssociationRules.generate(from: itemsets, minimumConfidence: 1)
        #expect(!certain.contains { $0.antecedent == letters("c") || $0.antecedent == letters("f") })
        #expect(certain.contains { $0.antecedent == letters("m") && $0.consequent == letters("acf") })
        #expect(certain.contains { $0.antecedent == letters("p") && $0.consequent == letters("c") })
    }

    @Test func ruleValuesFollowTheirDefinitions() {
        let rule = AssociationRule(
            antecedent: [4], consequent: [9], support: 30, antecedentSupport: 40, consequentSupport: 50
        )
        #expect(rule.confidence == 0.75)
        #expect(rule.lift(transactionCount: 200) == 3)
    }

    @Test(arguments: 0..<3)
    func agreesWithEveryConfidentSplit(seed: UInt64) {
        var generator = SplitMix64(seed: 100 + seed)
        for round in 0..<40 {
            let transactions = randomTransactions(
                using: &generator, itemCount: Int.random(in: 2...9, using: &generator), largeIds: false
            )
            let itemsets = FrequentItemsetMiner(minimumSupport: Int.random(in: 1...3, using: &generator))
                .mine(transactions)
            let confidence = [0.0, 0.3, 0.5, 0.8, 1.0][round % 5]
            let supportOf = Dictionary(uniqueKeysWithValues: itemsets.map { ($0.items, $0.support) })
            var expected: [AssociationRule] = []
            for itemset in itemsets where itemset.items.count >= 2 {
                let items = itemset.items
                for mask in 1..<((1 << items.count) - 1) {
                    let antecedent = items.indices.filter { mask & (1 << $0) != 0 }.map { items[$0] }
                    let consequent = items.indices.filter { mask & (1 << $0) == 0 }.map { items[$0] }
                    let rule = AssociationRule(
                        antecedent: antecedent, consequent: consequent, support: itemset.support,
                        antecedentSupport: supportOf[antecedent]!, consequentSupport: supportOf[consequent]!
                    )
                    if rule.confidence >= confidence { expected.append(rule) }
                }
            }
            expected.sort {
                $0.antecedent != $1.antecedent
                    ? $0.antecedent.lexicographicallyPrecedes($1.antecedent)
                    : $0.consequent.lexicographicallyPrecedes($1.consequent)
            }
            #expect(AssociationRules.generate(from: itemsets, minimumConfidence: confidence) == expected,
                    "seed \(seed), round \(round)")
        }
    }
}
