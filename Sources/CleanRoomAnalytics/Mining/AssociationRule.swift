/// A rule "people with every item of the antecedent also have every item of the consequent", with the
/// supports it is measured by.
public struct AssociationRule: Sendable, Hashable {
    /// The items the rule starts from, ascending, non-empty.
    public let antecedent: [UInt32]
    /// The items the rule predicts, ascending, non-empty, none of them in the antecedent.
    public let consequent: [UInt32]
    /// The number of transactions holding every item of both sides.
    public let support: Int
    /// The number of transactions holding every item of the antecedent.
    public let antecedentSupport: Int
    /// The number of transactions holding every item of the consequent.
    public let consequentSupport: Int

    /// A rule with its supports; both sides ascending, disjoint and non-empty.
    public init(
        antecedent: [UInt32], consequent: [UInt32], support: Int, antecedentSupport: Int, consequentSupport: Int
    ) {
        self.antecedent = antecedent
        self.consequent = consequent
        self.support = support
        self.antecedentSupport = antecedentSupport
        self.consequentSupport = consequentSupport
    }

    /// The share of the transactions holding the antecedent that also hold the consequent:
    /// `support / antecedentSupport`.
    public var confidence: Double {
        Double(self.support) / Double(self.antecedentSupport)
    }

    /// How much more often the consequent comes with the antecedent than in general: the confidence divided
    /// by the consequent's share of all `transactionCount` transactions (1 means independence).
    public func lift(transactionCount: Int) -> Double {
        self.confidence / (Double(self.consequentSupport) / Double(transactionCount))
    }
}

extension AssociationRule: CustomStringConvertible {
    /// The rule as `{1, 2} → {5} (support 2, confidence 1.000)`.
    public var description: String {
        func set(_ items: [UInt32]) -> String { "{" + items.map(String.init).joined(separator: ", ") + "}" }
        let confidence = (self.confidence * 1000).rounded() / 1000
        return "\(set(self.antecedent)) → \(set(self.consequent)) (support \(self.support), confidence \(confidence))"
    }
}
