/// The command line: `rights-bench HOME --erasures N --withdrawals M [--seed S] [--customers FILE]`.
struct BenchOptions: Sendable {
    static let usage = """
        usage: rights-bench HOME --erasures N --withdrawals M [--seed S] [--customers FILE]
          HOME             a CleanRoom home (keys, policies/default.yaml, audit, cleanroom.sqlite); it is altered
          --erasures N     customers erased, each timed on its own
          --withdrawals M  other customers whose consent for every purpose is withdrawn
          --seed S         seeds the choice of customers (default 1)
          --customers FILE where to read customer ids (default HOME/../data/customers.jsonl; when missing, the
                           ids of `cleanroom demo generate`, c-0000001 …, are tried)
        """

    /// The home's folder.
    var home: String
    /// How many customers to erase.
    var erasures: Int
    /// How many customers' consent to withdraw.
    var withdrawals: Int
    /// The seed of the draw of customers.
    var seed: UInt64 = 1
    /// The customers file named on the command line, if any.
    var customersFile: String?

    /// Parses `arguments` (without the program name).
    init(arguments: [String]) throws {
        var home: String?
        var erasures: Int?
        var withdrawals: Int?
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            func value() throws -> String {
                guard let value = rest.popFirst() else {
                    throw BenchError(code: .usage, message: "\(argument) needs a value\n\(Self.usage)")
                }
                return value
            }
            func count() throws -> Int {
                let text = try value()
                guard let number = Int(text), number >= 0 else {
                    throw BenchError(code: .usage, message: "\(argument) takes a whole number ≥ 0\n\(Self.usage)")
                }
                return number
            }
            switch argument {
            case "--erasures": erasures = try count()
            case "--withdrawals": withdrawals = try count()
            case "--seed":
                let text = try value()
                guard let seed = UInt64(text) else {
                    throw BenchError(code: .usage, message: "--seed takes a whole number ≥ 0\n\(Self.usage)")
                }
                self.seed = seed
            case "--customers": self.customersFile = try value()
            case _ where argument.hasPrefix("-"):
                throw BenchError(code: .usage, message: "unknown option \(argument)\n\(Self.usage)")
            default:
                guard home == nil else {
                    throw BenchError(code: .usage, message: "give one home only\n\(Self.usage)")
                }
                home = argument
            }
        }
        guard let home, let erasures, let withdrawals else {
            throw BenchError(code: .usage, message: "HOME, --erasures and --withdrawals are required\n\(Self.usage)")
        }
        self.home = home
        self.erasures = erasures
        self.withdrawals = withdrawals
    }
}
