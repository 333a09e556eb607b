/// Which mined rules may be released (DESIGN.md section 6.5, and the inference channels of Atzori, Bonchi,
/// Giannotti and Pedreschi, "Anonymity preserving pattern discovery", VLDB Journal 17, 2008).
///
/// A released rule tells the support of its antecedent A, its consequent B and their union (through support,
/// confidence and lift, with the number of people). Each must hold at least `minimumCount` = max(k, s·N) people,
/// which mining at that support guarantees. But counts can also be combined: the people with A and not B are
/// supp(A) − supp(A ∪ B), and in general, for released itemsets I ⊂ J whose in-between itemsets are all released
/// too, inclusion–exclusion gives the people who have I and none of J's other items. Any such count from 1 to
/// k − 1 singles out a small group (an "inference channel"). The rules that reveal the larger itemset J of a
/// channel are withheld, and the check runs again until no channel is left.
struct RuleRelease {
    let k: Int

    /// The rules of `candidates` that may be released over `transactionCount` people.
    func release(_ candidates: [AssociationRule], transactionCount: Int) -> [AssociationRule] {
        var rules = candidates.filter { rule in
            let withoutConsequent = rule.antecedentSupport - rule.support
            return withoutConsequent == 0 || withoutConsequent >= self.k
        }
        while true {
            let supports = Self.releasedSupports(rules, transactionCount: transactionCount)
            let exposed = self.exposedItemsets(supports)
            guard !exposed.isEmpty else { return rules }
            rules.removeAll { rule in
                exposed.contains(rule.antecedent) || exposed.contains(rule.consequent)
                    || exposed.contains((rule.antecedent + rule.consequent).sorted())
            }
        }
    }

    /// The itemsets whose supports the rules tell, with the empty itemset for everyone.
    private static func releasedSupports(_ rules: [AssociationRule], transactionCount: Int) -> [[UInt32]: Int] {
        var supports: [[UInt32]: Int] = [[]: transactionCount]
        for rule in rules {
            supports[rule.antecedent] = rule.antecedentSupport
            supports[rule.consequent] = rule.consequentSupport
            supports[(rule.antecedent + rule.consequent).sorted()] = rule.support
        }
        return supports
    }

    /// The larger itemset J of every channel I ⊂ J whose inclusion–exclusion count is from 1 to k − 1.
    private func exposedItemsets(_ supports: [[UInt32]: Int]) -> Set<[UInt32]> {
        var exposed: Set<[UInt32]> = []
        for (itemset, _) in supports where !itemset.isEmpty {
            // Every subset I of J, as a bit mask over J's items; the count of people with I and none of J \ I.
            let size = itemset.count
            for mask in 0..<(1 << size) - 1 {
                var count = 0
                var complete = true
                // X ranges over the itemsets between I and J: I plus any subset of J \ I.
                let free = ((1 << size) - 1) & ~mask
                var extra = free
                while true {
                    let members = mask | extra
                    let subset = (0..<size).filter { members & (1 << $0) != 0 }.map { itemset[$0] }
                    guard let support = supports[subset] else {
                        complete = false
                        break
                    }
                    count += (extra.nonzeroBitCount % 2 == 0 ? 1 : -1) * support
                    if extra == 0 { break }
                    extra = (extra - 1) & free
                }
                if complete && count > 0 && count < self.k {
                    exposed.insert(itemset)
                    break
                }
            }
        }
        return exposed
    }
}
