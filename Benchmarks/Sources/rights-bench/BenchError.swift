/// Why the benchmark could not run or a request did not do what it should.
struct BenchError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    struct Code: Hashable, Sendable {
        let name: String

        /// The command line is not `rights-bench HOME --erasures N --withdrawals M [--seed S]`.
        static let usage = Code(name: "usage")
        /// The store holds fewer distinct customers than the benchmark asks for.
        static let tooFewCustomers = Code(name: "too_few_customers")
        /// A request answered with another outcome than the one it should have.
        static let unexpectedOutcome = Code(name: "unexpected_outcome")
    }

    var code: Code
    var message: String

    var description: String { "\(self.code.name): \(self.message)" }
}
